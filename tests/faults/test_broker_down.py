"""Redis down when a report is requested: the job is recorded, the user is told it is queued,
and it runs once Redis is back (the periodic check publishes it) — no lost request."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.faults.conftest import broker
from tests.security.world import build_world
from tests.support import files_under, private_media, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_report_requested_while_redis_is_down_runs_when_it_is_back(
    role_groups, dedicated_redis, celery_app, client, tmp_path
):
    from celery.contrib.testing.worker import start_worker

    from reports import jobs
    from reports.models import JobState, ReportJob

    with private_media(tmp_path / "media") as media, broker(celery_app, dedicated_redis.url):
        world = build_world()
        ReportJob.objects.all().delete()
        client.force_login(world.user("secretariat"))

        # Redis is not running on that port: the request must still be recorded.
        response = client.post(
            "/reportes/solicitar/",
            {"kind": "national", "cycle": "mx-publicado", "language": "es", "next": "/panorama/"},
            follow=True,
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "quedó en cola" in body
        job = ReportJob.objects.get()
        assert job.state == JobState.QUEUED and job.enqueued_at is None

        # Redis comes back, a worker starts, and the periodic check publishes the job.
        dedicated_redis.start()
        previous = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = False
        try:
            with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
                assert jobs.requeue_lost_jobs(now=timezone.now() + timedelta(seconds=10)) == 1
                wait_for(
                    lambda: ReportJob.objects.get(pk=job.pk).state in (JobState.DONE, JobState.FAILED),
                    120,
                    0.2,
                    "the report to be built",
                )
        finally:
            celery_app.conf.task_always_eager = previous

        job.refresh_from_db()
        assert job.state == JobState.DONE, job.error
        assert job.attempts == 1
        assert ReportJob.objects.count() == 1
        pdfs = [p for p in files_under(media) if p.name.startswith(f"{job.pk}-")]
        assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF-")
        # The user who asked can now download it.
        download = client.get(f"/reportes/{job.pk}/descargar/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
