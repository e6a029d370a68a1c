"""The domain: legal instruments, obligations, indicators, review cycles, assessments,
evidence and recommendations. Business rules live here and in obligations.services."""

import uuid
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from obligations.choices import (
    Component,
    CycleState,
    EvidenceKind,
    FollowUpStatus,
    IndicatorKind,
    InstrumentKind,
    Issuer,
    Level,
    ResponsibilityRole,
    Status,
    WorkflowState,
)
from obligations.querysets import AssessmentQuerySet, EvidenceQuerySet, ReviewCycleQuerySet


def _localized(obj, field: str) -> str:
    """`obj.<field>_en` when English is active and it is filled, else `obj.<field>_es`."""
    if (get_language() or "es").startswith("en"):
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_es")


class LegalInstrument(models.Model):
    code = models.SlugField(_("clave"), max_length=32, unique=True, help_text=_("p. ej. LGPSEDMTP"))
    short_name = models.CharField(_("nombre corto"), max_length=64)
    name_es = models.CharField(_("nombre (español)"), max_length=400)
    name_en = models.CharField(_("nombre (inglés)"), max_length=400, blank=True)
    kind = models.CharField(_("tipo"), max_length=16, choices=InstrumentKind.choices)
    published_on = models.DateField(_("publicación en el DOF"), null=True, blank=True)
    source = models.CharField(_("fuente"), max_length=255, blank=True)

    class Meta:
        ordering = ["published_on", "code"]
        verbose_name = _("instrumento jurídico")
        verbose_name_plural = _("instrumentos jurídicos")

    def __str__(self):
        return self.short_name

    def natural_key(self):
        return (self.code,)

    @property
    def name(self):
        return _localized(self, "name")


class Provision(models.Model):
    """An article (and optionally fraction and paragraph) of a legal instrument."""

    instrument = models.ForeignKey(LegalInstrument, on_delete=models.PROTECT, related_name="provisions")
    article = models.CharField(_("artículo"), max_length=16)
    fraction = models.CharField(_("fracción"), max_length=16, blank=True)
    paragraph = models.CharField(_("párrafo"), max_length=16, blank=True)
    transitory = models.BooleanField(_("transitorio"), default=False)
    summary_es = models.TextField(_("resumen (español)"), blank=True)
    summary_en = models.TextField(_("resumen (inglés)"), blank=True)
    source = models.CharField(_("fuente"), max_length=255, blank=True, help_text=_("p. ej. CNDH 2019 ¶162"))

    class Meta:
        ordering = ["instrument", "transitory", "article", "fraction", "paragraph"]
        verbose_name = _("disposición")
        verbose_name_plural = _("disposiciones")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "article", "fraction", "paragraph", "transitory"],
                name="provision_unique_citation",
                violation_error_message=_("Esa disposición ya existe."),
            )
        ]

    def __str__(self):
        return self.citation

    @property
    def citation(self) -> str:
        """Reads like 'LGPSEDMTP art. 89 fr. XV' or 'Reglamento art. 8 transitorio'."""
        parts = [self.instrument.short_name, f"art. {self.article}"]
        if self.transitory:
            parts.append("transitorio")
        if self.fraction:
            parts.append(f"fr. {self.fraction}")
        if self.paragraph:
            parts.append(f"párr. {self.paragraph}")
        return " ".join(parts)

    @property
    def summary(self):
        return _localized(self, "summary")


class ObligationQuerySet(models.QuerySet):
    def in_force_on(self, day: date):
        return self.filter(Q(in_force_from__isnull=True) | Q(in_force_from__lte=day)).filter(
            Q(in_force_until__isnull=True) | Q(in_force_until__gte=day)
        )


class Obligation(models.Model):
    code = models.CharField(_("clave"), max_length=32, unique=True)
    title_es = models.CharField(_("título (español)"), max_length=400)
    title_en = models.CharField(_("título (inglés)"), max_length=400, blank=True)
    description_es = models.TextField(_("descripción (español)"), blank=True)
    description_en = models.TextField(_("descripción (inglés)"), blank=True)
    component = models.CharField(_("componente"), max_length=16, choices=Component.choices)
    level = models.PositiveSmallIntegerField(_("nivel CNDH"), choices=Level.choices)
    provisions = models.ManyToManyField(
        Provision, verbose_name=_("fundamento legal"), blank=True, related_name="obligations"
    )
    legal_basis_to_verify = models.BooleanField(
        _("fundamento por verificar"),
        default=True,
        help_text=_("Marcado mientras no se haya confirmado el fundamento legal contra el texto oficial."),
    )
    agencies = models.ManyToManyField(
        "agencies.Agency", through="Responsibility", related_name="obligations", verbose_name=_("responsables")
    )
    deadline_es = models.CharField(_("plazo legal (español)"), max_length=255, blank=True)
    deadline_en = models.CharField(_("plazo legal (inglés)"), max_length=255, blank=True)
    deadline_date = models.DateField(_("fecha límite legal"), null=True, blank=True)
    in_force_from = models.DateField(_("vigente desde"), null=True, blank=True)
    in_force_until = models.DateField(_("vigente hasta"), null=True, blank=True)
    source = models.CharField(_("fuente"), max_length=255, blank=True, help_text=_("p. ej. CNDH 2019 ¶161"))

    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("obligación")
        verbose_name_plural = _("obligaciones")

    def __str__(self):
        return f"{self.code} · {self.title}"

    def natural_key(self):
        return (self.code,)

    @property
    def title(self):
        return _localized(self, "title")

    @property
    def description(self):
        return _localized(self, "description")

    @property
    def deadline(self):
        return _localized(self, "deadline")

    @property
    def legal_basis(self) -> str:
        """'LGPSEDMTP art. 89 fr. XV; Reglamento art. 83', empty when unknown.
        Uses prefetched provisions (prefetch `provisions__instrument`)."""
        return "; ".join(p.citation for p in self.provisions.all())

    def is_overdue(self, today: date) -> bool:
        return self.deadline_date is not None and self.deadline_date < today


class Responsibility(models.Model):
    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="responsibilities")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="responsibilities")
    role = models.CharField(
        _("papel"), max_length=8, choices=ResponsibilityRole.choices, default=ResponsibilityRole.LEAD
    )

    class Meta:
        verbose_name = _("responsable")
        verbose_name_plural = _("responsables")
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "agency"],
                name="responsibility_unique",
                violation_error_message=_("Esa dependencia ya es responsable de esa obligación."),
            )
        ]

    def __str__(self):
        return f"{self.agency} · {self.obligation.code} ({self.get_role_display()})"


class Indicator(models.Model):
    """What measures an obligation; with no obligation, a national context indicator
    (e.g. the TIP reports' yearly prosecutions and convictions)."""

    code = models.CharField(_("clave"), max_length=40, unique=True)
    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, null=True, blank=True, related_name="indicators"
    )
    statement_es = models.TextField(_("enunciado (español)"))
    statement_en = models.TextField(_("enunciado (inglés)"), blank=True)
    kind = models.CharField(_("tipo"), max_length=16, choices=IndicatorKind.choices)
    means_of_verification = models.TextField(_("medio de verificación"), blank=True)
    is_quantitative = models.BooleanField(_("cuantitativo"), default=False)
    numerator = models.CharField(_("numerador"), max_length=400, blank=True)
    denominator = models.CharField(_("denominador"), max_length=400, blank=True)
    unit = models.CharField(_("unidad"), max_length=64, blank=True)
    data_source = models.CharField(_("fuente de datos"), max_length=400, blank=True)
    disaggregation = models.CharField(
        _("desagregación"), max_length=255, blank=True, help_text=_("p. ej. sexo, edad, nacionalidad")
    )
    baseline = models.CharField(_("línea base"), max_length=255, blank=True)
    target = models.CharField(_("meta"), max_length=255, blank=True)
    source = models.CharField(_("fuente"), max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")

    def __str__(self):
        return f"{self.code} · {self.statement}"

    def natural_key(self):
        return (self.code,)

    @property
    def statement(self):
        return _localized(self, "statement")


class IndicatorValue(models.Model):
    """One yearly figure of an indicator, with its source (e.g. TIP 2012: 185 prosecutions)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("año"))
    value = models.DecimalField(_("valor"), max_digits=14, decimal_places=2)
    source = models.CharField(_("fuente"), max_length=255)
    note = models.CharField(_("nota"), max_length=400, blank=True)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("valor de indicador")
        verbose_name_plural = _("valores de indicadores")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "source"],
                name="indicatorvalue_unique",
                violation_error_message=_("Ya hay un valor de ese indicador para ese año y fuente."),
            )
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year}: {self.value}"


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
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="assessments")
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


class Recommendation(models.Model):
    code = models.CharField(_("clave"), max_length=32, unique=True, help_text=_("p. ej. CNDH2019-288.1"))
    issuer = models.CharField(_("emisor"), max_length=16, choices=Issuer.choices)
    paragraph = models.CharField(_("párrafo o sección"), max_length=64, blank=True)
    text_es = models.TextField(_("texto (español)"))
    text_en = models.TextField(_("texto (inglés)"), blank=True)
    addressees = models.ManyToManyField(
        "agencies.Agency", verbose_name=_("destinatarias"), blank=True, related_name="recommendations"
    )
    addressee_note = models.CharField(
        _("otras destinatarias"),
        max_length=255,
        blank=True,
        help_text=_("Destinatarias que no son dependencias del catálogo (p. ej. Congreso, tribunales)."),
    )
    obligations = models.ManyToManyField(
        Obligation, verbose_name=_("obligaciones relacionadas"), blank=True, related_name="recommendations"
    )
    prioritized = models.BooleanField(_("prioritaria"), default=False)
    issued_on = models.DateField(_("fecha de emisión"), null=True, blank=True)

    class Meta:
        ordering = ["issuer", "code"]
        verbose_name = _("recomendación")
        verbose_name_plural = _("recomendaciones")

    def __str__(self):
        return self.code

    def natural_key(self):
        return (self.code,)

    @property
    def text(self):
        return _localized(self, "text")


class RecommendationFollowUp(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="follow_ups")
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="follow_ups")
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    status = models.CharField(
        _("seguimiento"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.PENDING
    )
    note = models.TextField(_("nota"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("seguimiento de recomendación")
        verbose_name_plural = _("seguimientos de recomendaciones")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "cycle", "agency"],
                name="followup_unique",
                violation_error_message=_("Ya hay un seguimiento de esa recomendación en ese ciclo."),
            )
        ]

    def __str__(self):
        return f"{self.recommendation.code} · {self.cycle.slug}"
