"""An admin import as a job (obligations.imports): the uploaded file kept server-side under a
generated name, its preview (dry run) and its confirmation, each run in a Celery task for large
files, with what was found and what was saved."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from obligations.models.files import GeneratedName, private_storage


class ImportState(models.TextChoices):
    PREVIEWING = "previewing", _("revisando el archivo")
    READY = "ready", _("lista para confirmar")
    REFUSED = "refused", _("rechazada")
    IMPORTING = "importing", _("importando")
    DONE = "done", _("importada")
    FAILED = "failed", _("no importada")
    CANCELLED = "cancelled", _("cancelada")


RUNNING_STATES = (ImportState.PREVIEWING, ImportState.IMPORTING)


class ImportJob(models.Model):
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    model_label = models.CharField(_("modelo"), max_length=100)
    resource_path = models.CharField(max_length=200)
    file_format = models.CharField(_("formato"), max_length=8)
    original_name = models.CharField(_("nombre original"), max_length=255, blank=True)  # shown, never opened
    file = models.FileField(upload_to=GeneratedName("imports"), storage=private_storage, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminada el"), null=True, blank=True)
    state = models.CharField(_("estado"), max_length=16, choices=ImportState.choices, default=ImportState.PREVIEWING)
    rows = models.PositiveIntegerField(_("filas"), default=0)
    new = models.PositiveIntegerField(_("nuevas"), default=0)
    updated = models.PositiveIntegerField(_("actualizadas"), default=0)
    unchanged = models.PositiveIntegerField(_("sin cambios"), default=0)
    error_count = models.PositiveIntegerField(_("errores"), default=0)
    errors = models.JSONField(default=list, blank=True)  # the first IMPORT_MAX_ERRORS_SHOWN messages
    message = models.TextField(_("mensaje"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("importación")
        verbose_name_plural = _("importaciones")

    def __str__(self):
        return f"{self.model_label} · {self.original_name} · {self.get_state_display()}"

    @property
    def is_running(self) -> bool:
        return self.state in RUNNING_STATES
