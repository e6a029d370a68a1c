from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationRequestsConfig(AppConfig):
    name = "information_requests"
    verbose_name = _("Solicitudes de información")

    def ready(self):
        # Register this app's Celery tasks in every process, not only in a worker (see reports.apps).
        from information_requests import tasks  # noqa: F401
