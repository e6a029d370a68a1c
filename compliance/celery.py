"""The Celery application. Settings come from Django's settings with the CELERY_ prefix."""

import os
import time
import uuid

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun
from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance.settings")


class _LocalChannel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Publish atomically: write a hidden temporary file, then rename it into the queue.

        kombu's own `_put` writes the message file in place, so a worker listing the folder at
        that instant could take an empty file. The name keeps kombu's pattern (creation time,
        uuid, queue), with the time in zero-padded nanoseconds so that the worker, which sorts
        the names, takes messages in the order they were sent (kombu's milliseconds leave
        messages of the same millisecond in random order). The temporary name starts with a
        dot and so matches no queue."""
        name = f"{time.monotonic_ns():020d}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        part = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(part, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(part, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to the local broker") from exc
        finally:
            if os.path.exists(part):
                os.unlink(part)


class LocalBrokerTransport(filesystem.Transport):
    """The default broker when CELERY_BROKER_URL is unset: kombu's filesystem transport in
    LOCAL_BROKER_DIR (settings), with an atomic publish. Needs no service."""

    Channel = _LocalChannel

    @property
    def default_connection_params(self):
        return {"port": self.default_port}  # a folder has no host: no "No hostname was supplied" warning


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
