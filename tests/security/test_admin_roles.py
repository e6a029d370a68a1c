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
    # Each page's one answer: the admin index opens (listing nothing); an app index with no
    # model the user may see does not exist for them (Django's app_index: 404); model pages
    # refuse with 403 (no view permission), the readable history of PolicyAdmin included.
    pages = {
        "/admin/": 200,
        "/admin/obligations/": 404,
        "/admin/obligations/assessment/": 403,
        f"/admin/obligations/assessment/{assessment.pk}/change/": 403,
        f"/admin/obligations/assessment/{assessment.pk}/history/": 403,
        "/admin/obligations/evidence/": 403,
        f"/admin/obligations/evidence/{evidence.pk}/change/": 403,
        "/admin/reports/reportjob/": 403,
        "/admin/obligations/assessment/export/": 403,
    }
    for url, expected in pages.items():
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == expected, f"{role} {url} -> {response.status_code}, expected {expected}"
        if url == "/admin/":
            assert "/admin/obligations/assessment/" not in body  # no model listed
        leaked = [s for s in secrets_hidden_from(role) + ["RAZON-INM-open"] if s in body]
        assert not leaked, f"{role} {url} shows {leaked}"


def test_every_readable_history_page_refuses_a_staff_user_without_a_role_as_its_change_page_does(world, db, client):
    """403 on the history page as on the change page of the same record (not a 404 that only
    the history page would give): one answer per user and model across the admin."""
    from django.contrib import admin

    from compliance.admin import PolicyAdmin

    user = world.user("no_role")
    user.is_staff = True
    user.save()
    client.force_login(user)
    checked = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, PolicyAdmin) or not model_admin.history_fields:
            continue
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"the world has no {model._meta.label}"
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}"
        answers = {page: client.get(f"{base}/{page}/").status_code for page in ("change", "history")}
        assert answers == {"change": 403, "history": 403}, f"{model._meta.label}: {answers}"
        checked.append(model._meta.label)
    assert "obligations.Assessment" in checked and len(checked) >= 5
