"""Choices of information requests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestState(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SENT = "sent", _("Enviada")


class AddresseeStatus(models.TextChoices):
    """Computed per addressed agency, never stored."""

    PENDING = "pending", _("Pendiente")
    PARTIAL = "partial", _("Respondida parcialmente")
    ANSWERED = "answered", _("Respondida")
    OVERDUE = "overdue", _("Vencida")


class AnswerState(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SUBMITTED = "submitted", _("Enviada")


class ReminderStage(models.TextChoices):
    """When a reminder goes out, relative to the due date (in business days)."""

    FIVE_DAYS_BEFORE = "before_5", _("5 días hábiles antes del vencimiento")
    ONE_DAY_BEFORE = "before_1", _("1 día hábil antes del vencimiento")
    OVERDUE = "overdue", _("Al día siguiente del vencimiento")
