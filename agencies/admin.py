"""Admin for agencies (with their former names) and liaison memberships.

Access through compliance.admin.PolicyAdmin (the permissions the auditor group holds; lists go
through the access policy). Bulk import/export through `agencies.resources.AgencyResource`
(dry-run preview, all-or-nothing, formula cells refused on import and neutralised on export).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgencyName, CommissionMembership, Membership
from agencies.resources import AgencyResource
from compliance.admin import PolicyAdmin, PolicyImportExportAdmin, PolicyInline


class AgencyNameInline(PolicyInline, admin.TabularInline):
    model = AgencyName
    extra = 0
    fields = ["acronym", "name_es", "name_en", "valid_from", "valid_until", "date_to_verify", "source"]


class CommissionMembershipInline(PolicyInline, admin.TabularInline):
    model = CommissionMembership
    extra = 0
    fields = [
        "law_name",
        "fraction",
        "fraction_inferred",
        "role",
        "valid_from",
        "valid_until",
        "inferred",
        "note",
        "source",
    ]


class CommissionMemberTodayFilter(admin.SimpleListFilter):
    title = _("integra hoy la Comisión Intersecretarial")
    parameter_name = "commission_member"

    def lookups(self, request, model_admin):
        return [("1", _("Sí")), ("0", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.commission_members()
        if self.value() == "0":
            return queryset.exclude(pk__in=Agency.objects.commission_members().values("pk"))
        return queryset


class ChildInline(PolicyInline, admin.TabularInline):
    model = Agency
    fk_name = "parent"
    extra = 0
    fields = ["acronym", "name_es", "kind"]
    readonly_fields = ["acronym", "name_es", "kind"]
    show_change_link = True
    verbose_name = _("unidad o dependencia subordinada")
    verbose_name_plural = _("unidades o dependencias subordinadas")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(PolicyImportExportAdmin):
    feminine = True  # Spanish messages say "la …"
    resource_classes = [AgencyResource]
    list_display = [
        "acronym",
        "name_es",
        "order",
        "kind",
        "parent",
        "former_acronyms",
        "consulted_by_cndh_2019",
        "commission_member_today",
        "active",
    ]
    list_filter = ["order", "kind", "consulted_by_cndh_2019", CommissionMemberTodayFilter, "active"]
    search_fields = ["acronym", "name_es", "name_en", "former_names__acronym", "former_names__name_es", "state_name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [AgencyNameInline, CommissionMembershipInline, ChildInline]
    fieldsets = [
        (None, {"fields": ["acronym", "name_es", "name_en", "order", "kind", "parent", "state_name"]}),
        (_("Papel en el sistema"), {"fields": ["consulted_by_cndh_2019", "active"]}),
        (_("Fuente y notas"), {"fields": ["source", "notes"]}),
    ]
    list_per_page = 100

    def get_queryset(self, request):
        # Former names for the list column in one query (not one per row).
        return (
            super()
            .get_queryset(request)
            .with_commission_member()
            .select_related("parent")
            .prefetch_related("former_names")
        )

    @admin.display(description=_("integra hoy la Comisión"), boolean=True)
    def commission_member_today(self, obj):
        return obj.commission_member

    @admin.display(description=_("siglas anteriores"))
    def former_acronyms(self, obj):
        return ", ".join(name.acronym for name in obj.former_names.all())


@admin.register(Membership)
class MembershipAdmin(PolicyAdmin):
    list_display = ["user", "agency", "position", "created_at"]
    list_filter = ["agency"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__acronym", "position"]
    autocomplete_fields = ["agency"]
    raw_id_fields = ["user"]
