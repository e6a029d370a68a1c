"""Fixed vocabularies of the figures (indicator values), the states' facts and the recurring asks.

The breakdown of a figure is a set of explicit dimensions, each a fixed list (easy to filter, to
validate and to chart). Empty means "not broken down by that dimension" (the total over it).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The fields of an IndicatorValue that break it down, in display order (empty: the total over it).
BREAKDOWN_DIMENSIONS = (
    "sex",
    "age_group",
    "nationality",
    "country",
    "exploitation",
    "order",
    "state",
    "agency",
    "disaggregation",
)


class ValueStatus(models.TextChoices):
    """A figure that was not reported is not a zero: it has no value at all."""

    REPORTED = "reported", _("Reportado")
    NOT_REPORTED = "not_reported", _("No reportado")
    NOT_ANALYSABLE = "not_analysable", _("Reportado, no analizable")


class ValueUnit(models.TextChoices):
    COUNT = "count", _("número")
    PERCENT = "percent", _("%")
    MXN = "mxn", _("pesos mexicanos")
    MXN_MILLIONS = "mxn_millions", _("millones de pesos mexicanos")
    USD = "usd", _("dólares estadounidenses")
    USD_MILLIONS = "usd_millions", _("millones de dólares estadounidenses")


class Sex(models.TextChoices):
    FEMALE = "female", _("Mujeres y niñas")
    MALE = "male", _("Hombres y niños")
    UNKNOWN = "unknown", _("Sexo sin información")


class AgeGroup(models.TextChoices):
    ADULT = "adult", _("Personas adultas")
    MINOR = "minor", _("Menores de 18 años")
    UNKNOWN = "unknown", _("Edad sin información")


class Nationality(models.TextChoices):
    MEXICAN = "mexican", _("Mexicana")
    FOREIGN = "foreign", _("Extranjera")
    UNKNOWN = "unknown", _("Nacionalidad sin información")


class Country(models.TextChoices):
    """Countries of nationality that the sources give figures for (ISO 3166-1 alfa-2)."""

    AR = "AR", _("Argentina")
    CL = "CL", _("Chile")
    CO = "CO", _("Colombia")
    CU = "CU", _("Cuba")
    GT = "GT", _("Guatemala")
    HN = "HN", _("Honduras")
    SV = "SV", _("El Salvador")
    US = "US", _("Estados Unidos")
    VE = "VE", _("Venezuela")


class Exploitation(models.TextChoices):
    """Forms of exploitation as the sources group them: the TIP reports use three (sex trafficking,
    forced labour, unspecified); CNDH 2019 uses the offences of the General Law."""

    SEXUAL = "sexual", _("Explotación sexual")
    LABOUR = "labour", _("Trabajo forzoso o explotación laboral")
    FORCED_LABOUR_SERVICES = "forced_labour_services", _("Trabajos o servicios forzados")
    FORCED_BEGGING = "forced_begging", _("Mendicidad forzosa")
    ILLEGAL_ADOPTION = "illegal_adoption", _("Adopción ilegal de menores")
    CRIMINAL_ACTIVITIES = "criminal_activities", _("Utilización de menores en actividades delictivas")
    FORCED_MARRIAGE = "forced_marriage", _("Matrimonio forzoso o servil")
    SLAVERY = "slavery", _("Esclavitud")
    OTHER_OFFENCE = "other_offence", _("Otra conducta de la Ley General")
    COMBINED = "combined", _("Combinación de delitos (según la fuente)")
    UNSPECIFIED = "unspecified", _("Forma no especificada o no identificada")


class Order(models.TextChoices):
    FEDERAL = "federal", _("Federal")
    STATE = "state", _("Estatal")


class FactTopic(models.TextChoices):
    """What a state fact is about."""

    CNDH_REQUEST = "cndh_request", _("Solicitud de información de la CNDH")
    LEGISLATION = "legislation", _("Legislación estatal")
    SPECIALISED_UNIT = "specialised_unit", _("Fiscalía o unidad especializada")
    VICTIMS = "victims", _("Víctimas identificadas")
    INVESTIGATIONS = "investigations", _("Investigaciones")
    SENTENCES = "sentences", _("Sentencias")
    VICTIM_COMMISSION = "victim_commission", _("Comisión estatal de atención a víctimas")
    SHELTERS = "shelters", _("Refugios y canalización de víctimas")
    TRAINING = "training", _("Capacitación")
    DATA_QUALITY = "data_quality", _("Calidad de la información")
    COMPLICITY = "complicity", _("Complicidad de servidores públicos")
    PREVALENCE = "prevalence", _("Presencia de la trata")
