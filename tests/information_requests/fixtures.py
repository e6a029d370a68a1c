"""Test data for information requests and replies, built in code (imported by the
test_requests*/test_replies* modules)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="oficio.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_obligation(code, title="Programa de prevención", component="prevention", level=1):
    from obligations.models import Obligation

    return Obligation.objects.create(code=code, title_es=title, component=component, level=level)


def make_cycle(slug="ciclo-2026", state="open", start=None, end=None):
    from obligations.models import ReviewCycle

    today = timezone.localdate()
    return ReviewCycle.objects.create(
        slug=slug,
        name_es=f"Ciclo {slug}",
        period_start=start or today - timedelta(days=365),
        period_end=end or today + timedelta(days=30),
        state=state,
    )


def make_request(cycle, agencies, obligations, *, by=None, due_date=None, title="Programa anual de prevención"):
    from information_requests.models import InformationRequest, RequestAddressee

    info_request = InformationRequest.objects.create(
        cycle=cycle,
        reference="CNDH/5/2026/001",
        title=title,
        questions="1. ¿Qué programa de prevención aplicó su dependencia?",
        due_date=due_date or timezone.localdate() + timedelta(days=20),
        created_by=by,
    )
    info_request.obligations.set(obligations)
    for agency in agencies:
        RequestAddressee.objects.create(request=info_request, agency=agency)
    return info_request


@pytest.fixture
def cycle(db):
    return make_cycle()


@pytest.fixture
def obligations(db):
    return [
        make_obligation("LG-89-XV", "Programa de prevención en escuelas"),
        make_obligation("LG-88-III", "Campañas en lenguas indígenas"),
    ]


@pytest.fixture
def sent_request(cycle, sep, inm, obligations, auditora, enlace_sep, enlace_inm):
    from information_requests.services import send_request

    enlace_sep.email = "enlace@sep.gob.mx"
    enlace_sep.save()
    enlace_inm.email = "enlace@inm.gob.mx"
    enlace_inm.save()
    info_request = make_request(cycle, [sep, inm], obligations, by=auditora)
    send_request(info_request, by=auditora)
    info_request.refresh_from_db()
    return info_request


def addressee_of(info_request, agency):
    return info_request.addressees.get(agency=agency)


__all__ = ["cycle", "obligations", "sent_request"]  # the fixtures
