import logging
import socket

from celery import shared_task
from django.conf import settings
from django.utils.translation import gettext as _

from reports import jobs
from reports.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Transient errors are retried with exponential backoff (30 s, 60 s, 120 s), each countdown
# far below the broker's visibility_timeout (a countdown longer than it would be redelivered).
REPORT_MAX_RETRIES = 3
REPORT_RETRY_BASE_SECONDS = 30


@shared_task(name="reports.heartbeat", ignore_result=True)
def heartbeat(token: str) -> None:
    """Record that a worker ran a task (idempotent by token)."""
    eager = bool(getattr(heartbeat.request, "is_eager", False))
    WorkerHeartbeat.objects.get_or_create(token=token, defaults={"hostname": socket.gethostname(), "eager": eager})
    logger.info("heartbeat token=%s eager=%s", token, eager)


@shared_task(
    bind=True,
    name="reports.build_report",
    ignore_result=True,
    # Acknowledge only when done, and give the message back if the process running it dies:
    # a killed worker never silently loses a report.
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_HARD_TIME_LIMIT,
    max_retries=REPORT_MAX_RETRIES,
)
def build_report(self, job_id: int) -> str:
    """Build the PDF of one ReportJob. Idempotent by job id: the job is claimed with a
    conditional update, a redelivered message for a finished job does nothing."""
    task_id = self.request.id or ""
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    logger.info("report task start job=%s redelivered=%s retries=%s", job_id, redelivered, self.request.retries)
    try:
        outcome = jobs.run_job(job_id, task_id, hostname=self.request.hostname or socket.gethostname())
    except jobs.TransientReportError as exc:
        if self.request.retries >= self.max_retries:
            jobs.fail_job(job_id, None, _("%(error)s (tras %(n)s reintentos)") % {"error": exc, "n": self.max_retries})
            return "failed"
        countdown = min(REPORT_RETRY_BASE_SECONDS * 2**self.request.retries, 600)
        logger.warning("report transient error job=%s retry in %ss: %s", job_id, countdown, exc)
        raise self.retry(exc=exc, countdown=countdown) from exc
    return outcome.state


@shared_task(name="reports.check_report_jobs", ignore_result=True, soft_time_limit=60, time_limit=90)
def check_report_jobs() -> dict:
    """Periodic (Celery beat): fail jobs stuck in `running` past the hard limit, and publish
    again the queued jobs no worker picked up (the broker was down when they were requested)."""
    return jobs.check_jobs()


@shared_task(
    bind=True,
    name="reports.freeze_cycle",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_HARD_TIME_LIMIT,
)
def freeze_cycle(self, cycle_id: int) -> int:
    """Freeze the scorecards of a published cycle (started by its publication). Idempotent: a
    cycle already frozen, or being frozen by another worker, is left alone (reports.snapshots.run_freeze)."""
    from obligations.models import ReviewCycle
    from reports.snapshots import run_freeze

    cycle = ReviewCycle.objects.published().filter(pk=cycle_id).first()
    if cycle is None:
        logger.info("freeze task: cycle %s is not published, nothing to do", cycle_id)
        return 0
    written = run_freeze(cycle)
    logger.info("freeze task: cycle %s, %s snapshots written", cycle.slug, written)
    return written


def enqueue_freeze(cycle_id: int) -> None:
    """Send the freeze task; with the broker down the freeze stays queued and the first reader (or
    `manage.py freeze_scorecards`) freezes the cycle instead (reports.snapshots.pending_freeze)."""
    try:
        freeze_cycle.delay(cycle_id)
    except Exception:  # the publication is committed: never fail it for the broker
        logger.exception("could not enqueue the freeze of cycle %s", cycle_id)
