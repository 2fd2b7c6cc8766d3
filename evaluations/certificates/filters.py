"""Filters of the certificates' list (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.certificates.selectors import number_matches_q
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate
from ocop.core.filters import SearchFilter, UnitCodeFilter


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
