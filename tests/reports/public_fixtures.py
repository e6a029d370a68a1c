"""A published cycle and an unpublished one, built in code, for the portal and API tests."""

from datetime import date

import pytest
from django.utils import timezone

from tests.information_requests.fixtures import make_obligation


@pytest.fixture
def published_world(db, sep, inm, auditora, auditor2):
    """cndh-2019 published (validated ratings, one public and one confidential evidence, one
    answered reply); ciclo-2026 open (a validated and a draft rating) — nothing of it may leak."""
    from obligations.models import Assessment, Evidence, Reply, Responsibility, ReviewCycle

    schools = make_obligation("LG-89-XV", "Programa de prevención en escuelas")
    campaigns = make_obligation("LG-88-III", "Campañas en lenguas indígenas", component="coordination", level=2)
    Responsibility.objects.create(obligation=schools, agency=sep)
    Responsibility.objects.create(obligation=campaigns, agency=inm)
    published = ReviewCycle.objects.create(
        slug="cndh-2019",
        name_es="Diagnóstico CNDH 2019",
        period_start=date(2012, 6, 15),
        period_end=date(2017, 7, 31),
        state="published",
        published_at=timezone.now(),
    )
    open_cycle = ReviewCycle.objects.create(
        slug="ciclo-2026", name_es="Ciclo 2026", period_start=date(2024, 1, 1), period_end=date(2026, 6, 30)
    )

    def rate(cycle, agency, obligation, status, workflow="validated"):
        return Assessment.objects.create(
            cycle=cycle,
            agency=agency,
            obligation=obligation,
            status=status,
            rationale=f"Justificación {cycle.slug} {agency.acronym} {obligation.code}",
            workflow_state=workflow,
            source_reference="CNDH 2019 ¶161",
        )

    sep_2019 = rate(published, sep, schools, "not_complied")
    inm_2019 = rate(published, inm, campaigns, "no_information")
    Evidence.objects.create(
        assessment=sep_2019,
        kind="public_source",
        title="Informe público de la SEP",
        fact_date=date(2016, 1, 10),
        source_reference="CNDH 2019 ¶161",
        confidential=False,
    )
    Evidence.objects.create(
        assessment=sep_2019,
        kind="official_reply",
        title="Oficio con nombres de víctimas",
        fact_date=date(2016, 2, 1),
        source_reference="Oficio SEP/123",
        confidential=True,
    )
    Reply.objects.create(
        assessment=sep_2019,
        text="La SEP aplicó el programa en 2017.",
        filed_by=auditora,
        status_at_filing="not_complied",
        outcome="kept",
        response="No hay evidencia en el periodo.",
        answered_by=auditor2,
        answered_at=timezone.now(),
    )
    secret_validated = rate(open_cycle, sep, schools, "complied")
    secret_draft = rate(open_cycle, inm, campaigns, "not_complied", workflow="draft")
    return {
        "published": published,
        "open": open_cycle,
        "sep_2019": sep_2019,
        "inm_2019": inm_2019,
        "secret_validated": secret_validated,
        "secret_draft": secret_draft,
    }


__all__ = ["published_world"]
