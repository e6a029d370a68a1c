from django.db import models
from django.utils.translation import gettext_lazy as _


class Component(models.TextChoices):
    """The four headings of CNDH 2019 Chapter III (¶142–191)."""

    PREVENTION = "prevention", _("Prevención")
    ASSISTANCE = "assistance", _("Atención, asistencia y protección a víctimas")
    PROSECUTION = "prosecution", _("Procuración de justicia")
    COORDINATION = "coordination", _("Coordinación interinstitucional y capacidades institucionales")


class Level(models.IntegerChoices):
    """CNDH 2019 ¶21: the three levels of obligations."""

    DIRECT = 1, _("1 · Referencia directa en la Ley")
    COMMISSION = 2, _("2 · Acción en la Comisión Intersecretarial")
    ALL_AUTHORITIES = 3, _("3 · Deber de todas las autoridades federales")


class ResponsibilityRole(models.TextChoices):
    LEAD = "lead", _("Responsable")
    CO = "co", _("Corresponsable")


class InstrumentKind(models.TextChoices):
    LAW = "law", _("Ley")
    REGULATION = "regulation", _("Reglamento")
    REFORM = "reform", _("Reforma")
    PROGRAM = "program", _("Programa")
    OTHER = "other", _("Otro")


class IndicatorKind(models.TextChoices):
    STRUCTURAL = "structural", _("Estructural")
    PROCESS = "process", _("De proceso")
    RESULT = "result", _("De resultado")
    CONTEXT = "context", _("De contexto nacional")


class CycleState(models.TextChoices):
    OPEN = "open", _("Abierto")
    CLOSED = "closed", _("Cerrado")
    PUBLISHED = "published", _("Publicado")


class Status(models.TextChoices):
    """Assessment status identifiers (fixed set, part of the open-data format)."""

    COMPLIED = "complied", _("Cumplida")
    PARTIALLY_COMPLIED = "partially_complied", _("Parcialmente cumplida")
    NOT_COMPLIED = "not_complied", _("No cumplida")
    NO_INFORMATION = "no_information", _("Sin información")
    NOT_APPLICABLE = "not_applicable", _("No aplica")


class WorkflowState(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SUBMITTED = "submitted", _("Enviada a validación")
    VALIDATED = "validated", _("Validada")


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Archivo")
    LINK = "link", _("Enlace")
    OFFICIAL_REPLY = "official_reply", _("Respuesta oficial")
    PUBLIC_SOURCE = "public_source", _("Fuente pública")


class Issuer(models.TextChoices):
    CNDH_2019 = "cndh_2019", _("CNDH, Diagnóstico 2019")
    TIP_2005 = "tip_2005", _("Departamento de Estado de EUA, Informe TIP 2005")
    TIP_2012 = "tip_2012", _("Departamento de Estado de EUA, Informe TIP 2012")
    TIP_2025 = "tip_2025", _("Departamento de Estado de EUA, Informe TIP 2025")
    OTHER = "other", _("Otro")


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    IN_PROGRESS = "in_progress", _("En proceso")
    FULFILLED = "fulfilled", _("Atendida")
    NOT_FULFILLED = "not_fulfilled", _("No atendida")
    NO_INFORMATION = "no_information", _("Sin información")


class ReplyOutcome(models.TextChoices):
    KEPT = "kept", _("Se mantiene la calificación")
    CHANGED = "changed", _("Se modifica la calificación")


class ObligationOrigin(models.TextChoices):
    """Where an obligation of the catalogue comes from."""

    CNDH_2019 = "cndh_2019", _("Criterio evaluado por la CNDH (Diagnóstico 2019)")
    LAW = "law", _("Deber de la Ley General no evaluado por la CNDH")


class BasisConfidence(models.TextChoices):
    """How well the legal basis supports an obligation (the cross-walk's confidence)."""

    HIGH = "high", _("Alta")
    MEDIUM = "medium", _("Media")
    LOW = "low", _("Baja (solo fundamento general)")
    NONE = "none", _("Sin fundamento legal: criterio de la CNDH")


class Theme(models.TextChoices):
    """The six themes of the statutory duties (shared/reference/law-obligations.md, section 1)."""

    PREVENTION = "prevention", _("Prevención")
    PROSECUTION = "prosecution", _("Persecución del delito")
    PROTECTION = "protection", _("Protección y asistencia a víctimas")
    COORDINATION = "coordination", _("Coordinación e información")
    TRAINING = "training", _("Capacitación")
    INTERNATIONAL = "international", _("Cooperación internacional")


class BearerKind(models.TextChoices):
    """Who owes a statutory duty."""

    AGENCY = "agency", _("Dependencia o entidad")
    COMMISSION = "commission", _("Comisión Intersecretarial")
    SECRETARIAT = "secretariat", _("Secretaría Técnica de la Comisión")
    BODY = "body", _("Otro órgano o sistema nombrado en la Ley")
    CLASS = "class", _("Clase de autoridades")


class DatePrecision(models.TextChoices):
    """How much of a source's date is known (a report cites "2019", not an invented day)."""

    DAY = "day", _("Día")
    MONTH = "month", _("Mes")
    YEAR = "year", _("Año")
