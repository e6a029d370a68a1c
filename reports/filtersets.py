"""Filters of the national panorama (django-filter), over agencies the user may see.

Query parameters of the site are Spanish (docs/configuration.md): `q` (search), `gobierno`
(order of government), `componente`, `estatus`, and on the page `ciclo` and `orden` (the sort).
The component and status filters keep the agencies that have, in the chosen cycle, an assessment
of an obligation of that component / with that status. The cycle and the user are given by the
view (`PanoramaFilterSet(data, queryset=..., cycle=cycle, user=user)`).
"""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from agencies.choices import OrderOfGovernment
from agencies.models import Agency
from obligations.choices import Component, Status
from obligations.models import Assessment


class PanoramaFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Buscar"), method="filter_q")
    gobierno = django_filters.ChoiceFilter(
        label=_("Orden de gobierno"), field_name="order", choices=OrderOfGovernment.choices, empty_label=_("Todos")
    )
    componente = django_filters.ChoiceFilter(
        label=_("Componente"), choices=Component.choices, method="filter_component", empty_label=_("Todos")
    )
    estatus = django_filters.ChoiceFilter(
        label=_("Estatus"), choices=Status.choices, method="filter_status", empty_label=_("Todos")
    )

    class Meta:
        model = Agency
        fields = ["q", "gobierno", "componente", "estatus"]

    def __init__(self, *args, cycle, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.user = user

    def _assessments(self):
        return Assessment.objects.visible_to(self.user).filter(cycle=self.cycle, agency=OuterRef("pk"))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(acronym__icontains=value) | Q(name_es__icontains=value) | Q(name_en__icontains=value))

    def filter_component(self, queryset, name, value):
        if not value or self.cycle is None:
            return queryset
        return queryset.filter(Exists(self._assessments().filter(obligation__component=value)))

    def filter_status(self, queryset, name, value):
        if not value or self.cycle is None:
            return queryset
        return queryset.filter(Exists(self._assessments().filter(status=value)))
