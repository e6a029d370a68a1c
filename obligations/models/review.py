"""Review cycles, assessments (ratings) and the evidence they rest on."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.constraints import unique_ignoring_case
from obligations import workflow
from obligations.choices import CycleState, DatePrecision, EvidenceKind, Status, WorkflowState
from obligations.models.base import localized as _localized
from obligations.models.files import FileRecord, GeneratedName, private_storage
from obligations.querysets import AssessmentQuerySet, EvidenceQuerySet, ReviewCycleQuerySet

# Statuses that must rest on at least one in-period evidence item (CNDH 2019 ¶23).
STATUSES_NEEDING_EVIDENCE = (Status.COMPLIED, Status.PARTIALLY_COMPLIED)


class LockedError(ValidationError):
    """A change refused because the record is read-only (validated rating, published cycle)."""


class ReviewCycle(models.Model):
    slug = models.SlugField(_("clave"), max_length=64, unique=True)
    name_es = models.CharField(_("nombre (español)"), max_length=255)
    name_en = models.CharField(_("nombre (inglés)"), max_length=255, blank=True)
    period_start = models.DateField(_("inicio del periodo"))
    period_end = models.DateField(_("fin del periodo"))
    state = models.CharField(_("estado"), max_length=16, choices=CycleState.choices, default=CycleState.OPEN)
    methodology_version = models.CharField(_("versión de la metodología"), max_length=32, default="cndh-2019-v1")
    source = models.CharField(_("fuente"), max_length=255, blank=True)
    # When the source document (e.g. the CNDH's 2019 diagnosis) was published, as precisely as it
    # is known: the cover of a report shows this, never the date the data was loaded or published here.
    source_published_on = models.DateField(
        _("publicación de la fuente"),
        null=True,
        blank=True,
        help_text=_("Fecha en que se publicó el documento fuente; vacía si no se conoce."),
    )
    source_published_precision = models.CharField(
        _("precisión de la fecha de la fuente"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("abierto por"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("cerrado el"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicado el"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ReviewCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "slug"]
        verbose_name = _("ciclo de revisión")
        verbose_name_plural = _("ciclos de revisión")
        constraints = [
            unique_ignoring_case(
                "slug",
                "reviewcycle_slug_ci_unique",
                _("Ya existe un ciclo con esa clave (sin distinguir mayúsculas de minúsculas)."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__lt=F("period_end")),
                name="cycle_period_start_before_end",
                violation_error_message=_("El inicio del periodo debe ser anterior a su fin."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    @property
    def name(self):
        return _localized(self, "name")

    @property
    def is_published(self) -> bool:
        return self.state == CycleState.PUBLISHED

    def change_refusal(self) -> str | None:
        return workflow.cycle_refusal(self)

    def delete_refusal(self) -> str | None:
        return _("Los ciclos no se eliminan: forman parte del rastro de auditoría.")

    def source_publication(self) -> str:
        """The source's publication date as precisely as it is known ("2019", "agosto de 2019",
        "15 de agosto de 2019"), or "" when unknown."""
        day = self.source_published_on
        if day is None:
            return ""
        if self.source_published_precision == DatePrecision.YEAR:
            return str(day.year)
        # Spanish months in lower case come from the catalogue (compliance/locale_overrides.py).
        return date_format(
            day, "YEAR_MONTH_FORMAT" if self.source_published_precision == DatePrecision.MONTH else "DATE_FORMAT"
        )

    def covers(self, day: date | None) -> bool:
        return day is not None and self.period_start <= day <= self.period_end

    def previous(self):
        """The cycle before this one (by period), for trends."""
        return ReviewCycle.objects.filter(period_end__lt=self.period_end).order_by("-period_end").first()


class Assessment(models.Model):
    """One agency × one obligation × one cycle: the rating and its rationale."""

    cycle = models.ForeignKey(
        ReviewCycle, verbose_name=_("ciclo"), on_delete=models.PROTECT, related_name="assessments"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("dependencia"), on_delete=models.PROTECT, related_name="assessments"
    )
    obligation = models.ForeignKey(
        "obligations.Obligation", verbose_name=_("obligación"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(_("estatus"), max_length=24, choices=Status.choices, blank=True)
    rationale = models.TextField(_("justificación"), blank=True)
    source_reference = models.CharField(
        _("referencia de la fuente"), max_length=255, blank=True, help_text=_("p. ej. CNDH 2019 ¶161")
    )
    workflow_state = models.CharField(
        _("etapa"), max_length=16, choices=WorkflowState.choices, default=WorkflowState.DRAFT
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluador(a)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    validator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validador(a)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("enviada el"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validada el"), null=True, blank=True)
    return_reason = models.TextField(_("motivo de devolución"), blank=True)
    version = models.PositiveIntegerField(_("versión"), default=1)
    updated_at = models.DateTimeField(_("actualizada el"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "agency", "obligation"]
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "agency", "obligation"],
                name="assessment_unique_per_cycle",
                violation_error_message=_(
                    "Ya existe una evaluación de esa obligación para esa dependencia en ese ciclo."
                ),
            )
        ]
        indexes = [
            # Scorecards: all assessments of one cycle (and one agency).
            models.Index(fields=["cycle", "agency"], name="assessment_cycle_agency"),
            # Admin list filtered by workflow state within a cycle.
            models.Index(fields=["cycle", "workflow_state"], name="assessment_cycle_workflow"),
        ]

    def __str__(self):
        return f"{self.cycle.slug} · {self.agency.acronym} · {self.obligation.code}"

    # Fields an auditor edits when rating; the others change only through the workflow.
    RATING_FIELDS = ("status", "rationale", "source_reference")
    # Fields compared when two auditors collide (shown in the conflict message and history).
    TRACKED_FIELDS = (
        "status",
        "rationale",
        "source_reference",
        "workflow_state",
        "reviewer",
        "validator",
        "return_reason",
    )

    @property
    def is_locked(self) -> bool:
        """Validated ratings and ratings of published cycles are read-only (obligations.workflow)."""
        return workflow.is_locked(self)

    @property
    def is_editable(self) -> bool:
        """Only drafts of unpublished cycles can be rated (obligations.workflow.edit_refusal)."""
        return workflow.edit_refusal(self) is None

    def change_refusal(self) -> str | None:
        return workflow.edit_refusal(self)

    def delete_refusal(self) -> str | None:
        return _("Las evaluaciones no se eliminan: forman parte del rastro de auditoría.")

    def rating_errors(self, evidence=None) -> dict[str, list[str]]:
        """What keeps this rating from standing: a status needs a written rationale;
        complied and partially complied need at least one in-period evidence item (¶23).

        `evidence`: the evidence items to judge with (e.g. including ones being added in the
        same form); by default the stored ones."""
        errors: dict[str, list[str]] = {}
        if self.status and not (self.rationale or "").strip():
            errors["rationale"] = [_("Todo estatus requiere una justificación escrita.")]
        if self.status in STATUSES_NEEDING_EVIDENCE:
            if evidence is None:
                evidence = list(self.evidence.all()) if self.pk else []
            if not any(self.cycle.covers(item.fact_date) for item in evidence):
                message = _(
                    "«%(status)s» requiere al menos una evidencia fechada dentro del periodo del ciclo "
                    "(%(start)s a %(end)s)."
                ) % {
                    "status": self.get_status_display(),
                    "start": self.cycle.period_start.isoformat(),
                    "end": self.cycle.period_end.isoformat(),
                }
                if evidence:
                    message += " " + _("Las evidencias fuera de periodo se conservan pero no cuentan (CNDH 2019 ¶23).")
                errors["status"] = [message]
        return errors

    def clean(self):
        super().clean()
        if self.cycle_id:
            errors = self.rating_errors()
            if getattr(self, "_defer_evidence_check", False):
                errors.pop("status", None)
            if errors:
                raise ValidationError(errors)


def _locked_assessment(pk) -> Assessment:
    """The assessment row, locked until the end of the current transaction."""
    return Assessment.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=pk)


class Evidence(FileRecord, models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("evaluación"), on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("tipo"), max_length=16, choices=EvidenceKind.choices, default=EvidenceKind.FILE)
    title = models.CharField(_("título"), max_length=255)
    description = models.TextField(_("descripción"), blank=True)
    fact_date = models.DateField(
        _("fecha del hecho"), help_text=_("Cuándo ocurrió lo que el documento prueba, no cuándo se archivó.")
    )
    file = models.FileField(_("archivo"), upload_to=GeneratedName("evidence"), storage=private_storage, blank=True)
    original_filename = models.CharField(_("nombre original"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    content_type = models.CharField(_("tipo de contenido"), max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"), null=True, blank=True, editable=False)
    url = models.URLField(_("enlace"), max_length=1000, blank=True)
    source_reference = models.CharField(_("referencia"), max_length=255, blank=True)
    confidential = models.BooleanField(
        _("confidencial"),
        default=True,
        help_text=_("Puede nombrar a víctimas. Desmárquelo sólo cuando el documento esté testado."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aportada por"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    provided_by_agency = models.BooleanField(_("aportada por la dependencia"), default=False)
    created_at = models.DateTimeField(_("registrada el"), default=timezone.now, editable=False)

    default_download_name = "evidencia"

    # Fields that may still change once the assessment is locked: marking a redacted item
    # publishable is how validated evidence reaches the public.
    CHANGEABLE_WHEN_LOCKED = frozenset({"confidential"})

    history = HistoricalRecords()
    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "fact_date", "pk"]
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Evidence of a validated assessment (or of a published cycle) is immutable, except
        for being marked publishable once redacted. Enforced here, not only in the admin.
        The assessment row is locked meanwhile, so a validation cannot slip in between."""
        with transaction.atomic():
            if self.pk:
                stored = Evidence.objects.filter(pk=self.pk).first()
                if stored is not None:
                    touched = {
                        f.attname
                        for f in self._meta.concrete_fields
                        if getattr(stored, f.attname) != getattr(self, f.attname)
                    }
                    locked = _locked_assessment(stored.assessment_id).is_locked or (
                        self.assessment_id != stored.assessment_id and _locked_assessment(self.assessment_id).is_locked
                    )
                    if locked and touched - self.CHANGEABLE_WHEN_LOCKED:
                        raise LockedError(self._locked_message())
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            if self.pk and _locked_assessment(self.assessment_id).is_locked:
                raise LockedError(self._locked_message())
            return super().delete(*args, **kwargs)

    @property
    def in_period(self) -> bool:
        """CNDH methodology ¶23: evidence dated outside the cycle's period is kept and shown,
        but does not count toward the rating."""
        return self.assessment.cycle.covers(self.fact_date)

    @property
    def period_flag(self) -> str:
        """'fuera de periodo' for evidence that does not count, empty otherwise."""
        return "" if self.in_period else str(_("fuera de periodo"))

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == EvidenceKind.FILE and not self.file:
            errors["file"] = _("Adjunte el archivo.")
        if self.kind == EvidenceKind.LINK and not self.url:
            errors["url"] = _("Indique el enlace.")
        if self.kind == EvidenceKind.OFFICIAL_REPLY and not (self.file or self.source_reference):
            errors["file"] = _("Adjunte la respuesta oficial o indique su referencia (oficio).")
        if self.kind == EvidenceKind.PUBLIC_SOURCE and not (self.source_reference or self.url):
            errors["source_reference"] = _("Cite la fuente pública (p. ej. CNDH 2019 ¶161) o su enlace.")
        if errors:
            raise ValidationError(errors)

    def change_refusal(self) -> str | None:
        """Evidence of a validated rating or a published cycle is read-only on every page that
        edits it (it can only be marked publishable, through its own action)."""
        return workflow.evidence_refusal(self.assessment)

    def delete_refusal(self) -> str | None:
        """Evidence of a validated rating or a published cycle is never deleted."""
        return workflow.evidence_refusal(self.assessment)

    def _locked_message(self):
        return _(
            "La evidencia «%(title)s» pertenece a una evaluación validada o a un ciclo publicado: "
            "no puede modificarse ni eliminarse."
        ) % {"title": self.title}
