"""compliance.middleware.RejectControlCharactersMiddleware: control characters in a path or a
query string are refused with 400 before any view runs."""

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/publico/%00/",
        "/publico/?ciclo=a%00b",
        "/panorama/?q=%0d%0aX",
        "/publico/?a%01=1",
        "/admin/?p=%7f",
        # the views that used to restate the rule for their acronym (law, figures, public scorecard)
        "/ley/dependencias/S%00EP/",
        "/cifras/S%00EP/",
        "/publico/cndh-2019/S%00EP/",
        "/recomendaciones/?q=a%00b",
    ],
)
def test_control_characters_are_refused_with_400(client, url, db):
    response = client.get(url)
    assert response.status_code == 400
    assert response.content.decode() == "La dirección contiene caracteres no permitidos (NUL o de control)."
    assert response["Cache-Control"] == "no-store"


def test_ordinary_text_passes(client, db):
    assert client.get("/publico/?q=" + "Secretar%C3%ADa%20de%20Educaci%C3%B3n").status_code == 200
