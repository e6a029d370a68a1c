"""A worker process killed in the middle of a report: the job still completes, once, with
exactly one file (acks_late + reject_on_worker_lost redeliver the message; the job is
claimed again by the same task id; the file is written atomically)."""

import os
import signal

import pytest

from tests.faults.conftest import WorkerProcess
from tests.security.world import build_world
from tests.support import files_under, private_media, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_killing_the_worker_child_mid_report_still_builds_it_once(
    role_groups, purged_broker, celery_app, client, tmp_path
):
    from reports.models import JobState, ReportJob

    media_root = tmp_path / "media"
    with private_media(media_root) as media:
        world = build_world()
        ReportJob.objects.all().delete()
        worker = WorkerProcess(purged_broker, media_root, tmp_path / "worker.log")
        worker.start()
        try:
            client.force_login(world.user("auditor"))
            response = client.post(
                "/reportes/solicitar/",
                {"kind": "national", "cycle": "mx-publicado", "language": "es"},
                HTTP_ACCEPT="application/json",
            )
            assert response.status_code == 202, response.content
            job = ReportJob.objects.get()

            wait_for(lambda: ReportJob.objects.get(pk=job.pk).state == JobState.RUNNING, 60, 0.01, "the job to start")
            children = worker.children()
            assert children, "no pool process to kill"
            for pid in children:
                os.kill(pid, signal.SIGKILL)  # the process rendering the PDF dies mid-job
            killed_during = ReportJob.objects.get(pk=job.pk).state

            wait_for(
                lambda: ReportJob.objects.get(pk=job.pk).state in (JobState.DONE, JobState.FAILED),
                120,
                0.2,
                "the job to finish after the kill",
            )
        finally:
            worker.stop()
        log = (tmp_path / "worker.log").read_text(errors="replace")
        job.refresh_from_db()
        assert killed_during == JobState.RUNNING  # it really was killed mid-job
        assert "WorkerLostError" in log or "exited with" in log or "signal 9" in log, log[-3000:]
        assert job.state == JobState.DONE, job.error
        assert job.attempts == 2  # first run killed, second completed
        assert ReportJob.objects.count() == 1
        files = [p for p in files_under(media) if p.name.startswith(f"{job.pk}-")]
        assert len(files) == 1, files
        assert files[0].read_bytes().startswith(b"%PDF-")
        leftovers = [p for p in files_under(media) if ".tmp" in p.name or ".part" in p.name]
        assert leftovers == []
