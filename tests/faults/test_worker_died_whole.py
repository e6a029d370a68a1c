"""A worker that dies whole (main process and pool SIGKILLed at once, no beat running) under the
production timeouts: time limits 600/660 s, Redis visibility timeout 3600 s, claim lease 60 s
renewed every 15 s (compliance/settings.py). The broker keeps the dead worker's message unacked
for an hour; the job's lease is what tells us, within a minute, that nobody is building it."""

import time

import pytest
from django.conf import settings
from django.utils import timezone

from tests.faults.conftest import WorkerProcess
from tests.security.world import build_world
from tests.support import files_under, private_media, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _request(client, expected_status):
    response = client.post(
        "/reportes/solicitar/",
        {"kind": "national", "cycle": "mx-publicado", "language": "es"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == expected_status, response.content
    return response.json()


def test_a_dead_worker_is_noticed_by_its_lease_and_the_job_requeued(
    role_groups, purged_broker, celery_app, client, tmp_path
):
    from reports.models import JobState, ReportJob

    # Production values, not shortened for the test.
    assert (settings.REPORT_SOFT_TIME_LIMIT, settings.REPORT_HARD_TIME_LIMIT) == (600, 660)
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 3600
    assert (settings.REPORT_LEASE_SECONDS, settings.REPORT_HEARTBEAT_SECONDS) == (60, 15)

    media_root = tmp_path / "media"
    with private_media(media_root) as media:
        world = build_world()
        ReportJob.objects.all().delete()
        first = WorkerProcess(purged_broker, media_root, tmp_path / "first.log")
        second = WorkerProcess(purged_broker, media_root, tmp_path / "second.log")
        first.start()
        try:
            client.force_login(world.user("auditor"))
            job_id = _request(client, 202)["id"]
            wait_for(lambda: ReportJob.objects.get(pk=job_id).state == JobState.RUNNING, 60, 0.01, "the job to start")
            first.kill_whole()
            killed_at = timezone.now()
            dead = ReportJob.objects.get(pk=job_id)
            assert dead.state == JobState.RUNNING and dead.attempts == 1
            assert dead.lease_until <= killed_at + timezone.timedelta(seconds=settings.REPORT_LEASE_SECONDS)

            second.start()
            # While the lease holds, a request gets the same job (nobody knows yet)...
            assert _request(client, 200)["id"] == job_id  # reused
            assert ReportJob.objects.get(pk=job_id).state == JobState.RUNNING
            # ...and once it ran out, the next request re-queues the job, never waits on the dead one.
            wait_for(lambda: timezone.now() > dead.lease_until, settings.REPORT_LEASE_SECONDS + 5, 0.5, "the lease")
            noticed_after = (timezone.now() - killed_at).total_seconds()
            payload = _request(client, 200)  # the same job, back in the queue
            assert payload["id"] == job_id and payload["state"] == JobState.QUEUED, payload
            started = time.monotonic()
            wait_for(
                lambda: ReportJob.objects.get(pk=job_id).state in (JobState.DONE, JobState.FAILED),
                180,
                0.2,
                "the re-queued job to finish on the new worker",
            )
            rebuilt_in = time.monotonic() - started
        finally:
            first.stop()
            second.stop()
        job = ReportJob.objects.get(pk=job_id)
        print(f"lease noticed {noticed_after:.1f}s after the kill; rebuilt in {rebuilt_in:.1f}s")
        assert noticed_after <= settings.REPORT_LEASE_SECONDS + 5
        assert job.state == JobState.DONE, job.error
        assert job.attempts == 2 and ReportJob.objects.count() == 1
        assert job.worker.split(":")[1] != dead.worker.split(":")[1]  # built by the new worker
        files = [p for p in files_under(media) if p.name.startswith(f"{job.pk}-")]
        assert len(files) == 1 and files[0].read_bytes().startswith(b"%PDF-")
        assert [p for p in files_under(media) if ".part" in p.name] == []
