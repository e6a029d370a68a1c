"""The General Law itself: the versions of each provision since 2012, who owes each statutory duty
(an agency, the Inter-Secretariat Commission, its Technical Secretariat, another named body or a
class of authorities) and the duties, with the obligations of the catalogue that rate them.

Loaded from fixtures/legal.json (versions) and fixtures/law.json (bearers, duties); see
docs/reference-data.md. Paraphrases are our own words, never the statute's text.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from obligations.choices import BearerKind, InstrumentKind, ResponsibilityRole, Theme
from obligations.models.base import localized as _localized


class ProvisionVersionQuerySet(models.QuerySet):
    def in_force_on(self, day: date):
        return self.filter(valid_from__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))

    def in_force_during(self, start: date, end: date):
        """Versions in force at some point of the period [start, end]."""
        return self.filter(valid_from__lte=end).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))

    def repeals(self):
        return self.filter(repealed=True)


class ProvisionVersion(models.Model):
    """What one provision said from one date to another: the original text (amended_by empty) or the
    text left by a reform decree. A repeal is a version too (`repealed`), kept as history."""

    # What a version says, beside its provision and dates: the reference file's keys
    # (obligations.reference_law) and the admin's import/export columns (obligations.resources).
    CONTENT_FIELDS = (
        "amended_by",
        "paraphrase_es",
        "paraphrase_en",
        "wording_known",
        "change_es",
        "change_en",
        "repealed",
        "replaced_by",
        "inferred",
        "inferred_note",
        "source",
    )

    provision = models.ForeignKey(
        "obligations.Provision", on_delete=models.CASCADE, related_name="versions", verbose_name=_("disposición")
    )
    valid_from = models.DateField(_("vigente desde"))
    valid_until = models.DateField(_("vigente hasta"), null=True, blank=True, help_text=_("Vacío: vigente hoy."))
    amended_by = models.ForeignKey(
        "obligations.LegalInstrument",
        verbose_name=_("decreto de reforma"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provision_versions",
        limit_choices_to={"kind": InstrumentKind.REFORM},
        help_text=_("Vacío para el texto original del instrumento."),
    )
    paraphrase_es = models.TextField(_("paráfrasis (español)"), blank=True)
    paraphrase_en = models.TextField(_("paráfrasis (inglés)"), blank=True)
    wording_known = models.BooleanField(
        _("redacción leída"),
        default=True,
        help_text=_(
            "Desmarcado cuando la redacción de esta versión no se leyó (la paráfrasis, si la hay, es inferida)."
        ),
    )
    change_es = models.CharField(_("qué cambió (español)"), max_length=400, blank=True)
    change_en = models.CharField(_("qué cambió (inglés)"), max_length=400, blank=True)
    repealed = models.BooleanField(_("derogada"), default=False, help_text=_("Esta versión registra la derogación."))
    replaced_by = models.ManyToManyField(
        "obligations.Provision",
        verbose_name=_("sustituida por"),
        blank=True,
        related_name="replaces",
        help_text=_("Para una derogación: las disposiciones que recogen hoy su contenido."),
    )
    inferred = models.BooleanField(_("inferida ⚠"), default=False)
    inferred_note = models.CharField(_("nota sobre la inferencia"), max_length=600, blank=True)
    source = models.CharField(_("fuente"), max_length=255)

    objects = ProvisionVersionQuerySet.as_manager()

    class Meta:
        ordering = ["provision", "valid_from"]
        verbose_name = _("versión de una disposición")
        verbose_name_plural = _("versiones de disposiciones")
        constraints = [
            models.UniqueConstraint(
                fields=["provision", "valid_from"],
                name="provisionversion_unique_start",
                violation_error_message=_("Esa disposición ya tiene una versión que entra en vigor ese día."),
            ),
            # At most one open-ended version per provision. (Full non-overlap needs a PostgreSQL
            # exclusion constraint with btree_gist; it is enforced in clean() and by the loader.)
            models.UniqueConstraint(
                fields=["provision"],
                condition=Q(valid_until__isnull=True),
                name="provisionversion_one_open",
                violation_error_message=_("Esa disposición ya tiene una versión vigente sin fecha final."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__lte=models.F("valid_until")),
                name="provisionversion_from_before_until",
                violation_error_message=_("La fecha inicial debe ser anterior a la final."),
            ),
        ]

    def __str__(self):
        return f"{self.provision.citation} · {self.period_label}"

    @property
    def period_label(self) -> str:
        until = self.valid_until.isoformat() if self.valid_until else "…"
        return f"{self.valid_from.isoformat()}–{until}"

    @property
    def paraphrase(self):
        return _localized(self, "paraphrase")

    @property
    def change(self):
        return _localized(self, "change")

    @property
    def in_force_inferred(self) -> bool:
        """The start date is an inference (e.g. 'day after publication'), not read in the decree."""
        instrument = self.amended_by or self.provision.instrument
        return instrument.in_force_inferred

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def overlapping(self):
        """Other versions of the same provision whose periods overlap this one."""
        end = self.valid_until or date.max
        return (
            ProvisionVersion.objects.filter(provision_id=self.provision_id)
            .exclude(pk=self.pk)
            .filter(valid_from__lte=end)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from))
        )

    def clean(self):
        errors = {}
        if self.amended_by_id and self.amended_by.kind != InstrumentKind.REFORM:
            errors["amended_by"] = _("Debe ser un decreto de reforma.")
        if self.wording_known and not self.repealed and not self.paraphrase_es.strip():
            errors["paraphrase_es"] = _("Parafrasee la redacción leída, o desmarque «redacción leída».")
        if not self.wording_known and self.paraphrase_es.strip() and not self.inferred:
            errors["inferred"] = _(
                "Una paráfrasis de una redacción no leída es una inferencia: márquela como inferida."
            )
        if self.inferred and not self.inferred_note.strip():
            errors["inferred_note"] = _("Explique qué se infirió y por qué.")
        if errors:
            raise ValidationError(errors)
        if self.provision_id and self.valid_from and self.overlapping().exists():
            raise ValidationError(_("Esta versión se traslapa con otra versión de la misma disposición."))


class DutyBearer(models.Model):
    """Who owes a duty, as the Law names it, resolved (where it is an agency) to today's agency."""

    code = models.CharField(_("clave"), max_length=32, unique=True, help_text=_("p. ej. SSP, CIT, AUT-FED"))
    kind = models.CharField(_("tipo"), max_length=16, choices=BearerKind.choices)
    name_es = models.CharField(_("nombre en la Ley (español)"), max_length=255)
    name_en = models.CharField(_("nombre (inglés)"), max_length=255, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("dependencia de hoy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duty_bearers",
        help_text=_("Vacío para una clase de autoridades o un órgano que no está en el catálogo."),
    )
    resolved_through = models.CharField(
        _("resuelta por el nombre anterior"),
        max_length=32,
        blank=True,
        help_text=_("Siglas anteriores de la dependencia con que la Ley la nombra (p. ej. SEDESOL)."),
    )
    agency_inferred = models.BooleanField(
        _("dependencia inferida ⚠"),
        default=False,
        help_text=_("Marcado cuando la sucesión hasta la dependencia de hoy no consta en una fuente verificada."),
    )
    inferred_note = models.CharField(_("nota sobre la inferencia"), max_length=600, blank=True)
    source = models.CharField(_("fuente"), max_length=255)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("titular de deberes")
        verbose_name_plural = _("titulares de deberes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=[BearerKind.AGENCY, BearerKind.COMMISSION, BearerKind.SECRETARIAT])
                | Q(agency__isnull=False),
                name="dutybearer_agency_kinds_have_agency",
                violation_error_message=_(
                    "Una dependencia, la Comisión o su Secretaría Técnica deben tener dependencia."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[BearerKind.CLASS, BearerKind.BODY]) | Q(agency__isnull=True),
                name="dutybearer_classes_have_no_agency",
                violation_error_message=_("Una clase de autoridades u otro órgano no se asigna a una dependencia."),
            ),
        ]

    def __str__(self):
        return self.code

    def natural_key(self):
        return (self.code,)

    @property
    def name(self):
        return _localized(self, "name")

    @property
    def names_an_agency(self) -> bool:
        return self.agency_id is not None

    def clean(self):
        if self.agency_inferred and not self.inferred_note.strip():
            raise ValidationError({"inferred_note": _("Explique la sucesión inferida.")})


class DutyQuerySet(models.QuerySet):
    def of_agency(self, agency):
        """Duties the Law gives to `agency` (under any of its names), inferred assignments excluded."""
        return self.filter(assignments__bearer__agency=agency, assignments__inferred=False).distinct()

    def of_classes_only(self):
        """Duties no named agency owes: classes of authorities or bodies outside the catalogue."""
        named = DutyAssignment.objects.filter(duty=models.OuterRef("pk"), bearer__agency__isnull=False, inferred=False)
        return self.exclude(models.Exists(named))

    def not_rated_by_cndh(self):
        """Duties no obligation of the CNDH 2019 list rates (those that became obligations of the Law)."""
        from obligations.choices import ObligationOrigin

        return self.exclude(obligations__origin=ObligationOrigin.CNDH_2019)

    def inferred(self):
        return self.filter(inferred=True)


class Duty(models.Model):
    """A statutory duty: one row of the duty tables of shared/reference/law-obligations.md (section 2)
    or what is known of the Regulation (section 3)."""

    code = models.CharField(_("clave"), max_length=32, unique=True, help_text=_("p. ej. DEB-89-III"))
    instrument = models.ForeignKey(
        "obligations.LegalInstrument", verbose_name=_("instrumento"), on_delete=models.PROTECT, related_name="duties"
    )
    citation = models.CharField(
        _("cita"), max_length=255, help_text=_("Como la cita la fuente, p. ej. «Art. 89, fr. VII (1.ª parte)».")
    )
    provisions = models.ManyToManyField(
        "obligations.Provision", verbose_name=_("disposiciones"), blank=True, related_name="duties"
    )
    bearers = models.ManyToManyField(
        DutyBearer, through="DutyAssignment", related_name="duties", verbose_name=_("titulares")
    )
    theme = models.CharField(_("tema"), max_length=16, choices=Theme.choices)
    secondary_theme = models.CharField(_("tema secundario"), max_length=16, choices=Theme.choices, blank=True)
    paraphrase_es = models.TextField(_("deber (paráfrasis en español)"))
    paraphrase_en = models.TextField(_("deber (paráfrasis en inglés)"), blank=True)
    reforms = models.ManyToManyField(
        "obligations.LegalInstrument",
        verbose_name=_("reformas que lo tocaron"),
        blank=True,
        related_name="reformed_duties",
        limit_choices_to={"kind": InstrumentKind.REFORM},
    )
    obligations = models.ManyToManyField(
        "obligations.Obligation",
        verbose_name=_("obligaciones que lo evalúan"),
        blank=True,
        related_name="duties",
    )
    not_rated_note = models.CharField(
        _("por qué ninguna obligación lo evalúa"),
        max_length=400,
        blank=True,
        help_text=_(
            "Solo cuando ninguna obligación del catálogo lo evalúa (p. ej. artículo del Reglamento no identificado)."
        ),
    )
    inferred = models.BooleanField(_("inferido ⚠"), default=False)
    inferred_note = models.CharField(_("nota sobre la inferencia"), max_length=600, blank=True)
    source = models.CharField(_("fuente"), max_length=255)

    objects = DutyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("deber legal")
        verbose_name_plural = _("deberes legales")

    def __str__(self):
        return f"{self.code} · {self.citation}"

    def natural_key(self):
        return (self.code,)

    @property
    def paraphrase(self):
        return _localized(self, "paraphrase")

    def clean(self):
        if self.inferred and not self.inferred_note.strip():
            raise ValidationError({"inferred_note": _("Explique qué se infirió y por qué.")})


class DutyAssignment(models.Model):
    """One bearer of one duty, with its role (lead or co-responsible)."""

    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="assignments")
    bearer = models.ForeignKey(DutyBearer, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(
        _("papel"), max_length=8, choices=ResponsibilityRole.choices, default=ResponsibilityRole.LEAD
    )
    inferred = models.BooleanField(
        _("inferida ⚠"), default=False, help_text=_("La Ley no nombra a este titular: se dedujo.")
    )
    note = models.CharField(_("nota"), max_length=400, blank=True)

    class Meta:
        ordering = ["duty", "-role", "pk"]  # the lead first, then as the Law lists them
        verbose_name = _("titular del deber")
        verbose_name_plural = _("titulares del deber")
        constraints = [
            models.UniqueConstraint(
                fields=["duty", "bearer"],
                name="dutyassignment_unique",
                violation_error_message=_("Ese titular ya está asignado a ese deber."),
            )
        ]

    def __str__(self):
        return f"{self.duty.code} · {self.bearer.code} ({self.get_role_display()})"

    def clean(self):
        if self.inferred and not self.note.strip():
            raise ValidationError({"note": _("Explique por qué se infiere este titular.")})
