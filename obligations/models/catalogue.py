"""The legal catalogue: instruments, provisions, obligations, responsibilities, indicators
and recommendations."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from obligations.choices import (
    Component,
    FollowUpStatus,
    IndicatorKind,
    InstrumentKind,
    Issuer,
    Level,
    ResponsibilityRole,
)
from obligations.models.base import localized as _localized


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
    disaggregation = models.CharField(
        _("desagregación"),
        max_length=128,
        blank=True,
        default="",
        help_text=_("Vacío para el total; p. ej. «federal», «trata sexual», «FEVIMTRA» para una parte."),
    )
    note = models.CharField(_("nota"), max_length=400, blank=True)

    class Meta:
        ordering = ["indicator", "year", "disaggregation"]
        verbose_name = _("valor de indicador")
        verbose_name_plural = _("valores de indicadores")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "source", "disaggregation"],
                name="indicatorvalue_unique",
                violation_error_message=_("Ya hay un valor de ese indicador para ese año y fuente."),
            )
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.year}: {self.value}"


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
    cycle = models.ForeignKey("obligations.ReviewCycle", on_delete=models.CASCADE, related_name="follow_ups")
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
