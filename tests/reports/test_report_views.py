"""Report job views: request, status polling, download and retry; the request panel."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import jobs
from reports.models import JobState, ReportJob, ReportKind
from tests.reports.report_fixtures import build_cycle

JSON = {"HTTP_ACCEPT": "application/json"}


pytestmark = pytest.mark.usefixtures("media")  # a private MEDIA_ROOT (tests/conftest.py)


@pytest.fixture
def cycle(sep, inm):
    return build_cycle([sep, inm])


@pytest.fixture
def sent(broker):
    return broker.published


def finished_job(cycle, agency=None, content=b"%PDF-1.7\n%test report\n"):
    kind = ReportKind.AGENCY if agency else ReportKind.NATIONAL
    job = ReportJob.objects.create(kind=kind, cycle=cycle, agency=agency)
    jobs._write_atomically(job, job.storage_name(), content)
    ReportJob.objects.filter(pk=job.pk).update(
        state=JobState.DONE,
        file=job.storage_name(),
        page_count=4,
        progress=100,
        finished_at=timezone.now(),
        data_fingerprint="9f" * 32,
    )
    return ReportJob.objects.get(pk=job.pk)


def request_data(cycle, agency="SEP", kind="agency", **extra):
    data = {"kind": kind, "cycle": cycle.slug, "language": "es", **extra}
    if agency:
        data["agency"] = agency
    return data


@pytest.mark.django_db
def test_it_queues_a_report_and_answers_with_its_status(
    client, secretariado, cycle, sent, django_capture_on_commit_callbacks
):
    client.force_login(secretariado)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report_jobs:request"), request_data(cycle), **JSON)
    assert response.status_code == 202
    payload = response.json()
    job = ReportJob.objects.get()
    assert payload["id"] == job.pk and payload["state"] == "queued"
    assert payload["status_url"] == reverse("report_jobs:status", args=[job.pk])
    assert sent == [(job.pk,)]
    assert job.requested_by == secretariado and job.agency.acronym == "SEP"

    status = client.get(payload["status_url"])
    assert status.status_code == 200 and status.json()["state"] == "queued"
    assert "no-cache" in status["Cache-Control"]


@pytest.mark.django_db
def test_without_javascript_it_redirects_back_with_a_message(client, secretariado, cycle, sent):
    from django.contrib.messages import get_messages

    client.force_login(secretariado)
    response = client.post(reverse("report_jobs:request"), request_data(cycle, next="/agencias/SEP/?ciclo=x"))
    assert response.status_code == 302 and response["Location"] == "/agencias/SEP/?ciclo=x"
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Su reporte") and "en cola" in message


@pytest.mark.django_db
def test_an_offsite_next_is_ignored(client, secretariado, cycle, sent):
    client.force_login(secretariado)
    response = client.post(reverse("report_jobs:request"), request_data(cycle, next="https://evil.example/"))
    assert response.status_code == 302 and response["Location"] == reverse("home")


@pytest.mark.django_db
def test_with_the_broker_down_the_user_is_told_it_is_queued(
    client, secretariado, cycle, broker, django_capture_on_commit_callbacks
):
    broker.down = True
    client.force_login(secretariado)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("report_jobs:request"), request_data(cycle), **JSON)
    assert len(callbacks) == 1  # the enqueue was attempted
    assert response.status_code == 202
    payload = response.json()
    assert payload["state"] == "queued"
    assert "quedó en cola" in payload["message"] and "automáticamente" in payload["message"]
    assert ReportJob.objects.get().enqueued_at is None


@pytest.mark.django_db
def test_the_download_is_an_attachment_with_nosniff(client, secretariado, cycle, sep):
    job = finished_job(cycle, sep)
    client.force_login(secretariado)
    response = client.get(reverse("report_jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="reporte-{cycle.slug}-sep-es.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_a_liaison_gets_their_own_agency_report(client, enlace_sep, cycle, sep, sent):
    job = finished_job(cycle, sep)
    client.force_login(enlace_sep)
    assert client.get(reverse("report_jobs:download", args=[job.pk])).status_code == 200
    # The finished report was built from other data (its fingerprint is not today's): a new job.
    response = client.post(reverse("report_jobs:request"), request_data(cycle, "SEP"), **JSON)
    assert response.status_code == 202
    assert response.json()["id"] != job.pk and response.json()["reused"] is False
    assert ReportJob.objects.count() == 2


@pytest.mark.django_db
def test_a_report_of_unchanged_published_data_is_reused(client, enlace_sep, cycle, sep, sent):
    job = finished_job(cycle, sep)
    ReportJob.objects.filter(pk=job.pk).update(data_fingerprint=jobs.data_fingerprint(ReportKind.AGENCY, cycle, sep))
    client.force_login(enlace_sep)
    response = client.post(reverse("report_jobs:request"), request_data(cycle, "SEP"), **JSON)
    assert response.status_code == 200
    assert response.json()["id"] == job.pk and response.json()["reused"] is True
    assert ReportJob.objects.count() == 1 and sent == []


@pytest.mark.django_db
def test_a_liaison_cannot_download_another_agencys_report(client, enlace_sep, cycle, inm, sent):
    job = finished_job(cycle, inm)
    client.force_login(enlace_sep)
    assert client.get(reverse("report_jobs:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("report_jobs:status", args=[job.pk])).status_code == 404
    assert client.post(reverse("report_jobs:request"), request_data(cycle, "INM"), **JSON).status_code == 404
    assert client.post(reverse("report_jobs:request"), request_data(cycle, None, "national"), **JSON).status_code == 404
    assert ReportJob.objects.count() == 1  # nothing queued for them


@pytest.mark.django_db
def test_the_national_report_is_for_the_secretariat_and_auditors(client, secretariado, auditora, cycle, sent):
    job = finished_job(cycle)
    for user in (secretariado, auditora):
        client.force_login(user)
        assert client.get(reverse("report_jobs:download", args=[job.pk])).status_code == 200


@pytest.mark.django_db
def test_unpublished_cycles_are_for_auditors_only(client, secretariado, auditora, sep, inm, sent):
    draft = build_cycle([sep], slug="borrador", published=False)
    job = finished_job(draft, sep)
    client.force_login(secretariado)
    assert client.get(reverse("report_jobs:download", args=[job.pk])).status_code == 404
    assert client.post(reverse("report_jobs:request"), request_data(draft), **JSON).status_code == 404
    client.force_login(auditora)
    assert client.get(reverse("report_jobs:download", args=[job.pk])).status_code == 200
    assert client.post(reverse("report_jobs:request"), request_data(draft), **JSON).status_code == 202


@pytest.mark.django_db
def test_anonymous_and_roleless_users_get_nothing(client, outsider, cycle, sep):
    job = finished_job(cycle, sep)
    download = reverse("report_jobs:download", args=[job.pk])
    assert client.get(download).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(download).status_code == 404
    assert client.post(reverse("report_jobs:request"), request_data(cycle), **JSON).status_code == 404


@pytest.mark.django_db
def test_requesting_needs_post(client, secretariado, cycle):
    client.force_login(secretariado)
    assert client.get(reverse("report_jobs:request")).status_code == 405


@pytest.mark.django_db
def test_a_failed_job_can_be_retried(client, secretariado, cycle, sep, sent, django_capture_on_commit_callbacks):
    job = ReportJob.objects.create(
        kind=ReportKind.AGENCY, cycle=cycle, agency=sep, state=JobState.FAILED, error="No se pudo generar el PDF: x"
    )
    client.force_login(secretariado)
    status = client.get(reverse("report_jobs:status", args=[job.pk])).json()
    assert status["state"] == "failed" and "No se pudo generar el PDF" in status["message"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(status["retry_url"], **JSON)
    assert response.status_code == 202 and response.json()["state"] == "queued"
    assert sent == [(job.pk,)]


@pytest.mark.django_db
def test_a_done_job_is_downloaded_from_its_status(client, secretariado, cycle, sep):
    job = finished_job(cycle, sep)
    client.force_login(secretariado)
    payload = client.get(reverse("report_jobs:status", args=[job.pk])).json()
    assert payload["state"] == "done" and payload["progress"] == 100 and payload["page_count"] == 4
    assert payload["download_url"] == reverse("report_jobs:download", args=[job.pk])


@pytest.mark.django_db
def test_the_panel_offers_the_button_and_the_latest_report(rf, secretariado, enlace_inm, cycle, sep):
    from django.template import Context, Template

    job = finished_job(cycle, sep)
    template = Template('{% include "reports/includes/request_report.html" %}')

    def render(user, agency):
        request = rf.get("/agencias/SEP/")
        request.user = user
        return template.render(Context({"request": request, "cycle": cycle, "agency": agency, "csrf_token": "t"}))

    html = render(secretariado, sep)
    assert "Solicitar reporte PDF" in html
    assert reverse("report_jobs:download", args=[job.pk]) in html
    assert "9f9f9f9f9f9f9f9f" in html  # the data fingerprint, to check a printed copy
    assert 'src="/static/js/report-jobs.js"' in html and "<script>" not in html  # CSP: no inline script
    national = render(secretariado, None)
    assert "Reporte nacional en PDF" in national and 'value="national"' in national
    assert "Solicitar reporte PDF" not in render(enlace_inm, sep)  # not their agency
    assert "Solicitar reporte PDF" not in render(enlace_inm, None)  # national: not for liaisons
