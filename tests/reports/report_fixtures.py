"""Test data for the PDF report tests, built in code: a published cycle with SEP and INM
rated on a few obligations, evidence (public and confidential) and a recommendation.

The obligation TRAIN-01 carries the legal basis the CNDH 2019 summary states for training
programmes (LGPSEDMTP art. 89 fr. XV and Reglamento art. 83, ¶162); ratings and rationale
are test data, not findings."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from obligations.choices import CycleState, WorkflowState

KNOWN_CODE = "TRAIN-01"
KNOWN_TITLE = "Programas de capacitación y actualización del personal"
KNOWN_BASIS = "LGPSEDMTP art. 89 fr. XV"


def build_cycle(agencies, *, slug="cndh-2019-prueba", published=True, obligations_per_agency=4, extra_rows=0):
    from obligations.models import (
        Assessment,
        Evidence,
        LegalInstrument,
        Obligation,
        Provision,
        Recommendation,
        RecommendationFollowUp,
        Responsibility,
        ReviewCycle,
    )

    law, _ = LegalInstrument.objects.get_or_create(
        code="lgpsedmtp",
        defaults={"short_name": "LGPSEDMTP", "name_es": "Ley General en materia de trata de personas", "kind": "law"},
    )
    regulation, _ = LegalInstrument.objects.get_or_create(
        code="reglamento",
        defaults={"short_name": "Reglamento", "name_es": "Reglamento de la Ley General", "kind": "regulation"},
    )
    art89, _ = Provision.objects.get_or_create(instrument=law, article="89", fraction="XV")
    art83, _ = Provision.objects.get_or_create(instrument=regulation, article="83")
    specs = [
        (KNOWN_CODE, KNOWN_TITLE, "prevention", [art89, art83]),
        ("CAMP-01", "Campañas de prevención en lenguas indígenas", "prevention", []),
        ("VICT-01", "Atención y protección a víctimas", "assistance", []),
        ("COORD-01", "Participación en la Comisión Intersecretarial", "coordination", []),
    ]
    specs += [
        (f"EXTRA-{n:03d}", f"Obligación adicional de prueba número {n}", "prosecution", []) for n in range(extra_rows)
    ]
    obligations = []
    for code, title, component, provisions in specs[: obligations_per_agency + extra_rows]:
        obligation, created = Obligation.objects.get_or_create(
            code=code, defaults={"title_es": title, "title_en": title + " (EN)", "component": component, "level": 1}
        )
        if created and provisions:
            obligation.provisions.set(provisions)
        obligations.append(obligation)

    cycle = ReviewCycle.objects.create(
        slug=slug,
        name_es="Diagnóstico de prueba 2019",
        name_en="Test diagnosis 2019",
        period_start=date(2012, 6, 15),
        period_end=date(2017, 7, 31),
    )
    statuses = ["complied", "partially_complied", "not_complied", "no_information"]
    recommendation, _ = Recommendation.objects.get_or_create(
        code="TEST-REC-1", defaults={"issuer": "other", "text_es": "Recomendación de prueba para el reporte."}
    )
    for agency in agencies:
        recommendation.addressees.add(agency)
        RecommendationFollowUp.objects.get_or_create(
            recommendation=recommendation, cycle=cycle, agency=agency, defaults={"status": "in_progress"}
        )
        for index, obligation in enumerate(obligations):
            Responsibility.objects.get_or_create(obligation=obligation, agency=agency)
            assessment = Assessment.objects.create(
                cycle=cycle,
                agency=agency,
                obligation=obligation,
                status=statuses[index % len(statuses)],
                rationale=f"Justificación de prueba de {agency.acronym} para {obligation.code}.",
                source_reference="CNDH 2019 ¶162" if obligation.code == KNOWN_CODE else "",
                workflow_state=WorkflowState.VALIDATED,
            )
            if obligation.code == KNOWN_CODE:
                Evidence.objects.create(
                    assessment=assessment,
                    kind="public_source",
                    title=f"Oficio público de {agency.acronym}",
                    fact_date=date(2016, 3, 1),
                    sha256="ab" * 32,
                    source_reference="CNDH 2019 ¶162",
                    confidential=False,
                )
                Evidence.objects.create(
                    assessment=assessment,
                    kind="official_reply",
                    title="Expediente con nombre de víctima",
                    description="Descripción reservada que nunca debe aparecer",
                    fact_date=date(2016, 4, 2),
                    sha256="cd" * 32,
                    source_reference="oficio 123",
                    confidential=True,
                )
    if published:
        cycle.state = CycleState.PUBLISHED
        cycle.published_at = timezone.now()
        cycle.save()
    return cycle


def pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_page_texts(content: bytes) -> list[str]:
    """Each page's text with whitespace collapsed (pypdf breaks lines inside phrases)."""
    import io

    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages]


def pdf_pages(content: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def __getattr__(name: str):
    """`celery -A tests.reports.report_fixtures:short_visibility_app worker`: the project's app
    with Redis giving unacknowledged messages back after 3 s instead of an hour, so a test can
    kill a whole worker and watch a new one pick the job up. Built only when asked for by name
    (importing this module for its helpers leaves the app untouched)."""
    if name == "short_visibility_app":
        from compliance.celery import app

        app.conf.broker_transport_options = {
            **(app.conf.broker_transport_options or {}),
            "visibility_timeout": 3,
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        }
        return app
    raise AttributeError(name)
