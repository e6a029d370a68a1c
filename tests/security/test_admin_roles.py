"""The admin is for auditors by role, not by the `is_staff` flag: a liaison or the secretariat
marked staff by mistake still reads nothing there."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["liaison_sep", "secretariat", "no_role"])
def test_a_staff_flag_alone_opens_nothing_in_the_admin(role, world, db, client):
    from tests.security.world import secrets_hidden_from

    user = world.user(role)
    user.is_staff = True
    user.save()
    client.force_login(user)
    assessment = world.assessments[("open", "INM")]
    evidence = world.evidence[("open", "INM", "confidential")]
    pages = [
        "/admin/",
        "/admin/obligations/",
        "/admin/obligations/assessment/",
        f"/admin/obligations/assessment/{assessment.pk}/change/",
        f"/admin/obligations/assessment/{assessment.pk}/history/",
        "/admin/obligations/evidence/",
        f"/admin/obligations/evidence/{evidence.pk}/change/",
        "/admin/reports/reportjob/",
        "/admin/obligations/assessment/export/",
    ]
    for url in pages:
        response = client.get(url)
        body = response.content.decode()
        if url == "/admin/":
            assert response.status_code == 200
            assert "/admin/obligations/assessment/" not in body  # no model listed
        else:
            assert response.status_code in (403, 404), f"{role} {url} -> {response.status_code}"
        leaked = [s for s in secrets_hidden_from(role) + ["RAZON-INM-open"] if s in body]
        assert not leaked, f"{role} {url} shows {leaked}"
