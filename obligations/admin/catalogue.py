"""The catalogue in the admin: legal instruments, provisions, obligations, indicators and
recommendations (bulk import/export through obligations.resources)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from compliance.admin import PolicyAdmin, PolicyImportExportAdmin, PolicyInline
from obligations import law_basis, resources
from obligations.models import (
    Indicator,
    IndicatorValue,
    LegalInstrument,
    Obligation,
    Provision,
    ProvisionVersion,
    Recommendation,
    RecommendationFollowUp,
    Responsibility,
    ReviewCycle,
)


class ProvisionInline(PolicyInline, admin.TabularInline):
    model = Provision
    extra = 0
    fields = ["article", "fraction", "paragraph", "transitory", "summary_es", "source"]
    show_change_link = True


@admin.register(LegalInstrument)
class LegalInstrumentAdmin(PolicyAdmin):
    list_display = ["code", "short_name", "kind", "published_on"]
    search_fields = ["code", "short_name", "name_es"]
    inlines = [ProvisionInline]


class ProvisionVersionInline(PolicyInline, admin.TabularInline):
    model = ProvisionVersion
    fk_name = "provision"
    extra = 0
    fields = ["valid_from", "valid_until", "amended_by", "wording_known", "repealed", "inferred", "source"]
    show_change_link = True


@admin.register(Provision)
class ProvisionAdmin(PolicyImportExportAdmin):
    feminine = True  # Spanish messages say "la …"
    resource_classes = [resources.ProvisionResource]
    list_display = ["citation", "instrument", "article", "fraction", "transitory", "source"]
    list_select_related = ["instrument"]
    list_filter = ["instrument", "transitory"]
    search_fields = ["article", "summary_es", "summary_en", "instrument__short_name"]
    inlines = [ProvisionVersionInline]


class ResponsibilityInline(PolicyInline, admin.TabularInline):
    model = Responsibility
    extra = 0
    fields = ["agency", "role"]
    autocomplete_fields = ["agency"]


class IndicatorInline(PolicyInline, admin.StackedInline):
    model = Indicator
    extra = 0
    fields = ["code", "kind", "statement_es", "statement_en", "means_of_verification", "is_quantitative"]
    show_change_link = True


class BasisChangedFilter(admin.SimpleListFilter):
    """Obligations to review when a cycle opens: a reform or repeal changed their legal basis since
    the previous cycle (obligations.law_basis.review_window)."""

    title = _("fundamento reformado desde el ciclo anterior")
    parameter_name = "fundamento_reformado"

    def lookups(self, request, model_admin):
        return [(c.slug, c.name) for c in law_basis.cycles_with_review_window()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        cycle = ReviewCycle.objects.filter(slug=self.value()).first()
        window = law_basis.review_window(cycle)
        return queryset.basis_changed_during(*window) if window else queryset.none()


@admin.register(Obligation)
class ObligationAdmin(PolicyImportExportAdmin):
    feminine = True  # Spanish messages say "la …"
    resource_classes = [resources.ObligationResource]
    list_display = ["code", "title_es", "component", "level", "origin", "legal_basis_display", "basis_confidence"]
    list_filter = [BasisChangedFilter, "origin", "basis_confidence", "component", "level", "agencies"]
    search_fields = ["code", "title_es", "title_en", "provisions__article"]
    filter_horizontal = ["provisions"]
    inlines = [ResponsibilityInline, IndicatorInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*law_basis.basis_prefetch())

    def get_list_display(self, request):
        """Adds, for the cycle under review (the newest not yet published), what changed in each
        obligation's basis since the previous cycle."""
        window = law_basis.review_window(law_basis.cycle_under_review())
        if window is None:
            return self.list_display

        @admin.display(description=_("cambio del fundamento desde el ciclo anterior"))
        def basis_review(obj):
            return law_basis.changes_text(obj, window) or "—"

        return [*self.list_display, basis_review]

    @admin.display(description=_("fundamento legal"))
    def legal_basis_display(self, obj):
        return obj.legal_basis or "—"


class IndicatorValueInline(PolicyInline, admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(PolicyImportExportAdmin):
    resource_classes = [resources.IndicatorResource]
    list_display = ["code", "statement_es", "kind", "obligation", "is_quantitative"]
    list_select_related = ["obligation"]
    list_filter = ["kind", "is_quantitative", "obligation__component"]
    search_fields = ["code", "statement_es", "statement_en", "obligation__code"]
    raw_id_fields = ["obligation"]
    inlines = [IndicatorValueInline]


class FollowUpInline(PolicyInline, admin.TabularInline):
    model = RecommendationFollowUp
    extra = 0


@admin.register(Recommendation)
class RecommendationAdmin(PolicyAdmin):
    feminine = True  # Spanish messages say "la …"
    list_display = ["code", "issuer", "paragraph", "prioritized", "issued_on"]
    list_filter = ["issuer", "prioritized", "addressees"]
    search_fields = ["code", "text_es", "text_en", "paragraph"]
    filter_horizontal = ["addressees", "obligations"]
    inlines = [FollowUpInline]


@admin.register(RecommendationFollowUp)
class RecommendationFollowUpAdmin(PolicyAdmin):
    list_display = ["recommendation", "cycle", "agency", "status"]
    list_select_related = ["recommendation", "cycle", "agency"]
    list_filter = ["cycle", "status", "agency"]
    search_fields = ["recommendation__code", "note"]
    autocomplete_fields = ["agency"]
