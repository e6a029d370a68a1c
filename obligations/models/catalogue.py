"""The legal catalogue: instruments, provisions, obligations, responsibilities, indicators
and recommendations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.constraints import unique_ignoring_case
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
from obligations.figure_choices import AgeGroup, Country, Exploitation, Nationality, Order, Sex, ValueStatus, ValueUnit
from obligations.models.base import localized as _localized
from obligations.sources import normalise, quote_is_verbatim, stated_number


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
        constraints = [
            unique_ignoring_case(
                "code",
                "legalinstrument_code_ci_unique",
                _("Ya existe un instrumento jurídico con esa clave (sin distinguir mayúsculas de minúsculas)."),
            ),
        ]
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

    def basis_changed_during(self, start: date, end: date):
        """Obligations a provision of whose basis a reform or repeal changed after `start` and on or
        before `end` (e.g. since the previous review cycle: obligations.law_basis.review_window)."""
        changed = Provision.objects.changed_during(start, end)
        through = Obligation.provisions.through.objects.filter(provision__in=changed)
        return self.filter(pk__in=through.values("obligation_id"))


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
        constraints = [
            unique_ignoring_case(
                "code",
                "obligation_code_ci_unique",
                _("Ya existe una obligación con esa clave (sin distinguir mayúsculas de minúsculas)."),
            ),
        ]
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

    def basis_for_period(self, start: date, end: date) -> dict:
        """The legal basis a rating of the period [start, end] enforces, as plain data: see
        obligations.law_basis (prefetch `law_basis.basis_prefetch()`)."""
        from obligations.law_basis import basis_for_period

        return basis_for_period(self, start, end)

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

    # What describes an indicator, beside its code and obligation: read from the reference file
    # (obligations.reference) and imported/exported in the admin (obligations.resources).
    DESCRIPTION_FIELDS = (
        "statement_es",
        "statement_en",
        "kind",
        "means_of_verification",
        "is_quantitative",
        "numerator",
        "denominator",
        "unit",
        "data_source",
        "disaggregation",
        "baseline",
        "target",
        "source",
    )

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
        constraints = [
            unique_ignoring_case(
                "code",
                "indicator_code_ci_unique",
                _("Ya existe un indicador con esa clave (sin distinguir mayúsculas de minúsculas)."),
            ),
        ]
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


class IndicatorValueQuerySet(models.QuerySet):
    def reported(self):
        return self.filter(status=ValueStatus.REPORTED)

    def totals(self):
        """Values not broken down by any dimension (the national total of the source)."""
        return self.filter(
            sex="",
            age_group="",
            nationality="",
            country="",
            exploitation="",
            order="",
            state__isnull=True,
            agency__isnull=True,
            disaggregation="",
        )


class IndicatorValue(models.Model):
    """One figure of an indicator, as a source states it: a period (a year or a date range), the
    breakdown as explicit dimensions (empty = not broken down by that dimension), a unit, the source
    and the exact sentence it rests on, and a status. A figure the source says was not reported,
    or could not be analysed, has no value: it is never stored as 0."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    status = models.CharField(
        _("estado de la cifra"), max_length=16, choices=ValueStatus.choices, default=ValueStatus.REPORTED
    )
    value = models.DecimalField(
        _("valor"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Sólo para una cifra reportada; vacío cuando no se reportó o no pudo analizarse."),
    )
    unit = models.CharField(_("unidad"), max_length=16, choices=ValueUnit.choices, default=ValueUnit.COUNT)
    percent_base = models.CharField(
        _("base del porcentaje"),
        max_length=255,
        blank=True,
        help_text=_("Obligatoria para un porcentaje: de qué total es parte, p. ej. «de las víctimas mujeres»."),
    )
    year = models.PositiveSmallIntegerField(_("año"), null=True, blank=True)
    period_start = models.DateField(_("inicio del periodo"), null=True, blank=True)
    period_end = models.DateField(_("fin del periodo"), null=True, blank=True)
    # The breakdown (desagregación), one field per dimension.
    sex = models.CharField(_("sexo"), max_length=16, choices=Sex.choices, blank=True)
    age_group = models.CharField(_("grupo de edad"), max_length=16, choices=AgeGroup.choices, blank=True)
    nationality = models.CharField(_("nacionalidad"), max_length=16, choices=Nationality.choices, blank=True)
    country = models.CharField(_("país de nacionalidad"), max_length=2, choices=Country.choices, blank=True)
    exploitation = models.CharField(_("forma de explotación"), max_length=32, choices=Exploitation.choices, blank=True)
    order = models.CharField(_("orden de gobierno"), max_length=16, choices=Order.choices, blank=True)
    state = models.ForeignKey(
        "obligations.State",
        verbose_name=_("entidad federativa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="values",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("dependencia"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    disaggregation = models.CharField(
        _("desagregación en palabras de la fuente"),
        max_length=128,
        blank=True,
        default="",
        help_text=_("Sólo cuando las dimensiones no bastan, p. ej. «trata (art. 10) y mendicidad forzosa»."),
    )
    source = models.CharField(
        _("fuente"), max_length=255, help_text=_("p. ej. «CNDH 2019 ¶38», «TIP 2025, Prosecution»")
    )
    quote = models.TextField(_("cita textual"), blank=True, help_text=_("La oración de la fuente, tal cual."))
    stated_as = models.CharField(
        _("cifra como la escribe la fuente"),
        max_length=120,
        blank=True,
        help_text=_("Las palabras de la cita que dan la cifra, p. ej. «5,245», «nine», «85%»."),
    )
    note = models.CharField(_("nota"), max_length=400, blank=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "year", "period_start", "disaggregation"]
        verbose_name = _("valor de indicador")
        verbose_name_plural = _("valores de indicadores")
        constraints = [
            models.UniqueConstraint(
                "indicator",
                Coalesce("year", Value(0)),
                Coalesce("period_start", Value(date(1, 1, 1))),
                Coalesce("period_end", Value(date(1, 1, 1))),
                "source",
                "unit",
                "percent_base",
                "sex",
                "age_group",
                "nationality",
                "country",
                "exploitation",
                "order",
                Coalesce("state", Value(0)),
                Coalesce("agency", Value(0)),
                "disaggregation",
                name="indicatorvalue_unique_breakdown",
                violation_error_message=_(
                    "Ya hay un valor de ese indicador para ese periodo, fuente, unidad y desagregación."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status=ValueStatus.REPORTED) & Q(value__isnull=False))
                | (~Q(status=ValueStatus.REPORTED) & Q(value__isnull=True)),
                name="indicatorvalue_value_iff_reported",
                violation_error_message=_(
                    "Una cifra reportada lleva valor; una no reportada o no analizable no lleva valor (no es 0)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ValueStatus.values),
                name="indicatorvalue_status_valid",
                violation_error_message=_("Estado de la cifra desconocido."),
            ),
            models.CheckConstraint(
                condition=(Q(year__isnull=False) & Q(period_start__isnull=True) & Q(period_end__isnull=True))
                | (
                    Q(year__isnull=True)
                    & Q(period_start__isnull=False)
                    & Q(period_end__isnull=False)
                    & Q(period_start__lte=F("period_end"))
                ),
                name="indicatorvalue_one_period",
                violation_error_message=_(
                    "Indique un año, o bien un periodo con fecha inicial y final (la inicial antes de la final)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="indicatorvalue_value_not_negative",
                violation_error_message=_("El valor no puede ser negativo."),
            ),
            models.CheckConstraint(
                condition=~Q(unit=ValueUnit.PERCENT)
                | (~Q(percent_base="") & (Q(value__isnull=True) | Q(value__lte=100))),
                name="indicatorvalue_percent_has_base",
                violation_error_message=_("Un porcentaje lleva su base y no pasa de 100."),
            ),
        ]

    def __str__(self):
        shown = self.value if self.status == ValueStatus.REPORTED else self.get_status_display()
        return f"{self.indicator.code} {self.period_label}: {shown}"

    @property
    def period_label(self) -> str:
        if self.year is not None:
            return str(self.year)
        if self.period_start and self.period_end:
            return f"{self.period_start.isoformat()}→{self.period_end.isoformat()}"
        return ""

    @property
    def dimensions(self) -> dict:
        """The breakdown as {dimension: display value}, only the dimensions that are set."""
        shown = {}
        for name in ("sex", "age_group", "nationality", "country", "exploitation", "order"):
            if getattr(self, name):
                shown[name] = getattr(self, f"get_{name}_display")()
        if self.state_id:
            shown["state"] = self.state.short_name
        if self.agency_id:
            shown["agency"] = self.agency.acronym
        if self.disaggregation:
            shown["disaggregation"] = self.disaggregation
        return shown

    def clean(self):
        super().clean()
        errors = {}
        if self.status == ValueStatus.REPORTED and self.value is None:
            errors["value"] = _("Una cifra reportada lleva su valor.")
        if self.status != ValueStatus.REPORTED and self.value is not None:
            errors["value"] = _("Una cifra no reportada o no analizable no lleva valor: no se registra como 0.")
        has_range = self.period_start is not None or self.period_end is not None
        if (self.year is None) == (not has_range) or (
            has_range and (self.period_start is None or self.period_end is None or self.period_start > self.period_end)
        ):
            errors["year"] = _(
                "Indique un año, o bien un periodo con fecha inicial y final (la inicial antes de la final)."
            )
        if self.unit == ValueUnit.PERCENT and (
            not self.percent_base.strip() or (self.value is not None and self.value > 100)
        ):
            errors["percent_base"] = _("Un porcentaje lleva su base y no pasa de 100.")
        if not self.quote.strip():
            errors["quote"] = _("Cite la oración de la fuente en la que descansa la cifra.")
        elif quote_is_verbatim(self.quote, self.source) is False:
            errors["quote"] = _("La cita no aparece textualmente en «%(source)s».") % {"source": self.source}
        if self.status == ValueStatus.REPORTED and "quote" not in errors and "value" not in errors:
            if not self.stated_as.strip():
                errors["stated_as"] = _("Indique las palabras de la cita que dan la cifra.")
            elif normalise(self.stated_as) not in normalise(self.quote):
                errors["stated_as"] = _("«%(stated)s» no aparece en la cita.") % {"stated": self.stated_as}
            elif not self.stated_value_matches():
                errors["stated_as"] = _("«%(stated)s» no dice %(value)s.") % {
                    "stated": self.stated_as,
                    "value": self.value,
                }
        if errors:
            raise ValidationError(errors)

    def stated_value_matches(self) -> bool:
        """Whether the figure's wording states the value (a zero may be stated in words, e.g.
        'did not convict or sentence any': then nothing to compare)."""
        stated = stated_number(self.stated_as)
        if stated is None:
            return self.value == 0
        value = Decimal(self.value)
        if self.unit in (ValueUnit.MXN_MILLIONS, ValueUnit.USD_MILLIONS) and stated >= 1_000_000:
            value *= 1_000_000
        return value == stated


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
    year = models.PositiveSmallIntegerField(
        _("año"),
        null=True,
        blank=True,
        help_text=_("Año del documento que la emite (el de la edición, para un Informe TIP)."),
    )
    issued_on = models.DateField(
        _("fecha de emisión"), null=True, blank=True, help_text=_("Sólo cuando la fuente da la fecha.")
    )

    class Meta:
        constraints = [
            unique_ignoring_case(
                "code",
                "recommendation_code_ci_unique",
                _("Ya existe una recomendación con esa clave (sin distinguir mayúsculas de minúsculas)."),
            ),
        ]
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

    def earlier_asks(self):
        """Recommendations of earlier years that ask the same thing (through a recurring ask)."""
        if self.year is None:
            return Recommendation.objects.none()
        return (
            Recommendation.objects.filter(recurring_links__ask__links__recommendation=self, year__lt=self.year)
            .distinct()
            .order_by("year", "code")
        )

    @property
    def reiterated_since(self) -> int | None:
        """The first year the same thing was asked ("reiterada desde 2012"), None if never before."""
        return self.earlier_asks().aggregate(first=models.Min("year"))["first"]


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
    evidence = models.TextField(
        _("evidencia del seguimiento"),
        blank=True,
        help_text=_(
            "El documento, oficio, respuesta o fuente (con su referencia) que muestra el seguimiento; "
            "obligatoria para todo estado salvo «pendiente». El seguimiento nunca se deduce."
        ),
    )
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

    def clean(self):
        super().clean()
        if self.status != FollowUpStatus.PENDING and not self.evidence.strip():
            raise ValidationError(
                {"evidence": _("Un seguimiento distinto de «pendiente» lleva la evidencia en que se basa.")}
            )
