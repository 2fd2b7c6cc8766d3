"""Filters of the council pages' lists (django-filter), shown by `includes/_filter_bar.html`."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.councils.selectors import province_rounds
from evaluations.models import LevelResult, Round
from ocop.core.filters import SearchFilter


class PotentialFilter(django_filters.FilterSet):
    """The potential list by round (`?round=<pk>`): the rounds of the office's province only;
    another value is ignored."""

    q = SearchFilter(
        label=_("Product or producer"),
        fields=["dossier__product__name", "dossier__product__producer__name"],
    )
    round = django_filters.ModelChoiceFilter(
        label=_("Round"),
        field_name="dossier__round",
        queryset=Round.objects.none(),
        empty_label=_("All rounds"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    class Meta:
        model = LevelResult
        fields = ["q", "round"]

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["round"].queryset = province_rounds(province)

    @property
    def selected_round(self) -> Round | None:
        """The round the list is filtered by, if a valid one was chosen."""
        if not self.is_bound or not self.form.is_valid():
            return None
        return self.form.cleaned_data.get("round")
