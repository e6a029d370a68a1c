import logging
import os
import sys

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("compliance.tasks")

SERVER_COMMANDS = ("runserver", "gunicorn")


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reportes")

    def ready(self):
        from obligations.signals import cycle_published
        from reports.snapshots import freeze_on_publication

        cycle_published.connect(freeze_on_publication, dispatch_uid="reports_freeze_on_publication")
        argv = " ".join(sys.argv)
        # runserver's autoreloader imports the project twice; speak only in the serving child.
        reloader_parent = "runserver" in argv and "--noreload" not in argv and os.environ.get("RUN_MAIN") != "true"
        if settings.CELERY_TASK_ALWAYS_EAGER and any(cmd in argv for cmd in SERVER_COMMANDS) and not reloader_parent:
            logger.warning(
                "CELERY_BROKER_URL is not set: background tasks (PDF reports) run in-process, "
                "inside the web request. Set CELERY_BROKER_URL=redis://... and run `make worker` "
                "for real background work."
            )
