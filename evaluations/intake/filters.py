"""Filters of the working group's inbox (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.enums import DossierState
from evaluations.intake.selectors import rounds_visible_to
from evaluations.models import Dossier, Round
from ocop.core.filters import SearchFilter, UnitCodeFilter
from ocop.core.search import compact
from products.models import ProductSet


def _rounds(request):
    return rounds_visible_to(request.user) if request else Round.objects.none()


# The inbox opens on what waits for the working group (`inbox_for`'s `waiting_order` 0);
# "all" shows every state, drafts included.
SHOW_ALL = "all"


class InboxFilter(django_filters.FilterSet):
    q = SearchFilter(
        label=_("Product, producer or tax code"),
        fields=["product__name", "product__producer__name"],
        also=lambda text: Q(product__producer__tax_code__startswith=compact(text)),
    )
    round = django_filters.ModelChoiceFilter(
        label=_("Round"),
        queryset=_rounds,
        empty_label=_("All rounds"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[(SHOW_ALL, _("All states")), *DossierState.choices],
        empty_label=_("To handle"),
        method="filter_state",
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
        fields = ["q", "state", "round", "product_set", "unit"]

    def filter_state(self, queryset, name, value):
        if value == SHOW_ALL:
            return queryset
        return queryset.filter(state=value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.filter(waiting_order=0)
        return queryset

    @property
    def to_handle(self) -> bool:
        """The list shows only what waits for the working group (no state chosen)."""
        return not (self.form.is_valid() and self.form.cleaned_data.get("state"))
