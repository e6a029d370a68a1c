"""The legal catalogue: instruments, provisions, obligations, responsibilities, indicators
and recommendations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from obligations.choices import (
    BasisConfidence,
    Component,
    FollowUpStatus,
    IndicatorKind,
    InstrumentKind,
    Issuer,
    Level,
    ObligationOrigin,
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
    amends = models.ForeignKey(
        "self",
        verbose_name=_("reforma a"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reforms",
        help_text=_("Para un decreto de reforma: el instrumento que reforma."),
    )
    in_force_on = models.DateField(_("entrada en vigor"), null=True, blank=True)
    in_force_inferred = models.BooleanField(
        _("entrada en vigor inferida ⚠"),
        default=False,
        help_text=_(
            "Marcado cuando la fecha de entrada en vigor no se leyó en el decreto (p. ej. «día siguiente a su publicación»)."
        ),
    )
    in_force_note = models.CharField(_("nota sobre la entrada en vigor"), max_length=400, blank=True)
    summary_es = models.TextField(_("resumen (español)"), blank=True)
    summary_en = models.TextField(_("resumen (inglés)"), blank=True)
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

    @property
    def summary(self):
        return _localized(self, "summary")


class ProvisionQuerySet(models.QuerySet):
    def in_force_on(self, day: date):
        """Provisions with a version in force on `day` that is not a repeal."""
        from obligations.models.law import ProvisionVersion

        return self.filter(
            Exists(ProvisionVersion.objects.in_force_on(day).filter(provision=OuterRef("pk"), repealed=False))
        )

    def changed_during(self, start: date, end: date):
        """Provisions a new version of which (a reform or a repeal) took effect after `start` and
        on or before `end`: e.g. the basis that changed since the previous review cycle."""
        from obligations.models.law import ProvisionVersion

        return self.filter(
            Exists(ProvisionVersion.objects.filter(provision=OuterRef("pk"), valid_from__gt=start, valid_from__lte=end))
        )


@dataclass(frozen=True)
class PeriodVersion:
    """The version of a provision that applies to a period (the one in force at its end) and
    whether the provision changed during the period."""

    version: object  # ProvisionVersion | None
    changed: bool


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(text: str) -> int | None:
    text = text.strip().upper()
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    for ch, following in zip(text, text[1:] + " ", strict=True):
        value = _ROMAN[ch]
        total += -value if following in _ROMAN and _ROMAN[following] > value else value
    return total


def provision_sort_key(article: str, fraction: str, paragraph: str) -> str:
    """Orders citations as the Law reads: art. 89 before art. 113, fr. IX before fr. X,
    párr. 2 before párr. 10 (plain text sorts them the other way)."""
    match = re.match(r"\s*(\d+)(.*)", article)
    number, rest = (int(match.group(1)), match.group(2).strip().lower()) if match else (99999, article.lower())
    roman = _roman(fraction)
    fraction_key = "000" if not fraction else f"{roman:03d}" if roman is not None else f"999{fraction.lower()}"
    paragraph_key = (
        "0000" if not paragraph else f"{int(paragraph):04d}" if paragraph.isdigit() else f"9999{paragraph.lower()}"
    )
    return f"{number:05d}{rest}|{fraction_key}|{paragraph_key}"[:64]


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
    sort_key = models.CharField(max_length=64, editable=False, default="")

    objects = ProvisionQuerySet.as_manager()

    class Meta:
        ordering = ["instrument", "transitory", "sort_key"]
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

    def save(self, *args, **kwargs):
        self.sort_key = provision_sort_key(self.article, self.fraction, self.paragraph)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key"}
        super().save(*args, **kwargs)

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

    def version_on(self, day: date):
        """The version in force on `day` (a repeal is a version too), None when the provision did
        not exist yet. Uses prefetched `versions` when there are any."""
        for version in self.versions.all():
            if version.covers(day):
                return version
        return None

    def applies_on(self, day: date) -> bool:
        version = self.version_on(day)
        return version is not None and not version.repealed

    def version_for_period(self, start: date, end: date) -> PeriodVersion:
        """A review cycle's period selects the version in force at its end; `changed` says whether a
        reform or repeal of this provision took effect during the period (after its first day)."""
        changed = any(start < version.valid_from <= end for version in self.versions.all())
        return PeriodVersion(self.version_on(end), changed)


class ObligationQuerySet(models.QuerySet):
    def in_force_on(self, day: date):
        return self.filter(Q(in_force_from__isnull=True) | Q(in_force_from__lte=day)).filter(
            Q(in_force_until__isnull=True) | Q(in_force_until__gte=day)
        )

    def from_law(self):
        return self.filter(origin=ObligationOrigin.LAW)

    def from_cndh(self):
        return self.filter(origin=ObligationOrigin.CNDH_2019)

    def unassigned(self):
        """Obligations without a responsible agency (duties the Law gives to a class of authorities)."""
        return self.filter(responsibilities__isnull=True)

    def without_statutory_basis(self):
        return self.filter(basis_confidence=BasisConfidence.NONE)


@dataclass(frozen=True)
class BasisItem:
    """One provision of an obligation's legal basis as it stood on a date."""

    provision: Provision
    version: object  # ProvisionVersion | None
    replaced_by: tuple  # provisions that replaced a repealed one

    @property
    def applies(self) -> bool:
        return self.version is not None and not self.version.repealed


class Obligation(models.Model):
    code = models.CharField(_("clave"), max_length=32, unique=True)
    title_es = models.CharField(_("título (español)"), max_length=400)
    title_en = models.CharField(_("título (inglés)"), max_length=400, blank=True)
    description_es = models.TextField(_("descripción (español)"), blank=True)
    description_en = models.TextField(_("descripción (inglés)"), blank=True)
    component = models.CharField(_("componente"), max_length=16, choices=Component.choices)
    level = models.PositiveSmallIntegerField(_("nivel CNDH"), choices=Level.choices)
    origin = models.CharField(
        _("origen"), max_length=16, choices=ObligationOrigin.choices, default=ObligationOrigin.CNDH_2019
    )
    provisions = models.ManyToManyField(
        Provision, verbose_name=_("fundamento legal"), blank=True, related_name="obligations"
    )
    basis_confidence = models.CharField(
        _("confianza del fundamento"),
        max_length=8,
        choices=BasisConfidence.choices,
        blank=True,
        help_text=_(
            "Vacío mientras nadie haya revisado el fundamento; «sin fundamento legal» para los criterios propios de la CNDH."
        ),
    )
    basis_reason_es = models.TextField(_("razón del fundamento (español)"), blank=True)
    basis_reason_en = models.TextField(_("razón del fundamento (inglés)"), blank=True)
    # Derived (kept for the code that reads it): true while nobody has assessed the basis.
    legal_basis_to_verify = models.GeneratedField(
        expression=Case(When(basis_confidence="", then=Value(True)), default=Value(False)),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("fundamento por verificar"),
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

    @property
    def basis_reason(self):
        return _localized(self, "basis_reason")

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.basis_confidence and not self.basis_reason_es.strip():
            raise ValidationError({"basis_reason_es": _("Explique la confianza del fundamento legal.")})

    def basis_on(self, day: date) -> list[BasisItem]:
        """The legal basis as it stood on `day`: each provision with its version then (None when
        it did not exist yet) and, for a repealed one, what replaced it. Prefetch
        `provisions__versions__replaced_by__instrument` to avoid a query per provision."""
        items = []
        for provision in self.provisions.all():
            version = provision.version_on(day)
            replaced = tuple(version.replaced_by.all()) if version is not None and version.repealed else ()
            items.append(BasisItem(provision, version, replaced))
        return items

    def repealed_basis(self, day: date) -> list[BasisItem]:
        """The provisions of the basis that were repealed by `day`, each with what replaced it."""
        return [item for item in self.basis_on(day) if item.version is not None and item.version.repealed]

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
