"""The report task through real Celery workers on Redis (and in-process without a broker).

Transactional tests: the worker has its own database connection and sees only committed rows."""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from reports import jobs
from reports.models import JobState, ReportJob, ReportKind
from tests.conftest import redis_url
from tests.reports.report_fixtures import KNOWN_BASIS, KNOWN_CODE, build_cycle, pdf_text
from tests.support import wait_for

BASE_DIR = Path(__file__).resolve().parents[2]


def job_state(job_id):
    return ReportJob.objects.get(pk=job_id)


def report_files(media: Path) -> list[Path]:
    return sorted(p for p in (media / "reports").rglob("*") if p.is_file())


@pytest.fixture(autouse=True)
def fresh_broker_pools(celery_app):
    """Publish through new broker connection pools: a test elsewhere in the session may have
    force-closed the app's pools, which kombu keeps handing out ("Acquire on closed pool")."""
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The role groups come from a data migration, which a transactional test's flush erases."""
    from django.contrib.auth.models import Group

    from agencies.choices import Role

    for role in Role.values:
        Group.objects.get_or_create(name=role)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_requested_report_is_built_by_the_worker_and_downloaded(real_worker, client, secretariado, sep, inm, media):
    cycle = build_cycle([sep, inm])
    client.force_login(secretariado)
    response = client.post(
        "/reportes/solicitar/",
        {"kind": "agency", "cycle": cycle.slug, "agency": "SEP", "language": "es"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 202
    status_url = response.json()["status_url"]

    def finished():
        payload = client.get(status_url).json()
        return payload if payload["state"] in ("done", "failed") else None

    payload = wait_for(finished)
    assert payload and payload["state"] == "done", payload
    assert payload["progress"] == 100 and payload["page_count"] >= 3

    download = client.get(payload["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "Secretaría de Educación Pública" in text
    assert "38 %" in text  # SEP's overall score
    assert KNOWN_CODE in text and KNOWN_BASIS in text
    job = ReportJob.objects.get(pk=payload["id"])
    assert job.attempts == 1 and job.sha256 and job.page_count == payload["page_count"]
    assert job.data_fingerprint[:16] in text


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_failing_render_fails_the_job_readably_and_a_retry_succeeds(
    real_worker, secretariado, sep, media, monkeypatch
):
    from reports import pdf

    cycle = build_cycle([sep])
    real_render = pdf.render_pdf

    def broken_render(html, base_url=None, progress=None):
        raise ValueError("la plantilla no produjo páginas")

    monkeypatch.setattr(pdf, "render_pdf", broken_render)
    job = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    failed = wait_for(lambda: job_state(job.pk) if job_state(job.pk).state == JobState.FAILED else None)
    assert failed is not None
    assert failed.error.startswith("No se pudo generar el PDF")
    assert "la plantilla no produjo páginas" in failed.error
    assert not failed.file and report_files(media) == []

    monkeypatch.setattr(pdf, "render_pdf", real_render)
    retried = jobs.retry_job(failed, secretariado)
    assert retried.pk == job.pk
    done = wait_for(lambda: job_state(job.pk) if job_state(job.pk).state == JobState.DONE else None)
    assert done is not None and done.error == "" and done.file
    assert len(report_files(media)) == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_transient_error_is_retried_with_backoff(real_worker, secretariado, sep, media, monkeypatch):
    from django.db import OperationalError

    from reports import tasks

    cycle = build_cycle([sep])
    monkeypatch.setattr(tasks, "REPORT_RETRY_BASE_SECONDS", 0)
    real_fingerprint = jobs.data_fingerprint
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_fingerprint(*args, **kwargs)

    monkeypatch.setattr(jobs, "data_fingerprint", flaky)
    job = ReportJob.objects.create(kind=ReportKind.AGENCY, cycle=cycle, agency=sep, requested_by=secretariado)
    jobs.enqueue(job.pk)
    done = wait_for(lambda: job_state(job.pk) if job_state(job.pk).state == JobState.DONE else None)
    assert done is not None and len(calls) == 2
    assert done.attempts == 2


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_duplicate_requests_reuse_the_file(real_worker, secretariado, enlace_sep, sep, media):
    cycle = build_cycle([sep])
    first = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    assert wait_for(lambda: job_state(first.pk).state == JobState.DONE)
    again = [jobs.request_report(user, ReportKind.AGENCY, cycle, sep) for user in (secretariado, enlace_sep) * 5]
    assert {job.pk for job in again} == {first.pk} and all(job.reused for job in again)
    assert ReportJob.objects.count() == 1
    assert len(report_files(media)) == 1


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_report_is_built_in_process(celery_app, secretariado, sep, media):
    cycle = build_cycle([sep])
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        job = jobs.request_report(secretariado, ReportKind.AGENCY, cycle, sep)
    finally:
        celery_app.conf.task_always_eager = previous
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.page_count >= 3
    text = pdf_text(Path(job.file.path).read_bytes())
    assert "Secretaría de Educación Pública" in text and KNOWN_BASIS in text


# --- a worker process killed in the middle of a job -------------------------------------


def _publish(job, queue: str) -> None:
    from reports.tasks import build_report

    task_id = uuid.uuid4().hex
    ReportJob.objects.filter(pk=job.pk).update(task_id=task_id, enqueued_at=timezone.now())
    build_report.apply_async((job.pk,), task_id=task_id, queue=queue)


def _wait_running(job, worker):
    return wait_for(
        lambda: job_state(job.pk) if job_state(job.pk).state == JobState.RUNNING else None,
        90,
        what=lambda: (
            "the job to run: " + (worker.stderr.read1().decode() if worker.poll() is not None else "no worker")
        ),
    )


def _wait_finished(job, timeout=120):
    return wait_for(
        lambda: job_state(job.pk) if job_state(job.pk).state in (JobState.DONE, JobState.FAILED) else None,
        timeout=timeout,
    )


def _start_worker(queue: str, media: Path, app: str = "compliance") -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": redis_url(),
        "MEDIA_ROOT": str(media),
        "PYTHONPATH": str(BASE_DIR),
        "LOG_LEVEL": "WARNING",
    }
    command = [
        str(Path(sys.executable).with_name("celery")),
        "-A",
        app,
        "worker",
        "-c",
        "1",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--loglevel",
        "WARNING",
    ]
    # A process group of its own: the whole worker (supervisor and pool) can be killed at once.
    return subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_job_survives_its_worker_process_being_killed(celery_app, secretariado, sep, inm, media):
    """SIGKILL the pool process rendering the PDF: with acks_late + reject_on_worker_lost the
    message goes back to the queue, a new worker process takes it, and the job ends `done`
    with exactly one file."""
    cycle = build_cycle([sep, inm], extra_rows=150)  # a long national report (~40 pages)
    queue = f"report-kill-test-{uuid.uuid4().hex[:8]}"
    job = ReportJob.objects.create(kind=ReportKind.NATIONAL, cycle=cycle, requested_by=secretariado)
    worker = _start_worker(queue, media)
    try:
        _publish(job, queue)
        running = _wait_running(job, worker)
        pid = int(running.worker.rsplit(":", 1)[1])
        assert pid != worker.pid  # the pool process, not the supervisor
        wait_for(lambda: job_state(job.pk).progress >= 5, 60, what="the task to gather its data")  # inside the task
        os.kill(pid, signal.SIGKILL)

        done = _wait_finished(job)
        assert done is not None and done.state == JobState.DONE, done and done.error
        assert done.attempts == 2
        assert int(done.worker.rsplit(":", 1)[1]) != pid  # a new process finished it
        files = report_files(media)
        assert files == [media / done.file.name]  # exactly one file, no leftovers
        assert files[0].read_bytes().startswith(b"%PDF")
    finally:
        _stop(worker)
        celery_app.control.purge()


def test_the_periodic_job_check_is_scheduled_in_beat(celery_app):
    entry = celery_app.conf.beat_schedule["reports-check-report-jobs"]
    assert entry["task"] == "reports.check_report_jobs" and entry["schedule"] <= 300
    assert "reports.check_report_jobs" in celery_app.tasks


def test_the_report_task_cannot_lose_or_duplicate_work(celery_app, settings):
    from reports.tasks import REPORT_MAX_RETRIES, REPORT_RETRY_BASE_SECONDS, build_report

    assert build_report.acks_late is True and build_report.reject_on_worker_lost is True
    assert build_report.soft_time_limit == settings.REPORT_SOFT_TIME_LIMIT
    assert build_report.time_limit == settings.REPORT_HARD_TIME_LIMIT
    longest_countdown = REPORT_RETRY_BASE_SECONDS * 2 ** (REPORT_MAX_RETRIES - 1)
    assert longest_countdown < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_job_survives_its_whole_worker_being_killed(celery_app, secretariado, sep, inm, media):
    """SIGKILL the whole worker (supervisor and pool) mid-render, then start a new worker: the
    unacknowledged message comes back after the visibility timeout (3 s here, ≥ 2× the hard
    limit in production) and the new worker finishes the job, with exactly one file."""
    cycle = build_cycle([sep, inm], extra_rows=150)
    queue = f"report-kill-all-{uuid.uuid4().hex[:8]}"
    app = "tests.reports.report_fixtures:short_visibility_app"
    job = ReportJob.objects.create(kind=ReportKind.NATIONAL, cycle=cycle, requested_by=secretariado)
    first = _start_worker(queue, media, app)
    second = None
    try:
        _publish(job, queue)
        running = _wait_running(job, first)
        wait_for(lambda: job_state(job.pk).progress >= 5, 60, what="the task to gather its data")  # inside the task
        os.killpg(first.pid, signal.SIGKILL)  # no warm shutdown, no chance to give the message back
        first.wait(timeout=10)
        assert job_state(job.pk).state == JobState.RUNNING  # nobody is working on it now

        second = _start_worker(queue, media, app)
        done = _wait_finished(job)
        assert done is not None and done.state == JobState.DONE, done and done.error
        assert done.attempts == 2 and done.worker != running.worker
        files = report_files(media)
        assert files == [media / done.file.name]
        assert files[0].read_bytes().startswith(b"%PDF")
    finally:
        for worker in (first, second):
            if worker is not None:
                _stop(worker)
        celery_app.control.purge()
