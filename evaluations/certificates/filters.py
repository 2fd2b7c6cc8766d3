"""Filters of the certificates' list (django-filter)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from evaluations.certificates.selectors import number_matches_q
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate, Decision, DecisionItem
from ocop.core.filters import SearchFilter, UnitCodeFilter
from ocop.core.search import matching_q


class CertificateFilter(django_filters.FilterSet):
    """By standing today (`current_status`, annotated by `with_status`)."""

    q = SearchFilter(
        label=_("Number, product or producer"),
        fields=["product_name", "producer_name"],
        also=number_matches_q,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="current_status",
        choices=CertificateStatus.choices,
        empty_label=_("All statuses"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    unit = UnitCodeFilter(field_name="producer_address_unit")

    class Meta:
        model = Certificate
        fields = ["q", "status", "unit"]

    def is_filtered(self) -> bool:
        """A filter was chosen (the list says so when it is empty)."""
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return bool(data.get("q") or data.get("status") or data.get("unit"))


def _decision_products_q(text: str) -> Q:
    """Decisions one of whose products (or producers) has every word typed."""
    items = DecisionItem.objects.filter(decision_id=OuterRef("pk")).filter(
        matching_q(
            text,
            ["result__dossier__product__name", "result__dossier__product__producer__name"],
        )
    )
    return Q(Exists(items))


class DecisionFilter(django_filters.FilterSet):
    q = SearchFilter(
        label=_("Number, product or producer"),
        fields=["number"],
        also=_decision_products_q,
    )

    class Meta:
        model = Decision
        fields = ["q"]
