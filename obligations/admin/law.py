"""The law's own data in the admin: provision versions, duty-bearers, statutory duties and the
Inter-Secretariat Commission's membership over time, with search, filters and import/export
through obligations/resources.py."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from agencies.models import CommissionMembership
from compliance.admin import PolicyAdmin, PolicyImportExportAdmin, PolicyInline
from obligations import resources
from obligations.choices import ObligationOrigin
from obligations.models import Duty, DutyAssignment, DutyBearer, Obligation, ProvisionVersion


@admin.register(ProvisionVersion)
class ProvisionVersionAdmin(PolicyImportExportAdmin):
    feminine = True  # Spanish messages say "la …"
    resource_classes = [resources.ProvisionVersionResource]
    list_display = ["provision", "valid_from", "valid_until", "amended_by", "wording_known", "repealed", "inferred"]
    list_select_related = ["provision__instrument", "amended_by"]
    list_filter = ["provision__instrument", "amended_by", "repealed", "wording_known", "inferred"]
    search_fields = ["provision__article", "paraphrase_es", "paraphrase_en", "change_es", "inferred_note", "source"]
    raw_id_fields = ["provision", "replaced_by"]
    date_hierarchy = "valid_from"
    fieldsets = [
        (None, {"fields": ["provision", "valid_from", "valid_until", "amended_by"]}),
        (_("Contenido"), {"fields": ["wording_known", "paraphrase_es", "paraphrase_en", "change_es", "change_en"]}),
        (_("Derogación"), {"fields": ["repealed", "replaced_by"]}),
        (_("Fuente e inferencias"), {"fields": ["inferred", "inferred_note", "source"]}),
    ]


@admin.register(DutyBearer)
class DutyBearerAdmin(PolicyImportExportAdmin):
    resource_classes = [resources.DutyBearerResource]
    list_display = ["code", "kind", "name_es", "agency", "resolved_through", "agency_inferred"]
    list_select_related = ["agency"]
    list_filter = ["kind", "agency_inferred"]
    search_fields = ["code", "name_es", "name_en", "agency__acronym", "resolved_through"]
    raw_id_fields = ["agency"]


class DutyAssignmentInline(PolicyInline, admin.TabularInline):
    model = DutyAssignment
    extra = 0
    fields = ["bearer", "role", "inferred", "note"]
    raw_id_fields = ["bearer"]


class RatedByFilter(admin.SimpleListFilter):
    """Which obligations rate a duty: the CNDH list, an obligation of the Law's own, or none."""

    title = _("evaluado por")
    parameter_name = "rated_by"

    def lookups(self, request, model_admin):
        return [
            ("cndh", _("Obligación de la CNDH")),
            ("law", _("Obligación propia de la Ley")),
            ("none", _("Ninguna obligación")),
        ]

    def queryset(self, request, queryset):
        rated = Duty.obligations.through.objects.filter(duty=OuterRef("pk"))
        if self.value() == "cndh":
            return queryset.filter(Exists(rated.filter(obligation__origin=ObligationOrigin.CNDH_2019)))
        if self.value() == "law":
            return queryset.filter(Exists(rated.filter(obligation__origin=ObligationOrigin.LAW)))
        if self.value() == "none":
            return queryset.exclude(Exists(rated))
        return queryset


@admin.register(Duty)
class DutyAdmin(PolicyImportExportAdmin):
    resource_classes = [resources.DutyResource]
    list_display = ["code", "citation", "theme", "bearers_display", "rated_by", "inferred"]
    list_select_related = ["instrument"]
    list_filter = ["instrument", "theme", RatedByFilter, "inferred", "assignments__bearer__kind", "reforms"]
    search_fields = [
        "code",
        "citation",
        "paraphrase_es",
        "paraphrase_en",
        "provisions__article",
        "assignments__bearer__code",
        "assignments__bearer__agency__acronym",
        "obligations__code",
    ]
    filter_horizontal = ["provisions", "reforms", "obligations"]
    inlines = [DutyAssignmentInline]
    fieldsets = [
        (None, {"fields": ["code", "instrument", "citation", "provisions", "theme", "secondary_theme"]}),
        (_("Deber"), {"fields": ["paraphrase_es", "paraphrase_en", "reforms"]}),
        (_("Obligaciones que lo evalúan"), {"fields": ["obligations", "not_rated_note"]}),
        (_("Fuente e inferencias"), {"fields": ["inferred", "inferred_note", "source"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assignments__bearer", "obligations")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "obligations":
            kwargs["queryset"] = Obligation.objects.order_by("code")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("titulares"))
    def bearers_display(self, obj):
        return "; ".join(f"{a.bearer.code}{'' if a.role == 'lead' else ' (co)'}" for a in obj.assignments.all())

    @admin.display(description=_("evaluado por"))
    def rated_by(self, obj):
        return ", ".join(o.code for o in obj.obligations.all()) or "—"


@admin.register(CommissionMembership)
class CommissionMembershipAdmin(PolicyAdmin):
    feminine = True  # Spanish messages say "la …"
    list_display = ["agency", "law_name", "fraction", "role", "valid_from", "valid_until", "inferred"]
    list_select_related = ["agency"]
    list_filter = ["role", "inferred", "fraction_inferred"]
    search_fields = ["agency__acronym", "law_name", "fraction", "note", "source"]
    raw_id_fields = ["agency"]
