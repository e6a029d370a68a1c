"""Admin for agencies (with their former names) and liaison memberships.

Auditors only (every hook asks `agencies.access.is_auditor`); lists go through
`Agency.objects.visible_to(user)`. Bulk import/export through `agencies.resources.AgencyResource`
(dry-run preview, all-or-nothing, formula cells refused on import and neutralised on export).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from agencies.access import is_auditor
from agencies.models import Agency, AgencyName, CommissionMembership, Membership
from agencies.resources import AgencyResource


class AuditorsOnly:
    def has_module_permission(self, request):
        return is_auditor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_auditor(request.user)

    def has_add_permission(self, request, *args):
        return is_auditor(request.user)

    def has_change_permission(self, request, obj=None):
        return is_auditor(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_auditor(request.user)

    def has_import_permission(self, request):
        return is_auditor(request.user)

    def has_export_permission(self, request):
        return is_auditor(request.user)


class StrictImportMixin:
    """Import-export admin mixin: a file that is not UTF-8 is refused with a message that says
    so in Spanish (the library only names the exception). Reusable by any ImportExportModelAdmin."""

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnicodeDecodeError):
            form.add_error(
                "import_file",
                _(
                    "El archivo no está codificado en UTF-8 (byte no válido en la posición %(position)s). "
                    "Guárdelo como «CSV UTF-8» y vuelva a importarlo."
                )
                % {"position": e.start},
            )
            return
        super().add_data_read_fail_error_to_form(form, e)


class AgencyNameInline(AuditorsOnly, admin.TabularInline):
    model = AgencyName
    extra = 0
    fields = ["acronym", "name_es", "name_en", "valid_from", "valid_until", "date_to_verify", "source"]


class CommissionMembershipInline(AuditorsOnly, admin.TabularInline):
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


class ChildInline(AuditorsOnly, admin.TabularInline):
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
class AgencyAdmin(AuditorsOnly, StrictImportMixin, ImportExportModelAdmin):
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
            Agency.objects.visible_to(request.user)
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
class MembershipAdmin(AuditorsOnly, admin.ModelAdmin):
    list_display = ["user", "agency", "position", "created_at"]
    list_filter = ["agency"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__acronym", "position"]
    autocomplete_fields = ["agency"]
    raw_id_fields = ["user"]
