"""The figures, states and recommendations pages on a 390 px phone: no sideways scroll, no CSP
errors, and the tile-grid map's squares lead to the state pages."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = ["/cifras/", "/cifras/INM/", "/entidades/", "/entidades/06/", "/recomendaciones/"]


def test_the_pages_fit_a_390_px_screen(new_page):
    from obligations.reference import load_reference_data

    load_reference_data()
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    for url in PAGES:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") == 390, url
    page.goto("/entidades/")
    with page.expect_navigation():
        page.locator('svg a[href="/entidades/06/"]').click()
    assert page.get_by_role("heading", level=1).inner_text() == "Colima"
    assert csp_errors == []
