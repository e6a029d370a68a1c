"""The Celery application. Settings come from Django's settings with the CELERY_ prefix."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")

app = Celery("compliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks (run by `celery ... worker --beat` or a separate `celery ... beat`).
app.conf.beat_schedule = {
    # Report jobs: fail the ones stuck in `running`, publish again the ones never picked up.
    "reports-check-report-jobs": {"task": "reports.check_report_jobs", "schedule": 60.0},
    # Information requests: reminders 5 and 1 business days before the due date and the day
    # after it (idempotent; hourly so that a worker down at 8:00 still sends them that day).
    "information-requests-send-reminders": {
        "task": "information_requests.send_reminders",
        "schedule": crontab(minute=0, hour="8-18", day_of_week="mon-fri"),
    },
}


@task_prerun.connect
def _bind_job_id(task_id=None, task=None, args=None, kwargs=None, **_):
    """Put the job id (first argument of our tasks) on every log line of the worker."""
    from compliance.logging import job_id_var

    job_id = (kwargs or {}).get("job_id") or (args[0] if args else None)
    task.request.job_token = job_id_var.set(str(job_id) if job_id is not None else task_id or "-")


@task_postrun.connect
def _unbind_job_id(task=None, **_):
    from compliance.logging import job_id_var

    token = getattr(task.request, "job_token", None)
    if token is not None:
        job_id_var.reset(token)
