"""The right of reply: an agency answers a validated rating before publication, and the
auditors answer the reply (the rating is kept or changed, always with a reason)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies import policy
from obligations.choices import CycleState, ReplyOutcome, Status, WorkflowState
from obligations.models.files import GeneratedName, StoredFile, private_storage


class ReplyQuerySet(policy.ScopedQuerySet):
    def visible_to(self, user):
        """Replies follow the ratings they answer (agencies.policy)."""
        return policy.scope(user, self)

    def published(self):
        return self.filter(assessment__cycle__state=CycleState.PUBLISHED)

    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class Reply(models.Model):
    """Right of reply: one per validated rating, filed by the agency before publication."""

    assessment = models.OneToOneField(
        "obligations.Assessment", verbose_name=_("evaluación"), on_delete=models.PROTECT, related_name="reply"
    )
    text = models.TextField(_("réplica"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("presentada por"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("presentada el"), default=timezone.now)
    status_at_filing = models.CharField(_("estatus al presentarla"), max_length=24, choices=Status.choices)
    outcome = models.CharField(_("resolución"), max_length=16, choices=ReplyOutcome.choices, blank=True)
    response = models.TextField(_("respuesta del equipo auditor"), blank=True)
    new_status = models.CharField(_("estatus nuevo"), max_length=24, choices=Status.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondida por"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("respondida el"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("réplica")
        verbose_name_plural = _("réplicas")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | (Q(answered_at__isnull=False) & ~Q(response="")),
                name="reply_answer_has_reason",
                violation_error_message=_("La respuesta a una réplica necesita un motivo."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="changed") | ~Q(new_status=""),
                name="reply_changed_has_status",
                violation_error_message=_("Indique el estatus nuevo cuando la calificación cambia."),
            ),
        ]

    def __str__(self):
        return f"{_('Réplica')} · {self.assessment}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def answer_refusal(self) -> str | None:
        """Why this reply cannot be answered (None while it can): once answered, or once the
        cycle is published."""
        if self.is_answered:
            return _("Esta réplica ya fue respondida.")
        if self.assessment.cycle.state == CycleState.PUBLISHED:
            return _("El ciclo ya está publicado: las réplicas están cerradas.")
        return None

    def change_refusal(self) -> str | None:
        """A reply is answered once, before publication (then it is read-only)."""
        return self.answer_refusal()

    def delete_refusal(self) -> str | None:
        return _("Las réplicas no se eliminan: forman parte del rastro de auditoría.")

    @staticmethod
    def filing_refusal(assessment) -> str | None:
        """Why the agency cannot file a reply to this rating (None when it can): only validated
        ratings of unpublished cycles, one reply each."""
        if assessment.cycle.state == CycleState.PUBLISHED:
            return _("El ciclo ya está publicado: el periodo de réplica terminó.")
        if assessment.workflow_state != WorkflowState.VALIDATED:
            return _("Sólo se puede replicar una calificación validada.")
        if Reply.objects.filter(assessment=assessment).exists():
            return _("Ya se presentó una réplica para esta calificación.")
        return None


class ReplyDocument(StoredFile):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("archivo"), upload_to=GeneratedName("requests/replies"), storage=private_storage)

    history = HistoricalRecords()  # deletions too leave a row (issue 14)

    class Meta:
        ordering = ["reply", "pk"]
        verbose_name = _("documento de la réplica")
        verbose_name_plural = _("documentos de la réplica")
