"""Cache-Control: every page and download that is not public says `private, no-store`
(compliance.middleware.PrivateByDefaultCacheMiddleware, lib.downloads); the public portal of
published cycles keeps its own (shared caches may keep it)."""

import pytest

from tests.security.conftest import world  # noqa: F401 (the module-scoped world fixture)

PRIVATE = "private, no-store"

CASES = [
    ("anonymous", "/entrar/", "max-age=0, no-cache, no-store, must-revalidate, private"),
    ("secretariat", "/panorama/", PRIVATE),
    ("secretariat", "/panorama/puntajes.csv", PRIVATE),
    ("secretariat", "/panorama/datos.csv", PRIVATE),
    ("liaison_sep", "/agencias/SEP/", PRIVATE),
    ("liaison_sep", "/agencias/SEP/datos.json", PRIVATE),
    ("liaison_sep", "/solicitudes/", PRIVATE),
    ("liaison_sep", "/replicas/", PRIVATE),
    ("auditor", "/admin/obligations/assessment/", "max-age=0, no-cache, no-store, must-revalidate, private"),
    ("anonymous", "/publico/mx-publicado/", "public, max-age=300"),
    ("anonymous", "/publico/mx-publicado/SEP/", "public, max-age=300"),
    ("anonymous", "/publico/datos/assessments.csv", "public, max-age=3600"),
]


@pytest.mark.parametrize("role, url, expected", CASES, ids=[f"{r}:{u}" for r, u, _ in CASES])
def test_cache_control(role, url, expected, world, db, client):  # noqa: F811
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Cache-Control"] == expected


def test_private_file_downloads_are_not_stored(world, db, client):  # noqa: F811
    client.force_login(world.user("auditor"))
    evidence = world.evidence[("open", "SEP", "confidential")]
    response = client.get(f"/evidencias/{evidence.pk}/descargar/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE
