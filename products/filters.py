"""Filters of the officers' list of producers (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.core.filters import SearchFilter, UnitCodeFilter
from ocop.core.search import compact
from products.enums import ProducerState
from products.models import Producer


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
