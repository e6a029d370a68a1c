from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """Written by the `heartbeat` task: proves that a worker consumed a task and reached
    the database (used by `manage.py check_worker` and the tests)."""

    token = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    eager = models.BooleanField(default=False, help_text=_("Run in-process, without a broker."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("latido del worker")
        verbose_name_plural = _("latidos del worker")

    def __str__(self):
        return f"{self.hostname} {self.created_at:%Y-%m-%d %H:%M:%S}"
