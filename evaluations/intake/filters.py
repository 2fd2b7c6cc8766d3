"""Filters of the working group's inbox (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.enums import DossierState
from evaluations.intake.selectors import rounds_visible_to
from evaluations.models import Dossier, Round
from ocop.core.filters import UnitCodeFilter
from products.models import ProductSet


def _rounds(request):
    return rounds_visible_to(request.user) if request else Round.objects.none()


class InboxFilter(django_filters.FilterSet):
    round = django_filters.ModelChoiceFilter(
        label=_("Round"),
        queryset=_rounds,
        empty_label=_("All rounds"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=DossierState.choices,
        empty_label=_("All states"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    product_set = django_filters.ModelChoiceFilter(
        label=_("Product set"),
        field_name="product__product_set",
        queryset=ProductSet.objects.order_by("number"),
        empty_label=_("All product sets"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    unit = UnitCodeFilter(field_name="first_level_unit", label=_("Received by (area code)"))

    class Meta:
        model = Dossier
        fields = ["round", "state", "product_set", "unit"]
