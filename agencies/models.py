from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.choices import AgencyKind, CommissionRole, OrderOfGovernment
from agencies.querysets import AgencyQuerySet, CommissionMembershipQuerySet
from lib.constraints import unique_ignoring_case
from lib.i18n import localized as _localized


@dataclass(frozen=True)
class NameAt:
    """How an agency was named on a date (the acronym and name it had then) and how it is named
    today. The one rule for naming an agency in a cycle: pages, PDFs, exports and the API show
    the name of the cycle's period ("PGR · Procuraduría General de la República") with today's
    acronym beside it where it changed ("hoy FGR")."""

    acronym: str
    name_es: str
    name_en: str
    today_acronym: str
    today_name_es: str
    today_name_en: str

    @property
    def renamed(self) -> bool:
        return self.acronym != self.today_acronym

    @property
    def name(self) -> str:
        return _localized(self.name_es, self.name_en)

    @property
    def today_name(self) -> str:
        return _localized(self.today_name_es, self.today_name_en)

    @property
    def today_note(self) -> str:
        """ "hoy FGR" where the acronym changed since, "" otherwise."""
        return gettext("hoy %(acronym)s") % {"acronym": self.today_acronym} if self.renamed else ""

    @property
    def label(self) -> str:
        """ "PGR · Procuraduría General de la República (hoy FGR)": the name of the date, never
        today's acronym beside a former name."""
        text = f"{self.acronym} · {self.name}"
        return f"{text} ({self.today_note})" if self.renamed else text

    def as_dict(self) -> dict:
        return {
            "acronym": self.acronym,
            "name_es": self.name_es,
            "name_en": self.name_en,
            "today_acronym": self.today_acronym,
            "today_name_es": self.today_name_es,
            "today_name_en": self.today_name_en,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "NameAt":
        return cls(**{key: data.get(key, "") for key in cls.__dataclass_fields__})


class Agency(models.Model):
    """A public authority with duties under the General Law (a ministry, an institute, a unit)."""

    acronym = models.CharField(_("siglas"), max_length=32, unique=True, help_text=_("Siglas vigentes."))
    name_es = models.CharField(_("nombre (español)"), max_length=255)
    name_en = models.CharField(_("nombre (inglés)"), max_length=255, blank=True)
    order = models.CharField(
        _("orden de gobierno"), max_length=16, choices=OrderOfGovernment.choices, default=OrderOfGovernment.FEDERAL
    )
    kind = models.CharField(_("tipo"), max_length=16, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("dependencia superior"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    state_name = models.CharField(_("entidad federativa"), max_length=64, blank=True)
    consulted_by_cndh_2019 = models.BooleanField(_("consultada por la CNDH en 2019"), default=False)
    active = models.BooleanField(_("vigente"), default=True)
    notes = models.TextField(_("notas"), blank=True)
    source = models.CharField(_("fuente"), max_length=255, blank=True, help_text=_("p. ej. CNDH 2019 ¶20"))

    objects = AgencyQuerySet.as_manager()

    class Meta:
        constraints = [
            unique_ignoring_case(
                "acronym",
                "agency_acronym_ci_unique",
                _("Ya existe una dependencia con esas siglas (sin distinguir mayúsculas de minúsculas)."),
            ),
        ]
        ordering = ["order", "acronym"]
        verbose_name = _("dependencia")
        verbose_name_plural = _("dependencias")

    def __str__(self):
        return self.acronym

    def natural_key(self):
        return (self.acronym,)

    @property
    def name(self) -> str:
        """The name in the active language (Spanish unless English is chosen and known)."""
        return _localized(self.name_es, self.name_en)

    def name_at(self, day: date) -> NameAt:
        """How the agency was named on `day` (uses prefetched `former_names`): history stays
        readable under the old name, with today's beside it."""
        then = self
        for former in self.former_names.all():
            if (former.valid_from is None or former.valid_from <= day) and former.valid_until >= day:
                then = former
                break
        return NameAt(then.acronym, then.name_es, then.name_en, self.acronym, self.name_es, self.name_en)

    def is_commission_member(self, on=None) -> bool:
        """Whether the agency sat on the Inter-Secretariat Commission on `on` (default: today)."""
        return self.commission_memberships.in_force_on(on or date.today()).exists()


class AgencyName(models.Model):
    """A former name of an agency (PGR before FGR, SEDESOL before Bienestar, CNS before SSPC)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="former_names")
    acronym = models.CharField(_("siglas anteriores"), max_length=32)
    name_es = models.CharField(_("nombre anterior (español)"), max_length=255)
    name_en = models.CharField(_("nombre anterior (inglés)"), max_length=255, blank=True)
    valid_from = models.DateField(_("desde"), null=True, blank=True)
    valid_until = models.DateField(_("hasta"), help_text=_("Último día en que usó este nombre."))
    date_to_verify = models.BooleanField(
        _("fecha por verificar"),
        default=False,
        help_text=_("Marcado cuando la fecha del cambio de nombre no se ha confirmado contra el DOF."),
    )
    source = models.CharField(_("fuente"), max_length=255, blank=True)

    class Meta:
        ordering = ["agency", "valid_until"]
        verbose_name = _("nombre anterior")
        verbose_name_plural = _("nombres anteriores")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "acronym"],
                name="agencyname_unique_acronym",
                violation_error_message=_("Esa dependencia ya tiene registradas esas siglas anteriores."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_from__lte=models.F("valid_until")),
                name="agencyname_valid_from_before_until",
                violation_error_message=_("La fecha inicial debe ser anterior a la final."),
            ),
        ]

    def __str__(self):
        return f"{self.acronym} → {self.agency.acronym}"

    @property
    def name(self) -> str:
        return _localized(self.name_es, self.name_en)


class Membership(models.Model):
    """A liaison (enlace) of an agency. One user may liaise for several agencies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    position = models.CharField(_("cargo"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enlace de dependencia")
        verbose_name_plural = _("enlaces de dependencias")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency"],
                name="membership_unique_user_agency",
                violation_error_message=_("Esa persona ya es enlace de esa dependencia."),
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.agency}"


class CommissionMembership(models.Model):
    """A seat on the Inter-Secretariat Commission over time (General Law art. 85; art. 87 for the
    chair). Loaded from fixtures/law.json; dates are the in-force dates of the Law and its reforms."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="commission_memberships")
    law_name = models.CharField(
        _("nombre en la Ley"),
        max_length=255,
        help_text=_("Como la nombra el art. 85 (p. ej. «Secretaría de Seguridad Pública»)."),
    )
    fraction = models.CharField(_("fracción o párrafo del art. 85"), max_length=16, blank=True)
    fraction_inferred = models.BooleanField(
        _("fracción inferida"),
        default=False,
        help_text=_("Marcado cuando el número de fracción se dedujo del orden de la lista y no se leyó."),
    )
    role = models.CharField(_("papel"), max_length=16, choices=CommissionRole.choices, default=CommissionRole.MEMBER)
    valid_from = models.DateField(_("desde"))
    valid_until = models.DateField(_("hasta"), null=True, blank=True, help_text=_("Vacío: integra la Comisión hoy."))
    inferred = models.BooleanField(_("inferida ⚠"), default=False)
    note = models.TextField(_("nota"), blank=True)
    source = models.CharField(_("fuente"), max_length=255)

    objects = CommissionMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["valid_from", "fraction", "agency"]
        verbose_name = _("integración de la Comisión Intersecretarial")
        verbose_name_plural = _("integración de la Comisión Intersecretarial")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "valid_from"],
                name="commissionmembership_unique_start",
                violation_error_message=_("Esa dependencia ya tiene un periodo en la Comisión que empieza ese día."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__lte=models.F("valid_until")),
                name="commissionmembership_from_before_until",
                violation_error_message=_("La fecha inicial debe ser anterior a la final."),
            ),
        ]

    def __str__(self):
        until = self.valid_until.isoformat() if self.valid_until else "…"
        return f"{self.agency.acronym} · {self.valid_from.isoformat()}–{until}"

    def clean(self):
        if self.inferred and not self.note.strip():
            raise ValidationError({"note": _("Explique en la nota por qué esta integración es inferida.")})
        if self.agency_id and self.valid_from:
            others = CommissionMembership.objects.filter(agency_id=self.agency_id).exclude(pk=self.pk)
            end = self.valid_until or date.max
            overlapping = others.filter(valid_from__lte=end).filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from)
            )
            if overlapping.exists():
                raise ValidationError(
                    _("Ese periodo se traslapa con otro periodo de la misma dependencia en la Comisión.")
                )
