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
        # Register the Celery tasks in every process (web, commands, tests), not only in a worker
        # (whose autodiscovery imports them): jobs publish by name, and a name finds its task
        # (its options, eager runs) only once the module is imported.
        from obligations.signals import cycle_published
        from reports import tasks  # noqa: F401
        from reports.snapshots import freeze_on_publication

        cycle_published.connect(freeze_on_publication, dispatch_uid="reports_freeze_on_publication")
        argv = " ".join(sys.argv)
        # runserver's autoreloader imports the project twice; speak only in the serving child.
        reloader_parent = "runserver" in argv and "--noreload" not in argv and os.environ.get("RUN_MAIN") != "true"
        serving = any(cmd in argv for cmd in SERVER_COMMANDS) and not reloader_parent
        if settings.LOCAL_BROKER_DIR and serving:
            # Under `make run` a worker consumes the local broker (bin/run-dev): say so, quietly.
            # A production server (gunicorn) with no CELERY_BROKER_URL is most likely a mistake.
            level = logging.INFO if "runserver" in argv else logging.WARNING
            logger.log(
                level,
                "CELERY_BROKER_URL is not set: background tasks (PDF reports) go to the local broker in %s "
                "and run in a worker on this machine (`make run` starts one beside the web server; "
                "alone: `make worker`). Set CELERY_BROKER_URL=redis://... for workers on other machines.",
                settings.LOCAL_BROKER_DIR,
            )
