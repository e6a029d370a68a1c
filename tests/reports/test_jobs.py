"""reports.jobs: requesting, reusing, claiming and repairing report jobs (no worker)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import jobs
from reports.models import JobState, ReportJob, ReportKind
from tests.reports.report_fixtures import build_cycle


@pytest.fixture
def cycle(sep, inm):
    return build_cycle([sep, inm])


@pytest.fixture
def sent(broker):
    return broker.messages


def done(job, fingerprint):
    """Mark a job finished with a file, as a worker would."""
    from reports.jobs import _write_atomically

    name = job.storage_name()
    _write_atomically(job, name, b"%PDF-1.7 test")
    ReportJob.objects.filter(pk=job.pk).update(
        state=JobState.DONE, file=name, data_fingerprint=fingerprint, finished_at=timezone.now(), progress=100
    )
    job.refresh_from_db()
    return job


pytestmark = pytest.mark.usefixtures("media")  # a private MEDIA_ROOT (tests/conftest.py)


@pytest.mark.django_db
def test_it_records_a_queued_job_and_enqueues_after_commit(
    secretariado, sep, cycle, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    assert job.state == JobState.QUEUED and job.requested_by == secretariado and job.reused is False
    assert sent == []  # nothing published before the transaction commits
    for callback in callbacks:
        callback()
    assert len(sent) == 1
    assert sent[0][0] == (job.pk,)
    job.refresh_from_db()
    assert job.enqueued_at is not None and job.task_id == sent[0][1]["task_id"]


@pytest.mark.django_db
def test_pressing_the_button_twice_while_it_runs_gives_the_same_job(secretariado, sep, cycle, sent):
    first = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    second = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    assert second.pk == first.pk and second.reused is True
    assert ReportJob.objects.count() == 1


@pytest.mark.django_db
def test_a_finished_report_of_a_published_cycle_is_reused_while_the_data_is_the_same(secretariado, sep, cycle, sent):
    first = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    done(first, jobs.data_fingerprint(ReportKind.AGENCY, cycle, sep))
    again = [jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep) for _ in range(10)]
    assert {job.pk for job in again} == {first.pk}
    assert ReportJob.objects.count() == 1
    # Another language is another report.
    english = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep, language="en")
    assert english.pk != first.pk and english.reused is False


@pytest.mark.django_db
def test_a_change_in_the_data_builds_a_new_report(secretariado, sep, cycle, sent):
    from obligations.models import Assessment

    first = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    done(first, jobs.data_fingerprint(ReportKind.AGENCY, cycle, sep))
    Assessment.objects.filter(cycle=cycle, agency=sep).update(rationale="Nueva justificación")
    second = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    assert second.pk != first.pk and second.state == JobState.QUEUED


@pytest.mark.django_db
def test_the_fingerprint_covers_ratings_evidence_and_scope(sep, inm, cycle):
    from obligations.models import Assessment

    sep_before = jobs.data_fingerprint(ReportKind.AGENCY, cycle, sep)
    national_before = jobs.data_fingerprint(ReportKind.NATIONAL, cycle)
    assert len(sep_before) == 64 and sep_before != national_before
    Assessment.objects.filter(cycle=cycle, agency=inm).update(status="complied")
    assert jobs.data_fingerprint(ReportKind.AGENCY, cycle, sep) == sep_before  # INM's change is not SEP's report
    assert jobs.data_fingerprint(ReportKind.NATIONAL, cycle) != national_before


@pytest.mark.django_db
def test_the_national_fingerprint_covers_the_source_figures_it_prints(sep, inm, cycle):
    """The national PDF prints "Cifras de las fuentes" (the latest figure of each measure, its
    year-on-year change, the effort flag, the source): a change there is a change of the report."""
    from obligations.models import Indicator, IndicatorValue

    national_without = jobs.data_fingerprint(ReportKind.NATIONAL, cycle)
    sep_before = jobs.data_fingerprint(ReportKind.AGENCY, cycle, sep)
    indicator = Indicator.objects.create(code="T-CONDENAS", statement_es="Personas condenadas", kind="context")
    value = IndicatorValue.objects.create(indicator=indicator, year=2024, value=182, source="TIP 2025", quote="182")
    steps = [jobs.data_fingerprint(ReportKind.NATIONAL, cycle)]
    IndicatorValue.objects.filter(pk=value.pk).update(value=183)  # the figure printed
    steps.append(jobs.data_fingerprint(ReportKind.NATIONAL, cycle))
    IndicatorValue.objects.filter(pk=value.pk).update(source="TIP 2024")  # its source
    steps.append(jobs.data_fingerprint(ReportKind.NATIONAL, cycle))
    Indicator.objects.filter(pk=indicator.pk).update(statement_es="Personas sentenciadas")  # its measure
    steps.append(jobs.data_fingerprint(ReportKind.NATIONAL, cycle))
    IndicatorValue.objects.create(indicator=indicator, year=2023, value=90, source="TIP 2024", quote="90")  # the change
    steps.append(jobs.data_fingerprint(ReportKind.NATIONAL, cycle))
    assert len({national_without, *steps}) == 6, "every change of the figures changes the national fingerprint"
    assert jobs.data_fingerprint(ReportKind.AGENCY, cycle, sep) == sep_before  # an agency's PDF prints no figures


@pytest.mark.django_db
def test_unpublished_cycles_are_never_served_from_an_old_file(auditora, sep, inm, sent):
    draft = build_cycle([sep, inm], slug="borrador", published=False)
    first = jobs.request_report(auditora, ReportKind.AGENCY, draft, sep)
    done(first, jobs.data_fingerprint(ReportKind.AGENCY, draft, sep))
    second = jobs.request_report(auditora, ReportKind.AGENCY, draft, sep)
    assert second.pk != first.pk


@pytest.mark.django_db
def test_with_the_broker_down_the_job_stays_queued_and_is_sent_later(secretariado, sep, cycle, broker):
    broker.down = True
    job = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    assert jobs.enqueue(job.pk) is False
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.enqueued_at is None

    broker.down = False
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    assert jobs.requeue_lost_jobs() == 1
    assert broker.published == [(job.pk,)]
    job.refresh_from_db()
    assert job.enqueued_at is not None
    assert jobs.requeue_lost_jobs() == 0  # published now: not sent twice


@pytest.mark.django_db
def test_a_job_is_claimed_once(secretariado, sep, cycle, sent):
    job = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    claimed = jobs.claim_job(job.pk, "task-a", "worker-1")
    assert claimed is not None and claimed.state == JobState.RUNNING and claimed.attempts == 1
    assert jobs.claim_job(job.pk, "task-b", "worker-2") is None  # a duplicate message does nothing
    # The message that claimed it comes back (its worker died): it may claim it again.
    again = jobs.claim_job(job.pk, "task-a", "worker-3")
    assert again is not None and again.attempts == 2


@pytest.mark.django_db
def test_a_finished_job_is_never_claimed_again(secretariado, sep, cycle, sent):
    job = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    jobs.claim_job(job.pk, "task-a")
    done(job, "f" * 64)
    assert jobs.claim_job(job.pk, "task-a") is None
    assert jobs.run_job(job.pk, "task-a").state == "skipped"
    job.refresh_from_db()
    assert job.state == JobState.DONE


@pytest.mark.django_db
def test_a_job_whose_worker_keeps_dying_fails_with_a_readable_error(secretariado, sep, cycle, sent):
    job = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    for _ in range(jobs.MAX_ATTEMPTS):
        assert jobs.claim_job(job.pk, "task-a") is not None
    assert jobs.claim_job(job.pk, "task-a") is None
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "se detuvo" in job.error


@pytest.mark.django_db
def test_jobs_stuck_running_past_the_hard_limit_are_marked_failed(
    secretariado, enlace_inm, sep, inm, cycle, sent, settings
):
    stuck = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    fresh = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, inm)
    jobs.claim_job(stuck.pk, "t1")
    jobs.claim_job(fresh.pk, "t2")
    long_ago = timezone.now() - timedelta(seconds=settings.REPORT_HARD_TIME_LIMIT + 120)
    ReportJob.objects.filter(pk=stuck.pk).update(started_at=long_ago)
    assert jobs.mark_stale_jobs_failed() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.state == JobState.FAILED and "tiempo máximo" in stuck.error
    assert fresh.state == JobState.RUNNING
    # ... and can be retried, by whoever may request that report (the policy decides, wherever
    # the retry comes from: the page, the admin's action).
    with pytest.raises(jobs.ReportNotAllowed):
        jobs.retry_job(stuck, enlace_inm)
    stuck.refresh_from_db()
    assert stuck.state == JobState.FAILED
    retried = jobs.retry_job(stuck, secretariado)
    assert retried.state == JobState.QUEUED and retried.error == ""


@pytest.mark.django_db
def test_who_may_request_what(auditora, secretariado, enlace_sep, outsider, sep, inm, cycle):
    draft = build_cycle([sep], slug="borrador", published=False)
    national = ReportKind.NATIONAL
    agency = ReportKind.AGENCY
    assert jobs.can_request(auditora, national, draft) and jobs.can_request(auditora, agency, draft, inm)
    assert jobs.can_request(secretariado, national, cycle) and jobs.can_request(secretariado, agency, cycle, inm)
    assert not jobs.can_request(secretariado, national, draft)
    assert jobs.can_request(enlace_sep, agency, cycle, sep)
    assert not jobs.can_request(enlace_sep, agency, cycle, inm)
    assert not jobs.can_request(enlace_sep, national, cycle)
    assert not jobs.can_request(enlace_sep, agency, draft, sep)
    assert not jobs.can_request(outsider, agency, cycle, sep)
    with pytest.raises(jobs.ReportNotAllowed):
        jobs.request_report(enlace_sep, agency, cycle, inm)


@pytest.mark.django_db
def test_visible_to_follows_the_access_rule(auditora, secretariado, enlace_sep, enlace_inm, outsider, sep, inm, cycle):
    draft = build_cycle([sep], slug="borrador", published=False)
    sep_job = ReportJob.objects.create(kind=ReportKind.AGENCY, cycle=cycle, agency=sep)
    inm_job = ReportJob.objects.create(kind=ReportKind.AGENCY, cycle=cycle, agency=inm)
    national = ReportJob.objects.create(kind=ReportKind.NATIONAL, cycle=cycle)
    draft_job = ReportJob.objects.create(kind=ReportKind.AGENCY, cycle=draft, agency=sep)

    def visible(user):
        return set(ReportJob.objects.visible_to(user).values_list("pk", flat=True))

    assert visible(auditora) == {sep_job.pk, inm_job.pk, national.pk, draft_job.pk}
    assert visible(secretariado) == {sep_job.pk, inm_job.pk, national.pk}
    assert visible(enlace_sep) == {sep_job.pk}
    assert visible(enlace_inm) == {inm_job.pk}
    assert visible(outsider) == set()


# --- Claim leases: a worker that died whole -----------------------------------------------


@pytest.mark.django_db
def test_a_claim_takes_a_lease_that_progress_renews(secretariado, sep, cycle, sent, settings):
    job = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    before = timezone.now()
    jobs.claim_job(job.pk, "task-a")
    job.refresh_from_db()
    assert job.heartbeat_at >= before
    assert job.lease_until == job.heartbeat_at + timedelta(seconds=settings.REPORT_LEASE_SECONDS)
    ReportJob.objects.filter(pk=job.pk).update(lease_until=before)
    jobs.set_progress(job.pk, "task-a", 40, "Tablas")
    job.refresh_from_db()
    assert job.lease_until > timezone.now() and not job.lease_expired()
    assert jobs.renew_lease(job.pk, "another-task") is False  # only the claiming task renews it


def _expire(job):
    ReportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))


@pytest.mark.django_db
def test_a_new_request_is_never_attached_to_a_job_whose_lease_ran_out(
    secretariado, sep, cycle, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    jobs.claim_job(job.pk, sent[0][1]["task_id"])
    assert jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep).pk == job.pk  # alive: same job
    _expire(job)
    with django_capture_on_commit_callbacks(execute=True):
        again = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    # The dead job went back to the queue under a new task id and was published again.
    assert again.pk == job.pk and again.reused is True
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.attempts == 1
    assert len(sent) == 2 and job.task_id == sent[1][1]["task_id"] != sent[0][1]["task_id"]
    # The dead worker's message, redelivered much later, finds the job taken and does nothing.
    assert jobs.claim_job(job.pk, job.task_id) is not None
    assert jobs.claim_job(job.pk, sent[0][1]["task_id"]) is None


@pytest.mark.django_db
def test_the_periodic_check_requeues_dead_jobs_then_fails_them_after_max_attempts(
    secretariado, sep, inm, cycle, sent, django_capture_on_commit_callbacks
):
    job = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    alive = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, inm)
    jobs.claim_job(alive.pk, "alive")
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        jobs.claim_job(job.pk, f"task-{attempt}")
        _expire(job)
        with django_capture_on_commit_callbacks(execute=True):
            result = jobs.check_jobs()
        job.refresh_from_db()
        if attempt < jobs.MAX_ATTEMPTS:
            assert (result["dead_requeued"], result["dead_failed"]) == (1, 0)
            assert job.state == JobState.QUEUED and job.enqueued_at is not None
        else:
            assert (result["dead_requeued"], result["dead_failed"]) == (0, 1)
    assert job.state == JobState.FAILED and job.attempts == jobs.MAX_ATTEMPTS
    assert "dejó de responder 3 veces" in job.error
    alive.refresh_from_db()
    assert alive.state == JobState.RUNNING  # its lease holds


@pytest.mark.django_db
def test_the_status_endpoint_reports_a_dead_job_as_requeued(secretariado, sep, cycle, sent, client):
    job = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    jobs.claim_job(job.pk, "task-a")
    _expire(job)
    client.force_login(secretariado)
    payload = client.get(reverse("report_jobs:status", args=[job.pk])).json()
    assert payload["state"] == JobState.QUEUED
    assert "el worker que lo generaba se detuvo" in payload["step"]
