"""Information requests to agencies, the liaisons' answers, reminders and the right of reply.

CNDH 2019 ¶12, ¶20, ¶23: the baseline was built by sending each agency a request with a
format and waiting for letters; many answers were late, evasive or incomplete. These models
put that exchange inside the product:

- InformationRequest: what the auditors ask (cycle, obligations, indicators, questions, due date).
- RequestAddressee: one row per addressed agency (its status is computed from its answers).
- Answer / AnswerDocument: the liaison's answer per obligation; draft → submitted (read-only),
  on submission it becomes Evidence on the matching assessment (see obligations.request_services).
- ReminderSent: one row per addressee and reminder stage, so reminders are sent once.
- Reply / ReplyDocument: the agency's right of reply to a validated rating, and the auditor's answer.
"""

import hashlib
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies import access
from obligations.choices import CycleState, Status, WorkflowState
from obligations.models.review import private_storage
from obligations.request_choices import AddresseeStatus, AnswerState, ReminderStage, ReplyOutcome, RequestState


def _generated_name(folder: str, filename: str) -> str:
    """A generated, unguessable name; the original name is kept in `original_filename`."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def request_attachment_upload_to(instance, filename: str) -> str:
    return _generated_name("requests/attachments", filename)


def answer_document_upload_to(instance, filename: str) -> str:
    return _generated_name("requests/answers", filename)


def reply_document_upload_to(instance, filename: str) -> str:
    return _generated_name("requests/replies", filename)


class StoredFile(models.Model):
    """A private file with its original name, size and SHA-256 (same rules as evidence)."""

    title = models.CharField(_("título"), max_length=255, blank=True)
    original_filename = models.CharField(_("nombre original"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"), null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registrado el"), default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title or self.original_filename

    def save(self, *args, **kwargs):
        if self.file and not self.sha256:
            digest = hashlib.sha256()
            self.file.open("rb")
            self.file.seek(0)
            for chunk in self.file.chunks():
                digest.update(chunk)
            self.file.seek(0)
            self.sha256 = digest.hexdigest()
            self.size = self.file.size
            if not self.original_filename:
                self.original_filename = PurePosixPath(self.file.name).name[:255]
        super().save(*args, **kwargs)


# --- Information requests -------------------------------------------------------------


class InformationRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Auditors: every request. Liaisons: sent requests addressed to their agencies.
        Everyone else: none (requests are not public)."""
        if access.is_auditor(user):
            return self
        if access.is_liaison(user):
            return self.filter(
                state=RequestState.SENT, addressees__agency_id__in=access.liaison_agency_ids(user)
            ).distinct()
        return self.none()

    def sent(self):
        return self.filter(state=RequestState.SENT)


class InformationRequest(models.Model):
    cycle = models.ForeignKey(
        "obligations.ReviewCycle", verbose_name=_("ciclo"), on_delete=models.PROTECT, related_name="requests"
    )
    reference = models.CharField(
        _("número de oficio"), max_length=64, blank=True, help_text=_("p. ej. CNDH/5/2026/001")
    )
    title = models.CharField(_("asunto"), max_length=255)
    questions = models.TextField(_("preguntas"), help_text=_("Lo que se pide a la dependencia, punto por punto."))
    obligations = models.ManyToManyField(
        "obligations.Obligation", verbose_name=_("obligaciones"), related_name="information_requests"
    )
    indicators = models.ManyToManyField(
        "obligations.Indicator", verbose_name=_("indicadores"), blank=True, related_name="information_requests"
    )
    agencies = models.ManyToManyField(
        "agencies.Agency",
        through="RequestAddressee",
        verbose_name=_("dependencias destinatarias"),
        related_name="information_requests",
    )
    due_date = models.DateField(
        _("fecha límite"), help_text=_("Último día para responder (se cuentan días hábiles, sin días de descanso).")
    )
    state = models.CharField(_("estado"), max_length=16, choices=RequestState.choices, default=RequestState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enviada por"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("enviada el"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[obligations, indicators])
    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-due_date", "-pk"]
        verbose_name = _("solicitud de información")
        verbose_name_plural = _("solicitudes de información")
        indexes = [
            # The reminder task: sent requests by due date.
            models.Index(fields=["state", "due_date"], name="request_state_due"),
        ]

    def __str__(self):
        return self.reference or self.title

    @property
    def is_sent(self) -> bool:
        return self.state == RequestState.SENT

    def is_overdue(self, today) -> bool:
        return self.is_sent and self.due_date < today


class RequestAttachment(StoredFile):
    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("archivo"), upload_to=request_attachment_upload_to, storage=private_storage)

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("anexo de la solicitud")
        verbose_name_plural = _("anexos de la solicitud")


class RequestAddresseeQuerySet(models.QuerySet):
    def visible_to(self, user):
        if access.is_auditor(user):
            return self
        if access.is_liaison(user):
            return self.filter(request__state=RequestState.SENT, agency_id__in=access.liaison_agency_ids(user))
        return self.none()

    def with_progress(self):
        """Annotate `expected_count` (obligations asked) and `submitted_count` (answers submitted)."""
        return self.annotate(
            expected_count=Count("request__obligations", distinct=True),
            submitted_count=Count("answers", filter=Q(answers__state=AnswerState.SUBMITTED), distinct=True),
        )

    def pending(self):
        """Addressees with at least one obligation not answered (submitted) yet."""
        return self.with_progress().filter(submitted_count__lt=F("expected_count"))

    def overdue(self, today):
        return self.filter(request__state=RequestState.SENT, request__due_date__lt=today).pending()


class RequestAddressee(models.Model):
    """One addressed agency of a request; its status comes from its answers and the due date."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="addressees")
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("dependencia"), on_delete=models.PROTECT, related_name="request_addressees"
    )
    notified_at = models.DateTimeField(_("notificada el"), null=True, blank=True)

    objects = RequestAddresseeQuerySet.as_manager()

    class Meta:
        ordering = ["request", "agency__acronym"]
        verbose_name = _("dependencia destinataria")
        verbose_name_plural = _("dependencias destinatarias")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "agency"],
                name="addressee_unique",
                violation_error_message=_("Esa dependencia ya es destinataria de la solicitud."),
            )
        ]

    def __str__(self):
        return f"{self.request} → {self.agency.acronym}"

    def progress(self) -> tuple[int, int]:
        """(submitted answers, obligations asked): uses `with_progress()` annotations when present."""
        if hasattr(self, "submitted_count") and hasattr(self, "expected_count"):
            return self.submitted_count, self.expected_count
        expected = self.request.obligations.count()
        submitted = self.answers.filter(state=AnswerState.SUBMITTED).count()
        return submitted, expected

    def status(self, today=None) -> str:
        """answered (everything submitted), overdue (past due with items missing),
        partial (some submitted, still on time) or pending (nothing yet, on time)."""
        today = today or timezone.localdate()
        submitted, expected = self.progress()
        if expected and submitted >= expected:
            return AddresseeStatus.ANSWERED
        if self.request.is_overdue(today):
            return AddresseeStatus.OVERDUE
        if submitted:
            return AddresseeStatus.PARTIAL
        return AddresseeStatus.PENDING

    def get_status_display(self, today=None) -> str:
        return AddresseeStatus(self.status(today)).label

    def liaison_emails(self) -> list[str]:
        return sorted(
            {m.user.email for m in self.agency.memberships.select_related("user") if m.user.email and m.user.is_active}
        )


class AnswerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Auditors see submitted answers (drafts stay with the agency); liaisons see their
        agencies' answers, drafts included."""
        if access.is_liaison(user) and not access.is_auditor(user):
            return self.filter(
                addressee__request__state=RequestState.SENT,
                addressee__agency_id__in=access.liaison_agency_ids(user),
            )
        if access.is_auditor(user):
            return self.filter(state=AnswerState.SUBMITTED)
        return self.none()

    def submitted(self):
        return self.filter(state=AnswerState.SUBMITTED)


class Answer(models.Model):
    """A liaison's answer to one obligation of a request, for one agency."""

    addressee = models.ForeignKey(RequestAddressee, on_delete=models.CASCADE, related_name="answers")
    obligation = models.ForeignKey(
        "obligations.Obligation", verbose_name=_("obligación"), on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(_("respuesta"), blank=True)
    fact_date = models.DateField(
        _("fecha de los hechos"),
        null=True,
        blank=True,
        help_text=_("Fecha a la que se refiere la información (si se omite, la fecha de envío)."),
    )
    state = models.CharField(_("estado"), max_length=16, choices=AnswerState.choices, default=AnswerState.DRAFT)
    assessment = models.ForeignKey(
        "obligations.Assessment",
        verbose_name=_("evaluación"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request_answers",
    )
    evidence = models.OneToOneField(
        "obligations.Evidence",
        verbose_name=_("evidencia"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request_answer",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("actualizada el"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enviada por"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("enviada el"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["addressee", "obligation__code"]
        verbose_name = _("respuesta")
        verbose_name_plural = _("respuestas")
        constraints = [
            models.UniqueConstraint(
                fields=["addressee", "obligation"],
                name="answer_unique_per_obligation",
                violation_error_message=_("Ya hay una respuesta de esa dependencia para esa obligación."),
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="answer_submitted_has_date",
                violation_error_message=_("Una respuesta enviada necesita fecha de envío."),
            ),
        ]

    def __str__(self):
        return f"{self.addressee} · {self.obligation.code}"

    @property
    def is_submitted(self) -> bool:
        return self.state == AnswerState.SUBMITTED


class AnswerDocument(StoredFile):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("archivo"), upload_to=answer_document_upload_to, storage=private_storage)
    evidence = models.OneToOneField(
        "obligations.Evidence", null=True, blank=True, on_delete=models.PROTECT, related_name="request_document"
    )

    class Meta:
        ordering = ["answer", "pk"]
        verbose_name = _("documento de la respuesta")
        verbose_name_plural = _("documentos de la respuesta")


class ReminderSent(models.Model):
    """One reminder stage sent to one addressee: the unique constraint makes reminders idempotent."""

    addressee = models.ForeignKey(RequestAddressee, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(_("etapa"), max_length=16, choices=ReminderStage.choices)
    recipients = models.TextField(_("destinatarios"), blank=True)
    sent_at = models.DateTimeField(_("enviado el"), default=timezone.now)

    class Meta:
        ordering = ["addressee", "sent_at"]
        verbose_name = _("recordatorio enviado")
        verbose_name_plural = _("recordatorios enviados")
        constraints = [
            models.UniqueConstraint(
                fields=["addressee", "stage"],
                name="reminder_once_per_stage",
                violation_error_message=_("Ese recordatorio ya se envió."),
            )
        ]

    def __str__(self):
        return f"{self.addressee} · {self.get_stage_display()}"


# --- Right of reply -------------------------------------------------------------------


class ReplyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Replies follow the ratings they answer (the one access rule for assessments)."""
        from obligations.models import Assessment

        return self.filter(assessment__in=Assessment.objects.visible_to(user))

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

    @property
    def is_open(self) -> bool:
        """A reply can be answered until its cycle is published."""
        return self.assessment.cycle.state != CycleState.PUBLISHED

    @staticmethod
    def can_be_filed_for(assessment) -> bool:
        return (
            assessment.workflow_state == WorkflowState.VALIDATED
            and assessment.cycle.state != CycleState.PUBLISHED
            and not Reply.objects.filter(assessment=assessment).exists()
        )


class ReplyDocument(StoredFile):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("archivo"), upload_to=reply_document_upload_to, storage=private_storage)

    class Meta:
        ordering = ["reply", "pk"]
        verbose_name = _("documento de la réplica")
        verbose_name_plural = _("documentos de la réplica")
