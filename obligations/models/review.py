"""Review cycles, assessments (ratings) and the evidence they rest on."""

import uuid
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from obligations.choices import CycleState, EvidenceKind, Status, WorkflowState
from obligations.models.base import localized as _localized
from obligations.querysets import AssessmentQuerySet, EvidenceQuerySet, ReviewCycleQuerySet


class ReviewCycle(models.Model):
    slug = models.SlugField(_("clave"), max_length=64, unique=True)
    name_es = models.CharField(_("nombre (español)"), max_length=255)
    name_en = models.CharField(_("nombre (inglés)"), max_length=255, blank=True)
    period_start = models.DateField(_("inicio del periodo"))
    period_end = models.DateField(_("fin del periodo"))
    state = models.CharField(_("estado"), max_length=16, choices=CycleState.choices, default=CycleState.OPEN)
    methodology_version = models.CharField(_("versión de la metodología"), max_length=32, default="cndh-2019-v1")
    source = models.CharField(_("fuente"), max_length=255, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("cerrado el"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicado el"), null=True, blank=True)

    objects = ReviewCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "slug"]
        verbose_name = _("ciclo de revisión")
        verbose_name_plural = _("ciclos de revisión")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lt=F("period_end")),
                name="cycle_period_start_before_end",
                violation_error_message=_("El inicio del periodo debe ser anterior a su fin."),
            )
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

    def covers(self, day: date | None) -> bool:
        return day is not None and self.period_start <= day <= self.period_end

    def previous(self):
        """The cycle before this one (by period), for trends."""
        return ReviewCycle.objects.filter(period_end__lt=self.period_end).order_by("-period_end").first()


class Assessment(models.Model):
    """One agency × one obligation × one cycle: the rating and its rationale."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="assessments")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="assessments")
    obligation = models.ForeignKey("obligations.Obligation", on_delete=models.PROTECT, related_name="assessments")
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

    @property
    def is_locked(self) -> bool:
        """Validated ratings and ratings of published cycles are read-only."""
        return self.workflow_state == WorkflowState.VALIDATED or self.cycle.state == CycleState.PUBLISHED


def evidence_upload_to(instance, filename: str) -> str:
    """A generated, unguessable name; the original name is kept in `original_filename`."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    today = timezone.now()
    return f"evidence/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


def private_storage():
    """Evidence and reports live under MEDIA_ROOT and have no public URL."""
    return FileSystemStorage(location=settings.MEDIA_ROOT, base_url=None)


class Evidence(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(_("tipo"), max_length=16, choices=EvidenceKind.choices, default=EvidenceKind.FILE)
    title = models.CharField(_("título"), max_length=255)
    description = models.TextField(_("descripción"), blank=True)
    fact_date = models.DateField(
        _("fecha del hecho"), help_text=_("Cuándo ocurrió lo que el documento prueba, no cuándo se archivó.")
    )
    file = models.FileField(_("archivo"), upload_to=evidence_upload_to, storage=private_storage, blank=True)
    original_filename = models.CharField(_("nombre original"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
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

    history = HistoricalRecords()
    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "fact_date", "pk"]
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")

    def __str__(self):
        return self.title

    @property
    def in_period(self) -> bool:
        """CNDH methodology ¶23: evidence dated outside the cycle's period is kept and shown,
        but does not count toward the rating."""
        return self.assessment.cycle.covers(self.fact_date)
