"""The 32 states (entidades federativas) with what the sources say about each, and the recurring
asks: recommendations of different reports that ask the same thing."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lib.constraints import unique_ignoring_case
from obligations.figure_choices import FactTopic
from obligations.models.base import localized as _localized
from obligations.sources import normalise, quote_is_verbatim


class State(models.Model):
    """An entidad federativa: INEGI code and names, its square on the tile-grid map, and its
    prosecutor's office (fiscalía o procuraduría) in the agency catalogue."""

    code = models.CharField(
        _("clave INEGI"), max_length=2, unique=True, help_text=_("Clave geoestadística de dos dígitos, «01» a «32».")
    )
    name = models.CharField(_("nombre oficial"), max_length=64, unique=True)
    short_name = models.CharField(_("nombre corto"), max_length=32, unique=True)
    abbreviation = models.CharField(_("abreviatura"), max_length=8, unique=True)
    tile_row = models.PositiveSmallIntegerField(_("fila en el mosaico"))
    tile_column = models.PositiveSmallIntegerField(_("columna en el mosaico"))
    prosecutor = models.OneToOneField(
        "agencies.Agency",
        verbose_name=_("fiscalía o procuraduría"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="state_of_prosecutor",
    )
    source = models.CharField(_("fuente"), max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("entidad federativa")
        verbose_name_plural = _("entidades federativas")
        constraints = [
            models.UniqueConstraint(
                fields=["tile_row", "tile_column"],
                name="state_unique_tile",
                violation_error_message=_("Esa casilla del mosaico ya es de otra entidad."),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^(0[1-9]|[12][0-9]|3[0-2])$"),
                name="state_code_01_32",
                violation_error_message=_("La clave INEGI va de «01» a «32»."),
            ),
        ]

    def __str__(self):
        return self.short_name

    def natural_key(self):
        return (self.code,)

    def unnamed_facts(self):
        """What sources say of the states as a whole without naming any (e.g. TIP 2025: 30 of 32
        states had specialised prosecutors): on this state's page each reads "not named by the
        source" — never as if it applied, or did not apply, to this state (even where the state has
        facts of its own on the same topic from other sources)."""
        return StateFact.objects.filter(state__isnull=True)


class StateFact(models.Model):
    """What a source says about one state, or (with no state) about the states as a whole
    without naming them: e.g. TIP 2025, "30 of 32 states had specialized ... prosecutors"."""

    code = models.SlugField(_("clave"), max_length=80, unique=True)
    state = models.ForeignKey(
        State,
        verbose_name=_("entidad federativa"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="facts",
        help_text=_("Vacío para un hecho nacional que no nombra entidades."),
    )
    topic = models.CharField(_("tema"), max_length=24, choices=FactTopic.choices)
    text_es = models.TextField(_("texto (español)"))
    text_en = models.TextField(_("texto (inglés)"), blank=True)
    source = models.CharField(_("fuente"), max_length=255, help_text=_("p. ej. «CNDH 2019 ¶38»"))
    quote = models.TextField(_("cita textual"))

    class Meta:
        constraints = [
            unique_ignoring_case(
                "code",
                "statefact_code_ci_unique",
                _("Ya existe un dato estatal con esa clave (sin distinguir mayúsculas de minúsculas)."),
            ),
        ]
        ordering = ["state__code", "topic", "code"]
        verbose_name = _("hecho sobre una entidad")
        verbose_name_plural = _("hechos sobre las entidades")

    def __str__(self):
        where = self.state.short_name if self.state_id else _("Nacional")
        return f"{where} · {self.get_topic_display()}"

    def natural_key(self):
        return (self.code,)

    @property
    def text(self):
        return _localized(self, "text")

    @property
    def is_national(self) -> bool:
        return self.state_id is None

    def clean(self):
        super().clean()
        if not normalise(self.quote):
            raise ValidationError({"quote": _("Cite la oración de la fuente.")})
        if quote_is_verbatim(self.quote, self.source) is False:
            raise ValidationError(
                {"quote": _("La cita no aparece textualmente en «%(source)s».") % {"source": self.source}}
            )


class RecurringAsk(models.Model):
    """One thing asked again and again: recommendations of different reports (CNDH 2019, the TIP
    reports of 2005, 2012 and 2025) that ask the same thing. Whether it was done is never inferred
    from here: follow-up is recorded by auditors (RecommendationFollowUp)."""

    code = models.SlugField(_("clave"), max_length=40, unique=True)
    title_es = models.CharField(_("título (español)"), max_length=200)
    title_en = models.CharField(_("título (inglés)"), max_length=200, blank=True)
    summary_es = models.TextField(_("qué se pide (español)"))
    summary_en = models.TextField(_("qué se pide (inglés)"), blank=True)
    recommendations = models.ManyToManyField(
        "obligations.Recommendation",
        through="RecurringAskLink",
        related_name="recurring_asks",
        verbose_name=_("recomendaciones"),
    )

    class Meta:
        constraints = [
            unique_ignoring_case(
                "code",
                "recurringask_code_ci_unique",
                _("Ya existe una petición recurrente con esa clave (sin distinguir mayúsculas de minúsculas)."),
            ),
        ]
        ordering = ["code"]
        verbose_name = _("petición reiterada")
        verbose_name_plural = _("peticiones reiteradas")

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.code,)

    @property
    def title(self):
        return _localized(self, "title")

    @property
    def summary(self):
        return _localized(self, "summary")

    def years(self) -> list[int]:
        """The years it was asked, oldest first (each recommendation's document year)."""
        return sorted({year for year in self.recommendations.values_list("year", flat=True) if year is not None})

    @property
    def first_year(self) -> int | None:
        years = self.years()
        return years[0] if years else None

    def years_asked(self, as_of_year: int) -> int | None:
        """How long the thing has been asked, in years, as of a given year."""
        first = self.first_year
        return None if first is None else max(as_of_year - first, 0)


class RecurringAskLink(models.Model):
    """One recommendation in a recurring ask, with why it asks the same thing."""

    ask = models.ForeignKey(RecurringAsk, on_delete=models.CASCADE, related_name="links")
    recommendation = models.ForeignKey(
        "obligations.Recommendation", on_delete=models.CASCADE, related_name="recurring_links"
    )
    reason_es = models.TextField(_("por qué pide lo mismo (español)"))
    reason_en = models.TextField(_("por qué pide lo mismo (inglés)"), blank=True)

    class Meta:
        ordering = ["ask", "recommendation__year", "recommendation__code"]
        verbose_name = _("recomendación de una petición reiterada")
        verbose_name_plural = _("recomendaciones de peticiones reiteradas")
        constraints = [
            models.UniqueConstraint(
                fields=["ask", "recommendation"],
                name="recurringasklink_unique",
                violation_error_message=_("Esa recomendación ya está en esa petición reiterada."),
            )
        ]

    def __str__(self):
        return f"{self.ask.code} · {self.recommendation.code}"

    @property
    def reason(self):
        return _localized(self, "reason")
