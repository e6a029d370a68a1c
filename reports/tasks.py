import logging
import socket

from celery import shared_task

from reports.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


@shared_task(name="reports.heartbeat", ignore_result=True)
def heartbeat(token: str) -> None:
    """Record that a worker ran a task (idempotent by token)."""
    eager = bool(getattr(heartbeat.request, "is_eager", False))
    WorkerHeartbeat.objects.get_or_create(token=token, defaults={"hostname": socket.gethostname(), "eager": eager})
    logger.info("heartbeat token=%s eager=%s", token, eager)
