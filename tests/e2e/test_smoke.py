"""Smoke journey: the login page leads each role to its home page, in Spanish, without CSP errors."""

import pytest

from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_secretariat_logs_in_and_lands_on_home(page, live_server, secretariado):
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "es-mx"
    page.get_by_role("link", name="Entrar").first.click()
    login(page, "secretariado")

    assert page.url == live_server.url + "/"
    assert "secretariado" in page.locator(".whoami").inner_text()
    assert "panorama nacional" in page.content()
    assert csp_errors == []


def test_a_wrong_password_shows_the_lockout_warning(page, enlace_sep):
    login(page, "enlace-sep", password="no-es-la-clave")
    assert "Tras 5 intentos fallidos la cuenta se bloquea 20 minutos" in page.get_by_role("alert").inner_text()
    assert page.locator(".whoami").count() == 0
