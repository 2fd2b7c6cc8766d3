"""Filters of the officers' list of producers (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.core.filters import SearchFilter, UnitCodeFilter
from ocop.core.search import compact
from products.enums import FairPeriod, OutletKind, ProducerState
from products.models import Outlet, Producer
from products.selectors import outlets_in_period


class ProducerFilter(django_filters.FilterSet):
    q = SearchFilter(
        label=_("Name or tax code"),
        fields=["name"],
        also=lambda text: Q(tax_code__startswith=compact(text)),
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=ProducerState.choices,
        empty_label=_("All"),
        widget=forms.Select(attrs={"class": "form-select", "data-testid": "state-filter"}),
    )

    unit = UnitCodeFilter(field_name="address_unit")

    class Meta:
        model = Producer
        fields = ["q", "state", "unit"]


class OutletFilter(django_filters.FilterSet):
    """The office's points of sale and fairs: by kind; fairs by `today`."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind of place"),
        choices=OutletKind.choices,
        empty_label=_("All"),
        widget=forms.Select(attrs={"class": "form-select", "data-testid": "kind-filter"}),
    )
    period = django_filters.ChoiceFilter(
        label=_("Fairs"),
        choices=FairPeriod.choices,
        empty_label=_("All"),
        method="filter_period",
        widget=forms.Select(attrs={"class": "form-select", "data-testid": "period-filter"}),
    )

    class Meta:
        model = Outlet
        fields = ["kind", "period"]

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def filter_period(self, queryset, name, value):
        return outlets_in_period(queryset, value, self.today)
