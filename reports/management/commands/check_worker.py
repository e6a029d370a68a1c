import time
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.models import WorkerHeartbeat
from reports.tasks import heartbeat


class Command(BaseCommand):
    help = "Send a heartbeat task and wait until a worker has run it."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, timeout, **options):
        token = uuid.uuid4().hex
        heartbeat.delay(token)
        mode = "in-process (no CELERY_BROKER_URL)" if settings.CELERY_TASK_ALWAYS_EAGER else settings.CELERY_BROKER_URL
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            beat = WorkerHeartbeat.objects.filter(token=token).first()
            if beat:
                self.stdout.write(self.style.SUCCESS(f"Worker {beat.hostname} answered via {mode}."))
                return
            time.sleep(0.2)
        raise CommandError(f"No worker answered within {timeout:.0f} s via {mode}. Is `make worker` running?")
