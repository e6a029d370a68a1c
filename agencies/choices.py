from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The three user roles; each is a Django group of the same name (created by a migration)."""

    AUDITOR = "auditor", _("Auditor(a)")
    LIAISON = "liaison", _("Enlace de dependencia")
    SECRETARIAT = "secretariat", _("Secretariado técnico")


class OrderOfGovernment(models.TextChoices):
    FEDERAL = "federal", _("Federal")
    STATE = "state", _("Estatal")
    AUTONOMOUS = "autonomous", _("Organismo autónomo")


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("Secretaría de Estado")
    DECENTRALIZED = "decentralized", _("Organismo descentralizado")
    DECONCENTRATED = "deconcentrated", _("Órgano desconcentrado")
    PROSECUTOR = "prosecutor", _("Fiscalía o procuraduría")
    SPECIALIZED_UNIT = "unit", _("Unidad o fiscalía especializada")
    COMMISSION = "commission", _("Comisión intersecretarial u órgano colegiado")
    AUTONOMOUS = "autonomous", _("Organismo constitucional autónomo")
    OTHER = "other", _("Otra")


class CommissionRole(models.TextChoices):
    """How an agency sits on the Inter-Secretariat Commission (General Law arts. 85 and 87)."""

    CHAIR = "chair", _("Preside la Comisión")
    MEMBER = "member", _("Integrante (persona titular)")
    REPRESENTATIVE = "representative", _("Persona representante")
