"""Information requests to agencies, the liaisons' answers and the reminders.

CNDH 2019 ¶12, ¶20, ¶23: the baseline was built by sending each agency a request with a
format and waiting for letters; many answers were late, evasive or incomplete. These models
put that exchange inside the product:

- InformationRequest: what the auditors ask (cycle, obligations, indicators, questions, due date).
- RequestAddressee: one row per addressed agency (its status is computed from its answers).
- Answer / AnswerDocument: the liaison's answer per obligation; draft → submitted (read-only),
  on submission it becomes Evidence on the matching assessment (information_requests.services).
- ReminderSent: one row per addressee and reminder stage, so reminders are sent once.

The right of reply to a validated rating lives with the ratings (obligations.models.replies).
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies import policy
from information_requests.choices import AddresseeStatus, AnswerState, ReminderStage, RequestState
from obligations.choices import CycleState
from obligations.models.files import GeneratedName, StoredFile, private_storage


class InformationRequestQuerySet(policy.ScopedQuerySet):
    def sent(self):
        return self.filter(state=RequestState.SENT)


class InformationRequest(models.Model):
    cycle = models.ForeignKey(
        "obligations.ReviewCycle",
        verbose_name=_("ciclo"),
        on_delete=models.PROTECT,
        related_name="information_requests",
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
        settings.AUTH_USER_MODEL,
        verbose_name=_("creada por"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
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
        constraints = [
            # An oficio number names its issuing area and year (CNDH/5/2026/001): the same number
            # twice is the same letter. Blank while the number is not assigned yet.
            models.UniqueConstraint(
                Lower("reference"),
                condition=~Q(reference=""),
                name="request_unique_reference",
                violation_error_message=_(
                    "Ya hay una solicitud con ese número de oficio. Cada número (área emisora, año y "
                    "consecutivo, p. ej. CNDH/5/2026/001) se usa una sola vez."
                ),
            ),
        ]

    def __str__(self):
        return self.reference or self.title

    @property
    def is_sent(self) -> bool:
        return self.state == RequestState.SENT

    def is_overdue(self, today) -> bool:
        return self.is_sent and self.due_date < today

    def change_refusal(self) -> str | None:
        """Why the request (its text, scope, addressees and attachments) cannot change: once sent
        it is an official letter; a published cycle takes no requests."""
        if self.is_sent:
            return _("La solicitud ya fue enviada: es de sólo lectura.")
        if self.cycle_id and self.cycle.state == CycleState.PUBLISHED:
            return _("El ciclo ya está publicado: no se pueden preparar ni enviar solicitudes.")
        return None


class RequestAttachment(StoredFile):
    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("archivo"), upload_to=GeneratedName("requests/attachments"), storage=private_storage)

    history = HistoricalRecords()  # deletions too leave a row (issue 14)

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("anexo de la solicitud")
        verbose_name_plural = _("anexos de la solicitud")


class RequestAddresseeQuerySet(policy.ScopedQuerySet):
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

    history = HistoricalRecords()  # deletions too leave a row (issue 14)

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


class AnswerQuerySet(policy.ScopedQuerySet):
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
        related_name="answers",
    )
    evidence = models.OneToOneField(
        "obligations.Evidence",
        verbose_name=_("evidencia"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answer",
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

    def matching_assessment(self):
        """The rating this answer informs: the same cycle, agency and obligation (None when the
        auditors asked about an obligation not planned for the agency)."""
        from obligations.models import Assessment

        addressee = self.addressee
        return (
            Assessment.objects.select_related("cycle")
            .filter(
                cycle_id=addressee.request.cycle_id, agency_id=addressee.agency_id, obligation_id=self.obligation_id
            )
            .first()
        )

    def edit_refusal(self) -> str | None:
        """Why the liaison cannot write or send this answer (None while they can). Shown before
        typing, so that nobody writes an answer that cannot be received."""
        if self.is_submitted:
            return _("La respuesta ya fue enviada y no puede modificarse.")
        if self.addressee.request.cycle.state == CycleState.PUBLISHED:
            return _("El ciclo ya está publicado: la solicitud está cerrada.")
        assessment = self.matching_assessment()
        if assessment is not None and assessment.is_locked:
            return _(
                "La calificación de esta obligación ya fue validada: esta respuesta ya no puede incorporarse "
                "como evidencia. Si su dependencia no está de acuerdo con la calificación, use el derecho de réplica."
            )
        return None


class AnswerDocument(StoredFile):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("archivo"), upload_to=GeneratedName("requests/answers"), storage=private_storage)
    evidence = models.OneToOneField(
        "obligations.Evidence", null=True, blank=True, on_delete=models.PROTECT, related_name="answer_document"
    )

    history = HistoricalRecords()  # deletions too leave a row (issue 14)

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
