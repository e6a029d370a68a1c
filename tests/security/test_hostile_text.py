"""HTML/JS typed into every free-text field is shown as text, never run: escaped on every page
that shows it (site, public portal, admin, JSON) and printed literally in the PDF reports."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

FIELDS = [
    "agency_name",
    "obligation_title",
    "rationale",
    "evidence_title",
    "evidence_description",
    "request_title",
    "request_questions",
    "answer_text",
    "reply_text",
    "recommendation_text",
]


def payload(field: str) -> str:
    return f'<script>alert("{field}")</script><img src=x onerror=alert(1)>'


def escaped(field: str) -> str:
    return f"&lt;script&gt;alert(&quot;{field}&quot;)&lt;/script&gt;"


@pytest.fixture
def hostile(sep, enlace_sep, auditora, auditor2):
    from information_requests.choices import AnswerState, RequestState
    from information_requests.models import Answer, InformationRequest, RequestAddressee
    from obligations.choices import Component, CycleState, Level, Status, WorkflowState
    from obligations.models import Assessment, Evidence, Obligation, Recommendation, Reply, ReviewCycle

    sep.name_es = payload("agency_name")
    sep.save()
    obligation = Obligation.objects.create(
        code="XSS-1", title_es=payload("obligation_title"), component=Component.PREVENTION, level=Level.DIRECT
    )
    published = ReviewCycle.objects.create(
        slug="xss-publicado",
        name_es="Publicado",
        period_start=date(2012, 6, 15),
        period_end=date(2017, 7, 31),
        state=CycleState.PUBLISHED,
        published_at=timezone.now() - timedelta(days=1),
    )
    open_cycle = ReviewCycle.objects.create(
        slug="xss-abierto", name_es="Abierto", period_start=date(2018, 1, 1), period_end=date(2024, 12, 31)
    )
    objects = {"cycle": published, "obligation": obligation}
    for cycle in (published, open_cycle):
        assessment = Assessment.objects.create(
            cycle=cycle,
            agency=sep,
            obligation=obligation,
            status=Status.PARTIALLY_COMPLIED,
            rationale=payload("rationale"),
            workflow_state=WorkflowState.VALIDATED,
            reviewer=auditora,
            validator=auditor2,
        )
        Evidence.objects.create(
            assessment=assessment,
            kind="public_source",
            title=payload("evidence_title"),
            description=payload("evidence_description"),
            source_reference="CNDH 2019 ¶161",
            fact_date=cycle.period_start,
            confidential=False,
        )
        objects[cycle.slug] = assessment
    recommendation = Recommendation.objects.create(
        code="XSS-REC", issuer="cndh_2019", text_es=payload("recommendation_text")
    )
    recommendation.addressees.add(sep)
    recommendation.obligations.add(obligation)
    request = InformationRequest.objects.create(
        cycle=open_cycle,
        title=payload("request_title"),
        questions=payload("request_questions"),
        due_date=date(2030, 1, 31),
        state=RequestState.SENT,
        created_by=auditora,
        sent_by=auditora,
    )
    request.obligations.add(obligation)
    addressee = RequestAddressee.objects.create(request=request, agency=sep)
    Answer.objects.create(
        addressee=addressee,
        obligation=obligation,
        text=payload("answer_text"),
        state=AnswerState.SUBMITTED,
        fact_date=date(2020, 1, 1),
        submitted_at=timezone.now(),
        submitted_by=enlace_sep,
    )
    Reply.objects.create(
        assessment=objects["xss-abierto"],
        text=payload("reply_text"),
        filed_by=enlace_sep,
        status_at_filing=Status.PARTIALLY_COMPLIED,
    )
    objects["addressee"] = addressee
    return objects


def _pages(client, hostile, auditora, enlace_sep):
    """Every page that shows one of the hostile fields, as the user who sees it."""
    addressee = hostile["addressee"]
    obligation = hostile["obligation"]
    open_assessment = hostile["xss-abierto"]
    bodies = {}
    for user, urls in [
        (
            enlace_sep,
            [
                "/",
                "/agencias/SEP/?ciclo=xss-publicado",
                "/agencias/SEP/?ciclo=xss-abierto",
                "/solicitudes/",
                f"/solicitudes/{addressee.pk}/",
                f"/solicitudes/{addressee.pk}/obligacion/{obligation.pk}/",
                "/replicas/",
                f"/replicas/{open_assessment.pk}/",
            ],
        ),
        (
            auditora,
            [
                "/panorama/?ciclo=xss-publicado",
                "/agencias/SEP/?ciclo=xss-abierto",
                f"/admin/obligations/assessment/{open_assessment.pk}/change/",
                "/admin/obligations/assessment/",
                f"/admin/obligations/assessment/{open_assessment.pk}/history/",
            ],
        ),
        (
            None,
            [
                "/publico/",
                "/publico/xss-publicado/",
                "/publico/xss-publicado/SEP/",
                "/api/v1/agencies/",
                "/api/v1/obligations/",
                "/api/v1/assessments/?cycle=xss-publicado",
            ],
        ),
    ]:
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"{url} -> {response.status_code}"
            bodies[url] = (response["Content-Type"], response.content.decode())
    return bodies


def test_free_text_is_escaped_on_every_page(client, hostile, auditora, enlace_sep):
    bodies = _pages(client, hostile, auditora, enlace_sep)
    shown = set()
    for url, (content_type, body) in bodies.items():
        for field in FIELDS:
            if content_type.startswith("application/json"):
                # JSON is data, not markup: the text is kept, served as JSON (nosniff).
                continue
            assert payload(field) not in body, f"{field} is rendered unescaped on {url}"
            assert "<img src=x onerror" not in body, f"an event handler reached {url}"
            if escaped(field) in body:
                shown.add(field)
    not_shown = sorted(set(FIELDS) - shown)
    # Each hostile field must really be on some page, or this test would prove nothing.
    assert not_shown == [], f"fields not displayed on any checked page: {not_shown}"


def test_json_answers_are_served_as_json_and_not_sniffed(client, hostile):
    response = client.get("/api/v1/assessments/?cycle=xss-publicado")
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    # The text is data: it comes back exactly as typed, for the client to escape when it displays it.
    assert response.json()["results"][0]["obligation_title_es"] == payload("obligation_title")


def test_free_text_is_printed_literally_in_the_pdf(hostile):
    from io import BytesIO

    from pypdf import PdfReader

    from reports.models import ReportKind
    from reports.pdf import build_report

    cycle = hostile["cycle"]
    report = build_report(ReportKind.AGENCY, cycle, cycle.assessments.first().agency)
    for field in ("agency_name", "obligation_title", "rationale"):
        assert payload(field) not in report.html
        assert escaped(field) in report.html
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(report.content)).pages)
    text = " ".join(text.split())
    assert 'alert("rationale")' in text  # printed as text, not swallowed as markup
    assert "<script>" in text
