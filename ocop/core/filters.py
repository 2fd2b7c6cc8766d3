"""Filters shared by the officers' lists (django-filter)."""

from collections.abc import Callable

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.core.models import AdministrativeUnit
from ocop.core.search import matching_q
from ocop.core.selectors import units_with_code


class UnitCodeField(forms.CharField):
    """An official unit code of either map (province, district or commune)."""

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if value and not AdministrativeUnit.objects.filter(code=value).exists():
            raise ValidationError(
                _("No province, district or commune has the code %(code)s, on either map."),
                code="unknown_unit",
                params={"code": value},
            )
        return value


class UnitCodeFilter(django_filters.CharFilter):
    """The rows whose unit (`field_name`) lies in the unit of that code, on either map: the
    old Hòa Bình's by "17", the same and today's Phú Thọ's by "25" (decision 0020)."""

    field_class = UnitCodeField

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Area code"))
        kwargs.setdefault(
            "help_text",
            _("Province, district or commune code, on the old or today's map, e.g. 17 or 25."),
        )
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "class": "form-control form-control-sm",
                    "inputmode": "numeric",
                    "placeholder": "17, 25, 05128…",
                }
            ),
        )
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}_id__in": units_with_code(value)})


class SearchFilter(django_filters.CharFilter):
    """Free text over `fields`, ignoring case and diacritics ("man duc" finds "Mãn Đức");
    `also` adds what else the text finds as typed (a tax code, a certificate number), see
    ocop.core.search.matching_q. The fields must not cross a to-many relation."""

    def __init__(self, *, fields: list[str], also: Callable[[str], Q] | None = None, **kwargs):
        self.search_fields = fields
        self.also = also
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "search", "class": "form-control form-control-sm"}),
        )
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value or not value.strip():
            return qs
        return qs.filter(matching_q(value, self.search_fields, also=self.also))


def chosen_filters(filterset) -> list[tuple[str, str]]:
    """The filters as the list applies them, as (label, value) lines (a download's header): a
    choice shows its label, a choice left empty its empty label ("All rounds", "To handle"),
    a text left empty nothing. A value the form refuses is not applied, and shows as empty."""
    form = filterset.form
    data = {}
    if filterset.is_bound:
        form.is_valid()  # cleans it: a refused value is left out of cleaned_data
        data = form.cleaned_data
    lines = []
    for name, field in form.fields.items():
        value = data.get(name)
        if isinstance(field, forms.ModelChoiceField):
            shown = field.empty_label if value is None else field.label_from_instance(value)
        elif isinstance(field, forms.ChoiceField):
            shown = dict(field.choices).get(value or "")
        else:
            shown = value
        if shown not in (None, ""):
            lines.append((str(field.label), str(shown)))
    return lines
