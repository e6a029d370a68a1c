"""ReportJob in the admin: auditors request reports (add form) and retry failed ones (action)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from reports.models import JobState, ReportJob, ReportKind
from tests.reports.report_fixtures import build_cycle

pytestmark = pytest.mark.usefixtures("media")  # a private MEDIA_ROOT (tests/conftest.py)


@pytest.fixture
def cycle(sep, inm):
    return build_cycle([sep, inm])


@pytest.fixture
def sent(broker):
    return broker.published


@pytest.mark.django_db
def test_an_auditor_requests_the_national_report_from_the_admin(
    client, auditora, cycle, sent, django_capture_on_commit_callbacks
):
    client.force_login(auditora)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:reports_reportjob_add"),
            {"kind": "national", "cycle": cycle.pk, "agency": "", "language": "es"},
        )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.kind == ReportKind.NATIONAL and job.requested_by == auditora and job.state == JobState.QUEUED
    assert sent == [(job.pk,)]
    page = client.get(reverse("admin:reports_reportjob_changelist"))
    assert page.status_code == 200 and "Reporte nacional" in page.content.decode()


@pytest.mark.django_db
def test_the_add_form_checks_the_agency(client, auditora, cycle, sep, sent):
    client.force_login(auditora)
    response = client.post(
        reverse("admin:reports_reportjob_add"), {"kind": "agency", "cycle": cycle.pk, "agency": "", "language": "es"}
    )
    assert response.status_code == 200
    assert "Elija la dependencia de la cédula." in response.content.decode()
    assert ReportJob.objects.count() == 0


@pytest.mark.django_db
def test_an_identical_request_reuses_the_running_job(client, auditora, cycle, sep, sent):
    running = ReportJob.objects.create(kind=ReportKind.AGENCY, cycle=cycle, agency=sep, state=JobState.RUNNING)
    client.force_login(auditora)
    response = client.post(
        reverse("admin:reports_reportjob_add"),
        {"kind": "agency", "cycle": cycle.pk, "agency": sep.pk, "language": "es"},
        follow=True,
    )
    assert response.status_code == 200
    assert ReportJob.objects.count() == 1
    assert f"(#{running.pk})" in response.content.decode()


@pytest.mark.django_db
def test_failed_jobs_are_retried_by_the_action(
    client, auditora, cycle, sep, inm, sent, django_capture_on_commit_callbacks
):
    failed = ReportJob.objects.create(
        kind=ReportKind.AGENCY, cycle=cycle, agency=sep, state=JobState.FAILED, error="No se pudo generar el PDF: x"
    )
    done = ReportJob.objects.create(kind=ReportKind.AGENCY, cycle=cycle, agency=inm, state=JobState.DONE)
    client.force_login(auditora)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:reports_reportjob_changelist"),
            {"action": "retry_failed", "_selected_action": [failed.pk, done.pk]},
            follow=True,
        )
    content = response.content.decode()
    assert "1 trabajo vuelve a la cola." in content and "1 trabajo no se reintentó: no estaba fallido" in content
    failed.refresh_from_db()
    done.refresh_from_db()
    assert failed.state == JobState.QUEUED and failed.error == "" and done.state == JobState.DONE
    assert sent == [(failed.pk,)]


@pytest.mark.django_db
def test_only_auditors_get_in(client, secretariado, enlace_sep, cycle):
    for user in (secretariado, enlace_sep):
        client.force_login(user)
        url = reverse("admin:reports_reportjob_changelist")
        response = client.get(url)
        # Only auditors are staff: the others are sent to the admin's login page.
        assertRedirects(response, f"/admin/login/?next={url}", fetch_redirect_response=False)
