from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObligationsConfig(AppConfig):
    name = "obligations"
    verbose_name = _("Obligaciones y evaluaciones")

    def ready(self):
        # Register this app's Celery tasks in every process, not only in a worker (see reports.apps).
        from obligations import tasks  # noqa: F401
