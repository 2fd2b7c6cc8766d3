"""Filters of the officers' list of producers (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.core.filters import UnitCodeFilter
from products.enums import ProducerState
from products.models import Producer
from products.selectors import producers_matching

SEARCH_MAX_LENGTH = 100


class ProducerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or tax code"),
        method="filter_search",
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

    def filter_search(self, queryset, name, value):
        # A longer text is cut, as it always was, rather than refused.
        return producers_matching(queryset, value[:SEARCH_MAX_LENGTH])
