"""The figures in the admin (indicator values with their breakdown, filters for every dimension,
the state and the status), the 32 states and their facts, and the recurring asks."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from compliance.admin import PolicyAdmin, PolicyImportExportAdmin, PolicyInline
from obligations.figure_choices import BREAKDOWN_DIMENSIONS
from obligations.figure_resources import IndicatorValueResource
from obligations.models import IndicatorValue, RecurringAsk, RecurringAskLink, State, StateFact


@admin.display(description=_("periodo"))
def _period(obj):
    return obj.period_label


@admin.register(IndicatorValue)
class IndicatorValueAdmin(PolicyImportExportAdmin):
    resource_classes = [IndicatorValueResource]
    list_display = ["indicator", _period, "status", "value", "unit", "breakdown", "source"]
    list_select_related = ["indicator", "state", "agency"]
    list_filter = [
        "status",
        "unit",
        "year",
        "sex",
        "age_group",
        "nationality",
        "exploitation",
        "order",
        "state",
        ("agency", admin.RelatedOnlyFieldListFilter),
        "source",
    ]
    search_fields = ["indicator__code", "indicator__statement_es", "source", "quote", "disaggregation", "note"]
    raw_id_fields = ["indicator"]
    autocomplete_fields = []
    fieldsets = [
        (None, {"fields": ["indicator", "status", "value", "unit", "percent_base"]}),
        (_("Periodo"), {"fields": ["year", "period_start", "period_end"]}),
        (
            _("Desagregación"),
            {"fields": list(BREAKDOWN_DIMENSIONS)},
        ),
        (_("Fuente"), {"fields": ["source", "quote", "stated_as", "note"]}),
    ]

    @admin.display(description=_("desagregación"))
    def breakdown(self, obj):
        return " · ".join(obj.dimensions.values()) or _("Total")


class StateFactInline(PolicyInline, admin.StackedInline):
    model = StateFact
    extra = 0
    fields = ["code", "topic", "text_es", "text_en", "source", "quote"]


@admin.register(State)
class StateAdmin(PolicyAdmin):
    feminine = True  # Spanish messages say "la …"
    list_display = ["code", "short_name", "abbreviation", "prosecutor", "tile_row", "tile_column"]
    list_select_related = ["prosecutor"]
    search_fields = ["code", "name", "short_name", "abbreviation"]
    raw_id_fields = ["prosecutor"]
    inlines = [StateFactInline]


@admin.register(StateFact)
class StateFactAdmin(PolicyAdmin):
    list_display = ["code", "state", "topic", "source"]
    list_select_related = ["state"]
    list_filter = ["topic", "state", "source"]
    search_fields = ["code", "text_es", "text_en", "quote", "source"]


class RecurringAskLinkInline(PolicyInline, admin.TabularInline):
    model = RecurringAskLink
    extra = 0
    raw_id_fields = ["recommendation"]
    fields = ["recommendation", "reason_es", "reason_en"]


@admin.register(RecurringAsk)
class RecurringAskAdmin(PolicyAdmin):
    feminine = True  # Spanish messages say "la …"
    list_display = ["code", "title_es", "first_year"]
    search_fields = ["code", "title_es", "title_en", "summary_es", "links__recommendation__code"]
    inlines = [RecurringAskLinkInline]

    @admin.display(description=_("pedida desde"))
    def first_year(self, obj):
        return obj.first_year or "—"
