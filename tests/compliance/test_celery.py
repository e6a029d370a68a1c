"""A task makes the round trip through a real worker on Redis, and in-process in the unit tests.
The worker on the local broker (no CELERY_BROKER_URL) is exercised by test_run_dev.py."""

import os
import uuid

import pytest

from reports.models import WorkerHeartbeat
from reports.tasks import heartbeat
from tests.support import wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_round_trips_through_a_real_worker_on_redis(real_worker):
    token = uuid.uuid4().hex
    heartbeat.delay(token)
    wait_for(lambda: WorkerHeartbeat.objects.filter(token=token).exists(), 20, what="the heartbeat row")
    beat = WorkerHeartbeat.objects.get(token=token)
    assert beat.eager is False


@pytest.mark.django_db
def test_the_same_task_runs_in_process_in_the_unit_tests(celery_app):
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        token = uuid.uuid4().hex
        heartbeat.delay(token)
    finally:
        celery_app.conf.task_always_eager = previous
    beat = WorkerHeartbeat.objects.get(token=token)
    assert beat.eager is True


def test_worker_settings_guard_against_lost_and_duplicated_tasks(settings):
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] >= 2 * settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT


def test_only_the_unit_tests_run_tasks_in_process_and_only_without_a_broker(settings):
    # tests/conftest.py: no CELERY_BROKER_URL → eager, on an in-memory broker; with one (CI) → published.
    no_broker = not os.environ.get("CELERY_BROKER_URL")
    assert settings.CELERY_TASK_ALWAYS_EAGER is no_broker
    assert (settings.CELERY_BROKER_URL == "memory://") is no_broker


def test_every_task_is_registered_once_django_is_set_up_without_importing_a_tasks_module():
    """In a fresh interpreter (nothing imported by other tests): Django's setup alone registers
    every task the project publishes by name or schedules in beat, so a job published by name
    finds its task (eager runs, its options) in the web process and in commands too."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django; django.setup()\n"
        "from compliance.celery import app\n"
        "from reports.jobs import BUILD_TASK\n"
        "names = {entry['task'] for entry in app.conf.beat_schedule.values()} | {BUILD_TASK, 'reports.freeze_cycle'}\n"
        "missing = sorted(names - set(app.tasks))\n"
        "print('missing:', missing)\n"
        "raise SystemExit(1 if missing else 0)\n"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "compliance.settings", "LOG_LEVEL": "WARNING"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
