"""Bulk import/export of figures (indicator values) with the strict rules of
`agencies.resources.StrictModelResource`: all or nothing, `full_clean()` on every row (the quote
must be verbatim in a copied source, the figure must be in its quote, no value unless reported),
row-level Spanish messages, formula cells refused on import and neutralised on export.

Foreign keys by natural key: indicator code, state INEGI code ("09"), agency acronym. A row is
matched by its whole breakdown: indicator, period, source, unit, percentage base and dimensions.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from agencies.models import Agency
from agencies.resources import UNKNOWN_AGENCY, NaturalKeyWidget, StrictModelResource, _text
from obligations.figure_choices import BREAKDOWN_DIMENSIONS
from obligations.models import Indicator, IndicatorValue, State

KEY_COLUMNS = (
    "indicator",
    "year",
    "period_start",
    "period_end",
    "source",
    "unit",
    "percent_base",
    *BREAKDOWN_DIMENSIONS,
)


class IndicatorValueResource(StrictModelResource):
    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=NaturalKeyWidget(Indicator, "code", unknown=gettext_lazy("Indicador desconocido: «%(value)s».")),
    )
    state = fields.Field(
        attribute="state",
        column_name="state",
        widget=NaturalKeyWidget(
            State, "code", unknown=gettext_lazy("Entidad federativa desconocida: «%(value)s» (use la clave INEGI).")
        ),
    )
    agency = fields.Field(
        attribute="agency",
        column_name="agency",
        widget=NaturalKeyWidget(Agency, "acronym", unknown=UNKNOWN_AGENCY),
    )
    year = fields.Field(attribute="year", column_name="year", widget=widgets.IntegerWidget())
    period_start = fields.Field(
        attribute="period_start", column_name="period_start", widget=widgets.DateWidget("%Y-%m-%d")
    )
    period_end = fields.Field(attribute="period_end", column_name="period_end", widget=widgets.DateWidget("%Y-%m-%d"))
    value = fields.Field(attribute="value", column_name="value", widget=widgets.DecimalWidget())
    required_columns = ("indicator", "status", "source", "quote")
    key_columns = KEY_COLUMNS

    class Meta(StrictModelResource.Meta):
        model = IndicatorValue
        # Rows are matched on the whole breakdown by the natural-key instance loader (`row_key`);
        # a column left out of the file counts as empty (not broken down by it).
        import_id_fields = ("indicator", "source")
        fields = (*KEY_COLUMNS, "status", "value", "stated_as", "quote", "note")
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("indicator", "state", "agency")

    def natural_key_queryset(self, rows):
        codes = {_text(row.get("indicator")) for row in rows}
        return IndicatorValue.objects.filter(indicator__code__in=codes).select_related("indicator", "state", "agency")

    def row_key(self, row) -> tuple:
        key = []
        for column in KEY_COLUMNS:
            text = _text(row.get(column))
            if column == "year" and text.endswith(".0"):
                text = text[:-2]  # a spreadsheet's number
            key.append(text)
        return tuple(key)

    def instance_key(self, instance) -> tuple:
        key = []
        for column in KEY_COLUMNS:
            value = getattr(instance, column)
            if column == "indicator":
                value = value.code
            elif column == "state":
                value = value.code if value else ""
            elif column == "agency":
                value = value.acronym if value else ""
            elif value is None:
                value = ""
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            key.append(str(value))
        return tuple(key)
