"""Bulk import/export of the catalogue and of ratings (django-import-export).

Foreign keys by natural key (instrument code, obligation code, agency acronym, cycle slug); the
strict rules of `agencies.resources.StrictModelResource` (all or nothing, full_clean, row-level
Spanish messages, formula cells refused on import and neutralised on export).

The `Bulk…Resource` variants batch the database writes and leave out the many-to-many columns,
which bulk mode cannot save. `BulkObligationResource` uses the library's bulk mode (validation per
row). `BulkAssessmentResource` (the admin's import of ratings) validates the file as a plan
(`agencies.resources.PlannedImportMixin`: the same rules and row-level messages, a constant number
of queries, a preview that writes nothing) and keeps the audit trail (simple_history's bulk helpers).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agencies.models import Agency
from agencies.resources import (
    UNKNOWN_AGENCY,
    NaturalKeysWidget,
    NaturalKeyWidget,
    PlannedImportMixin,
    StrictModelResource,
    _text,
)
from obligations import workflow
from obligations.choices import ResponsibilityRole, WorkflowState
from obligations.models import (
    Assessment,
    Duty,
    DutyBearer,
    Evidence,
    Indicator,
    LegalInstrument,
    Obligation,
    Provision,
    ProvisionVersion,
    Responsibility,
    ReviewCycle,
)

# --- provisions ------------------------------------------------------------------------------


class ProvisionResource(StrictModelResource):
    instrument = fields.Field(
        attribute="instrument",
        column_name="instrument",
        widget=NaturalKeyWidget(
            LegalInstrument, "code", unknown=gettext_lazy("Instrumento jurídico desconocido: «%(value)s».")
        ),
    )
    required_columns = ("instrument", "article", "fraction", "paragraph", "transitory")
    key_columns = ("instrument", "article", "fraction", "paragraph", "transitory")

    class Meta(StrictModelResource.Meta):
        model = Provision
        import_id_fields = ("instrument", "article", "fraction", "paragraph", "transitory")
        fields = ("instrument", "article", "fraction", "paragraph", "transitory", "summary_es", "summary_en", "source")
        export_order = fields

    _bool = widgets.BooleanWidget()

    def row_key(self, row) -> tuple:
        transitory = self._bool.clean(row.get("transitory")) or False
        return (
            _text(row.get("instrument")),
            _text(row.get("article")),
            _text(row.get("fraction")),
            _text(row.get("paragraph")),
            str(transitory),
        )

    def instance_key(self, instance) -> tuple:
        return (
            instance.instrument.code,
            instance.article,
            instance.fraction,
            instance.paragraph,
            str(instance.transitory),
        )

    def natural_key_queryset(self, rows):
        codes = {_text(row.get("instrument")) for row in rows}
        return Provision.objects.filter(instrument__code__in=codes).select_related("instrument")

    def get_queryset(self):
        return super().get_queryset().select_related("instrument")


# --- obligations -----------------------------------------------------------------------------


class ProvisionsWidget(widgets.ManyToManyWidget):
    """The legal basis as it reads on screen: 'LGPSEDMTP art. 89 fr. XV; Reglamento art. 83'."""

    def __init__(self):
        super().__init__(Provision, separator=";")

    def clean(self, value, row=None, **kwargs):
        citations = [c.strip() for c in str(value or "").split(";") if c.strip()]
        if not citations:
            return []
        known = {p.citation: p for p in Provision.objects.select_related("instrument")}
        unknown = [c for c in citations if c not in known]
        if unknown:
            raise ValueError(_("Disposición desconocida: «%(value)s».") % {"value": "», «".join(unknown)})
        return [known[c] for c in citations]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "; ".join(p.citation for p in value.all())


class ObligationResource(StrictModelResource):
    """Obligations with their legal basis and responsible agencies (lead: `responsables`,
    co-responsible: `corresponsables`, acronyms separated by ';')."""

    provisions = fields.Field(attribute="provisions", column_name="provisions", widget=ProvisionsWidget())
    responsables = fields.Field(
        column_name="responsables", widget=NaturalKeysWidget(Agency, "acronym", unknown=UNKNOWN_AGENCY)
    )
    corresponsables = fields.Field(
        column_name="corresponsables", widget=NaturalKeysWidget(Agency, "acronym", unknown=UNKNOWN_AGENCY)
    )
    required_columns = ("code", "title_es", "component", "level")
    key_columns = ("code",)

    class Meta(StrictModelResource.Meta):
        model = Obligation
        import_id_fields = ("code",)
        fields = (
            "code",
            "title_es",
            "title_en",
            "description_es",
            "description_en",
            "component",
            "level",
            "origin",
            "provisions",
            "basis_confidence",
            "basis_reason_es",
            "basis_reason_en",
            "deadline_es",
            "deadline_en",
            "in_force_from",
            "in_force_until",
            "source",
            "responsables",
            "corresponsables",
        )
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().prefetch_related("provisions__instrument", "responsibilities__agency")

    def _agencies(self, instance, role):
        return "; ".join(r.agency.acronym for r in instance.responsibilities.all() if r.role == role)

    def dehydrate_responsables(self, instance):
        return self._agencies(instance, ResponsibilityRole.LEAD) if instance.pk else ""

    def dehydrate_corresponsables(self, instance):
        return self._agencies(instance, ResponsibilityRole.CO) if instance.pk else ""

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        # Parse the many-to-many columns now so that an unknown value is a row-level message.
        if "provisions" in row and "provisions" in self.fields:
            try:
                self.fields["provisions"].widget.clean(row["provisions"])
            except ValueError as exc:
                errors["provisions"] = [str(exc)]
        self._responsibilities = {}
        for column, role in (("responsables", ResponsibilityRole.LEAD), ("corresponsables", ResponsibilityRole.CO)):
            if column in row and column in self.fields:
                try:
                    self._responsibilities[role] = list(self.fields[column].widget.clean(row[column]))
                except ValueError as exc:
                    errors[column] = [str(exc)]
        if errors:
            raise ValidationError(errors)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name in ("responsables", "corresponsables"):
            return  # saved in after_save_instance
        return super().import_field(field, instance, row, is_m2m, **kwargs)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if self._meta.use_bulk or instance.pk is None:
            return
        for role, agencies in getattr(self, "_responsibilities", {}).items():
            for agency in agencies:
                Responsibility.objects.update_or_create(obligation=instance, agency=agency, defaults={"role": role})


class BulkObligationResource(ObligationResource):
    """Bulk mode (no legal basis / responsibility columns: many-to-many cannot be bulk-saved)."""

    class Meta(ObligationResource.Meta):
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        fields = tuple(
            f for f in ObligationResource.Meta.fields if f not in ("provisions", "responsables", "corresponsables")
        )
        export_order = fields

    def get_queryset(self):
        return Obligation.objects.all()


# --- the law: provision versions, duty-bearers, statutory duties ------------------------------


class ProvisionWidget(widgets.ForeignKeyWidget):
    """One provision by its citation as it reads on screen: 'LGPSEDMTP art. 89 fr. X'."""

    def __init__(self):
        super().__init__(Provision)
        self._known = None

    def clean(self, value, row=None, **kwargs):
        citation = str(value or "").strip()
        if not citation:
            return None
        if self._known is None:
            self._known = {p.citation: p for p in Provision.objects.select_related("instrument")}
        if citation not in self._known:
            raise ValueError(_("Disposición desconocida: «%(value)s».") % {"value": citation})
        return self._known[citation]

    def render(self, value, obj=None, **kwargs):
        return value.citation if value is not None else ""


class ProvisionVersionResource(StrictModelResource):
    """The versions of each provision (what it said from one date to another), keyed by the
    provision's citation and the first day in force. The model refuses overlapping versions."""

    provision = fields.Field(attribute="provision", column_name="provision", widget=ProvisionWidget())
    amended_by = fields.Field(
        attribute="amended_by",
        column_name="amended_by",
        widget=NaturalKeyWidget(
            LegalInstrument, "code", unknown=gettext_lazy("Instrumento jurídico desconocido: «%(value)s».")
        ),
    )
    replaced_by = fields.Field(attribute="replaced_by", column_name="replaced_by", widget=ProvisionsWidget())
    required_columns = ("provision", "valid_from", "source")
    key_columns = ("provision", "valid_from")

    class Meta(StrictModelResource.Meta):
        model = ProvisionVersion
        import_id_fields = ("provision", "valid_from")
        fields = ("provision", "valid_from", "valid_until", *ProvisionVersion.CONTENT_FIELDS)
        export_order = fields

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("provision__instrument", "amended_by")
            .prefetch_related("replaced_by__instrument")
        )

    def row_key(self, row) -> tuple:
        return (_text(row.get("provision")), _text(row.get("valid_from"))[:10])

    def instance_key(self, instance) -> tuple:
        return (instance.provision.citation, instance.valid_from.isoformat())

    def natural_key_queryset(self, rows):
        return ProvisionVersion.objects.select_related("provision__instrument")


class DutyBearerResource(StrictModelResource):
    """Who owes statutory duties; `agency` by today's acronym (empty for a class of authorities)."""

    agency = fields.Field(
        attribute="agency",
        column_name="agency",
        widget=NaturalKeyWidget(Agency, "acronym", unknown=UNKNOWN_AGENCY),
    )
    required_columns = ("code", "kind", "name_es", "source")
    key_columns = ("code",)

    class Meta(StrictModelResource.Meta):
        model = DutyBearer
        import_id_fields = ("code",)
        fields = (
            "code",
            "kind",
            "name_es",
            "name_en",
            "agency",
            "resolved_through",
            "agency_inferred",
            "inferred_note",
            "source",
        )
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("agency")


class DutyResource(StrictModelResource):
    """Statutory duties with their provisions (citations separated by ';'), the reforms that
    touched them and the obligations that rate them (codes). The bearers are exported as they
    read ('SEGOB (Responsable); SEP (Corresponsable)') and edited in the admin, not imported."""

    instrument = fields.Field(
        attribute="instrument",
        column_name="instrument",
        widget=NaturalKeyWidget(
            LegalInstrument, "code", unknown=gettext_lazy("Instrumento jurídico desconocido: «%(value)s».")
        ),
    )
    provisions = fields.Field(attribute="provisions", column_name="provisions", widget=ProvisionsWidget())
    reforms = fields.Field(
        attribute="reforms",
        column_name="reforms",
        widget=NaturalKeysWidget(
            LegalInstrument, "code", unknown=gettext_lazy("Instrumento jurídico desconocido: «%(value)s».")
        ),
    )
    obligations = fields.Field(
        attribute="obligations",
        column_name="obligations",
        widget=NaturalKeysWidget(Obligation, "code", unknown=gettext_lazy("Obligación desconocida: «%(value)s».")),
    )
    bearers = fields.Field(column_name="bearers", readonly=True)
    required_columns = ("code", "instrument", "citation", "theme", "paraphrase_es", "source")
    key_columns = ("code",)

    class Meta(StrictModelResource.Meta):
        model = Duty
        import_id_fields = ("code",)
        fields = (
            "code",
            "instrument",
            "citation",
            "provisions",
            "bearers",
            "theme",
            "secondary_theme",
            "paraphrase_es",
            "paraphrase_en",
            "reforms",
            "obligations",
            "not_rated_note",
            "inferred",
            "inferred_note",
            "source",
        )
        export_order = fields

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("instrument")
            .prefetch_related("provisions__instrument", "reforms", "obligations", "assignments__bearer")
        )

    def dehydrate_bearers(self, instance):
        if not instance.pk:
            return ""
        return "; ".join(f"{a.bearer.code} ({a.get_role_display()})" for a in instance.assignments.all())


# --- indicators ------------------------------------------------------------------------------


class IndicatorResource(StrictModelResource):
    obligation = fields.Field(
        attribute="obligation",
        column_name="obligation",
        widget=NaturalKeyWidget(Obligation, "code", unknown=gettext_lazy("Obligación desconocida: «%(value)s».")),
    )
    required_columns = ("code", "statement_es", "kind")
    key_columns = ("code",)

    class Meta(StrictModelResource.Meta):
        model = Indicator
        import_id_fields = ("code",)
        fields = ("code", "obligation", *Indicator.DESCRIPTION_FIELDS)
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("obligation")


# --- assessments -----------------------------------------------------------------------------


class AssessmentResource(StrictModelResource):
    """Ratings: one row per cycle × agency × obligation. Imported rows are drafts rated by the
    importing auditor; a published cycle, or a rating already submitted or validated, is refused
    (the same rule as the rating form). `workflow_state` is exported, never imported."""

    cycle = fields.Field(
        attribute="cycle",
        column_name="cycle",
        widget=NaturalKeyWidget(
            ReviewCycle, "slug", unknown=gettext_lazy("Ciclo de revisión desconocido: «%(value)s».")
        ),
    )
    agency = fields.Field(
        attribute="agency",
        column_name="agency",
        widget=NaturalKeyWidget(Agency, "acronym", unknown=UNKNOWN_AGENCY),
    )
    obligation = fields.Field(
        attribute="obligation",
        column_name="obligation",
        widget=NaturalKeyWidget(Obligation, "code", unknown=gettext_lazy("Obligación desconocida: «%(value)s».")),
    )
    workflow_state = fields.Field(attribute="workflow_state", column_name="workflow_state", readonly=True)
    required_columns = ("cycle", "agency", "obligation", "status")
    key_columns = ("cycle", "agency", "obligation")
    # The workflow fields (stage, reviewer, validator, dates, version) are never read from the
    # file: the workflow and `before_save_instance` set them, so they are not re-validated per row.
    validate_unwritten_fields = False

    class Meta(StrictModelResource.Meta):
        model = Assessment
        import_id_fields = ("cycle", "agency", "obligation")
        fields = ("cycle", "agency", "obligation", "status", "rationale", "source_reference", "workflow_state")
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("cycle", "agency", "obligation")

    def natural_key_queryset(self, rows):
        """The stored ratings the file names (one query), with the dates of their evidence (one
        more), which the model's `rating_errors()` reads for a rating that needs evidence."""
        keys = [(_text(row.get("cycle")), _text(row.get("agency")), _text(row.get("obligation"))) for row in rows]
        return (
            Assessment.objects.filter(
                cycle__slug__in={k[0] for k in keys},
                agency__acronym__in={k[1] for k in keys},
                obligation__code__in={k[2] for k in keys},
            )
            .select_related("cycle", "agency", "obligation")
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.only("id", "assessment_id", "fact_date")))
        )

    def instance_key(self, instance) -> tuple:
        return (instance.cycle.slug, instance.agency.acronym, instance.obligation.code)

    def unique_checked_fields(self, instance) -> set[str]:
        """A rating's one unique rule is its natural key: a new row's key was checked against the
        database and the file; a stored rating was found by that key, which the row cannot change."""
        return {"id", *self._meta.import_id_fields}

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The workflow's rule (obligations.workflow.edit_refusal: a published cycle, a rating not
        in draft), then the strict validation."""
        errors = dict(import_validation_errors or {})
        if instance.cycle_id:
            refusal = workflow.edit_refusal(instance, cycle_label=instance.cycle.slug)
            if refusal:
                errors.setdefault(NON_FIELD_ERRORS, []).append(refusal)
        super().validate_instance(instance, errors, validate_unique=validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        user = kwargs.get("user")
        if user is not None and getattr(user, "is_authenticated", False):
            instance._history_user = user  # the audit trail names who imported (bulk mode too)
        if instance.pk is None:
            instance.workflow_state = WorkflowState.DRAFT
            if user is not None and getattr(user, "is_authenticated", False):
                instance.reviewer = user
        else:
            instance.version += 1  # optimistic locking: an open form on this rating is now stale


class BulkAssessmentResource(PlannedImportMixin, AssessmentResource):
    """The admin's import of ratings: validated as a plan (agencies.resources.PlannedImportMixin:
    the same rules and messages, no query per row, the preview writes nothing), then written in
    batches with the audit trail (simple_history's bulk helpers)."""

    class Meta(AssessmentResource.Meta):
        use_bulk = True
        batch_size = 1000
        skip_diff = True

    UPDATED_FIELDS = ["status", "rationale", "source_reference", "version"]

    def write(self, creates, updates):
        if creates:
            bulk_create_with_history(creates, Assessment, batch_size=self._meta.batch_size)
        if updates:
            bulk_update_with_history(updates, Assessment, self.UPDATED_FIELDS, batch_size=self._meta.batch_size)
