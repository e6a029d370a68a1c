"""The one access rule (agencies.policy and the visible_to querysets), role by role."""

from datetime import date

import pytest

from agencies.models import Agency
from obligations.choices import Component, CycleState, Status, WorkflowState
from obligations.models import Assessment, Evidence, Obligation, ReviewCycle


@pytest.fixture
def world(sep, inm):
    published = ReviewCycle.objects.create(
        slug="pub",
        name_es="Publicado",
        period_start=date(2012, 6, 15),
        period_end=date(2017, 7, 31),
        state=CycleState.PUBLISHED,
    )
    draft = ReviewCycle.objects.create(
        slug="open", name_es="Abierto", period_start=date(2018, 1, 1), period_end=date(2024, 9, 30)
    )
    obligation = Obligation.objects.create(code="OB-1", title_es="Obligación", component=Component.PREVENTION, level=1)
    rows = {}
    for cycle in (published, draft):
        for agency in (sep, inm):
            for state in (WorkflowState.DRAFT, WorkflowState.VALIDATED):
                if cycle == published and state == WorkflowState.DRAFT:
                    continue
                key = (cycle.slug, agency.acronym, state)
                ob = (
                    obligation
                    if state == WorkflowState.VALIDATED
                    else Obligation.objects.get_or_create(
                        code="OB-2", defaults={"title_es": "Otra", "component": Component.PREVENTION, "level": 2}
                    )[0]
                )
                rows[key] = Assessment.objects.create(
                    cycle=cycle, agency=agency, obligation=ob, status=Status.NOT_COMPLIED, workflow_state=state
                )
    for assessment in rows.values():
        for confidential in (True, False):
            Evidence.objects.create(
                assessment=assessment,
                title=f"{assessment} {confidential}",
                fact_date=date(2016, 1, 1),
                confidential=confidential,
            )
    return rows


def visible_keys(user):
    return {
        (a.cycle.slug, a.agency.acronym, a.workflow_state)
        for a in Assessment.objects.visible_to(user).select_related("cycle", "agency")
    }


@pytest.mark.django_db
def test_auditors_see_everything(world, auditora):
    assert visible_keys(auditora) == set(world)
    assert Evidence.objects.visible_to(auditora).count() == 2 * len(world)
    assert set(ReviewCycle.objects.visible_to(auditora).values_list("slug", flat=True)) == {"pub", "open"}


@pytest.mark.django_db
def test_the_secretariat_sees_every_agency_but_only_published_cycles(world, secretariado):
    assert visible_keys(secretariado) == {("pub", "SEP", "validated"), ("pub", "INM", "validated")}
    assert set(Agency.objects.visible_to(secretariado).values_list("acronym", flat=True)) == {"SEP", "INM"}
    assert list(ReviewCycle.objects.visible_to(secretariado).values_list("slug", flat=True)) == ["pub"]


@pytest.mark.django_db
def test_a_liaison_sees_only_their_agency_and_validated_unpublished_ratings(world, enlace_sep):
    assert visible_keys(enlace_sep) == {("pub", "SEP", "validated"), ("open", "SEP", "validated")}
    assert list(Agency.objects.visible_to(enlace_sep).values_list("acronym", flat=True)) == ["SEP"]
    assert set(ReviewCycle.objects.visible_to(enlace_sep).values_list("slug", flat=True)) == {"pub", "open"}
    evidence = Evidence.objects.visible_to(enlace_sep).select_related("assessment__agency")
    assert {e.assessment.agency.acronym for e in evidence} == {"SEP"}


@pytest.mark.django_db
def test_a_liaison_without_validated_ratings_does_not_see_the_open_cycle(world, enlace_inm):
    Assessment.objects.filter(agency__acronym="INM", cycle__slug="open").update(workflow_state=WorkflowState.DRAFT)
    assert list(ReviewCycle.objects.visible_to(enlace_inm).values_list("slug", flat=True)) == ["pub"]


@pytest.mark.django_db
def test_anonymous_and_roleless_users_see_only_public_evidence_of_published_cycles(world, outsider):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), outsider):
        assert visible_keys(user) == {("pub", "SEP", "validated"), ("pub", "INM", "validated")}
        assert not Agency.objects.visible_to(user).exists()
        evidence = Evidence.objects.visible_to(user)
        assert evidence.count() == 2
        assert not evidence.filter(confidential=True).exists()


@pytest.mark.django_db
def test_an_inactive_auditor_sees_nothing_unpublished(world, auditora):
    auditora.is_active = False
    auditora.save()
    assert ("open", "SEP", "draft") not in visible_keys(auditora)
