import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_anonymous_home_is_spanish_and_offers_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response["Content-Language"] == "es-mx"
    assert "Entrar" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_gives_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona, expected",
    [
        ("auditora", "Ir a la administración"),
        ("secretariado", "panorama nacional"),
        ("enlace_sep", "SEP"),
        ("outsider", "no tiene un rol asignado"),
    ],
)
def test_home_routes_each_role_to_its_work(client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    body = client.get(reverse("home")).content.decode()
    assert expected in body


@pytest.mark.django_db
def test_login_with_a_demo_account_works(client, auditora):
    response = client.post(reverse("login"), {"username": "auditora", "password": "x-Secreta-2026!"})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].username == "auditora"


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_with_a_clear_message(client, auditora):
    for _ in range(5):
        client.post(reverse("login"), {"username": "auditora", "password": "mal"})
    response = client.post(reverse("login"), {"username": "auditora", "password": "x-Secreta-2026!"})
    assert response.status_code == 429
    assert "bloqueada temporalmente" in response.content.decode()


def test_health(client, db):
    assert client.get(reverse("health")).json() == {"status": "ok"}


@pytest.mark.django_db
def test_spanish_first_whatever_the_browser_asks(client):
    response = client.get(reverse("home"), headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "es-mx"
    assert "Entrar" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_spanish(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get(reverse("home"))["Content-Language"] == "es-mx"
