"""The catalogue's filters, one set for its page, the open-data API and the downloads.

A `CatalogueFilter` (django-filter) over the catalogue's entries (`selectors.entries`: one
certificate per product, its latest). Every value is checked: a code that is no province,
a product set that does not exist, a year outside the program answer a message (a 422 in the
API) instead of being ignored. The text search is applied apart (`selectors.search`): it
picks between an exact and a typo-forgiving match and ranks by relevance.
"""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from ninja.errors import ValidationError as RequestInvalid

from evaluations.certificates.validity import status_q
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate
from ocop.core.enums import UnitLevel
from ocop.core.models import AdministrativeUnit
from ocop.core.search import SEARCH_MAX_LENGTH
from ocop.core.selectors import units_with_code
from products.selectors import products_sold_in

STARS = [(3, "3★"), (4, "4★"), (5, "5★")]
# The program's first year (Decision 490/QĐ-TTg, 2018).
FIRST_YEAR = 2018
PRODUCT_SETS = range(1, 27)


class Validity:
    """The `status` filter's values: a product's latest certificate standing so today."""

    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    ALL = "all"
    CHOICES = [
        (VALID, _("Valid")),
        (EXPIRED, _("Expired")),
        (REVOKED, _("Revoked")),
        (ALL, _("All")),
    ]
    STATUSES = {
        VALID: [CertificateStatus.VALID, CertificateStatus.EXPIRING],
        EXPIRED: [CertificateStatus.EXPIRED],
        REVOKED: [CertificateStatus.REVOKED],
    }


class Sort:
    RELEVANCE = "relevance"
    NAME = "name"
    STARS = "stars"
    NEWEST = "newest"
    CHOICES = [
        (RELEVANCE, _("Relevance")),
        (NAME, _("Name")),
        (STARS, _("Stars")),
        (NEWEST, _("Newest")),
    ]


LEVEL_MESSAGES = {
    UnitLevel.PROVINCE: _("No province has the code %(code)s, on either map."),
    UnitLevel.DISTRICT: _("No district has the code %(code)s (districts are on the old map)."),
    UnitLevel.COMMUNE: _("No commune has the code %(code)s, on either map."),
}


class UnitLevelCodeField(forms.CharField):
    """The official code of a unit of that level, on either map."""

    def __init__(self, *, level: str, **kwargs):
        self.level = level
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if value and not AdministrativeUnit.objects.filter(code=value, level=self.level).exists():
            raise ValidationError(
                LEVEL_MESSAGES[self.level], code="unknown_unit", params={"code": value}
            )
        return value


class UnitLevelCodeFilter(django_filters.CharFilter):
    """Entries certified in the unit of that code or inside it, on either map (a province of
    today's map covers the old provinces merged into it: ocop.core.selectors.units_with_code)."""

    field_class = UnitLevelCodeField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(producer_address_unit_id__in=units_with_code(value))


class SoldInFilter(django_filters.CharFilter):
    """Products sold near a province (of either map): a shop there, or an OCOP point of sale
    or fair of that province listing them (products.selectors.products_sold_in)."""

    field_class = UnitLevelCodeField

    def filter(self, qs, value):
        if not value:
            return qs
        provinces = AdministrativeUnit.objects.filter(code=value, level=UnitLevel.PROVINCE)
        sold = products_sold_in(provinces, timezone.localdate())
        return qs.filter(product_id__in=sold.values("pk"))


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def _select(**attrs):
    return forms.Select(attrs={"class": "form-select", **attrs})


class CatalogueFilter(django_filters.FilterSet):
    """Filters of the catalogue; `status` is "valid" when not given."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="no_filter",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control form-control-lg",
                "placeholder": _("Product or producer, e.g. cam cao phong"),
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        ),
    )
    stars = django_filters.TypedMultipleChoiceFilter(
        label=_("Stars"),
        choices=STARS,
        coerce=int,
        field_name="stars",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    min_stars = django_filters.TypedChoiceFilter(
        label=_("At least"),
        choices=STARS,
        coerce=int,
        field_name="stars",
        lookup_expr="gte",
        widget=_select(),
    )
    province = UnitLevelCodeFilter(label=_("Province"), level=UnitLevel.PROVINCE, widget=_select())
    district = UnitLevelCodeFilter(
        label=_("District"), level=UnitLevel.DISTRICT, widget=forms.HiddenInput
    )
    commune = UnitLevelCodeFilter(label=_("Commune"), level=UnitLevel.COMMUNE, widget=_select())
    sector = django_filters.TypedChoiceFilter(
        label=_("Sector"),
        choices=[(n, n) for n in range(1, 7)],
        coerce=int,
        field_name="product_set__group__sector__number",
        widget=_select(),
    )
    product_set = django_filters.TypedChoiceFilter(
        label=_("Product set"),
        choices=[(n, n) for n in PRODUCT_SETS],
        coerce=int,
        field_name="product_set__number",
        widget=_select(),
    )
    year = YearFilter(label=_("Year of recognition"), field_name="year", widget=_select())
    status = django_filters.ChoiceFilter(
        label=_("Validity"),
        choices=Validity.CHOICES,
        method="filter_status",
        empty_label=None,
        widget=_select(),
    )
    sold_in = SoldInFilter(label=_("Sold in"), level=UnitLevel.PROVINCE, widget=_select())
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=Sort.CHOICES, method="no_filter", widget=_select()
    )

    # The filters each facet leaves out when it counts (a facet counts its own values
    # under every other filter).
    FACETS = {
        "stars": ("stars", "min_stars"),
        "status": ("status",),
        "province": ("province", "district", "commune"),
        "commune": ("commune", "district"),
        "product_set": ("sector", "product_set"),
        "year": ("year",),
        "sold_in": ("sold_in",),
    }

    class Meta:
        model = Certificate
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # The day the entries' standing is read for (`selectors.catalogue` sets it).
        self.today = None
        year = self.form.fields["year"]
        year.validators += [
            MinValueValidator(FIRST_YEAR, _("The program began in %(limit_value)s.")),
            MaxValueValidator(
                timezone.localdate().year, _("No year after %(limit_value)s has results yet.")
            ),
        ]

    def no_filter(self, queryset, name, value):
        return queryset

    def filter_status(self, queryset, name, value):
        statuses = Validity.STATUSES.get(value or Validity.VALID)
        if statuses is None:
            return queryset
        # As conditions on the stored status and date (an index serves them and the planner
        # can estimate them), the same as the entries' `current_status` of that day.
        today = self.today or timezone.localdate()
        return queryset.filter(reduce(or_, (status_q(status, today) for status in statuses)))

    @property
    def cleaned(self) -> dict:
        """The values that passed their checks (a wrong one is reported and left out)."""
        self.form.is_valid()
        return getattr(self.form, "cleaned_data", {})

    def apply(self, queryset: QuerySet, *, leave_out: tuple[str, ...] = ()) -> QuerySet:
        """`queryset` under every valid filter but those named in `leave_out`; the validity
        filter defaults to "valid"."""
        cleaned = self.cleaned
        for name, value in cleaned.items():
            if name in leave_out:
                continue
            if name == "status":
                value = value or Validity.VALID
            queryset = self.filters[name].filter(queryset, value)
        if "status" not in cleaned and "status" not in leave_out:
            queryset = self.filter_status(queryset, "status", Validity.VALID)
        return queryset

    def described(self) -> list[tuple[str, str]]:
        """The filters chosen in words (for a file's header): labels, not codes; the
        validity always, as it defaults to valid."""
        from products.models import ProductSet, Sector

        cleaned = dict(self.cleaned)
        cleaned.setdefault("status", Validity.VALID)
        cleaned["status"] = cleaned["status"] or Validity.VALID
        codes = [cleaned.get(n) for n in ("province", "district", "commune", "sold_in")]
        names: dict[str, list[str]] = {}
        for code, name in AdministrativeUnit.objects.filter(
            code__in=[c for c in codes if c]
        ).values_list("code", "name"):
            names.setdefault(code, []).append(name)
        labels = {
            "status": dict(Validity.CHOICES),
            "sort": dict(Sort.CHOICES),
        }
        described = []
        for name, value in cleaned.items():
            if value in (None, "", []):
                continue
            if name == "stars":
                text = ", ".join(f"{n}★" for n in value)
            elif name == "min_stars":
                text = f"{value}★"
            elif name in ("province", "district", "commune", "sold_in"):
                text = " / ".join(names.get(value, [value]))
            elif name == "sector":
                text = str(Sector.objects.filter(number=value).first() or value)
            elif name == "product_set":
                text = str(ProductSet.objects.filter(number=value).first() or value)
            elif name in labels:
                text = str(labels[name].get(value, value))
            else:
                text = str(value)
            described.append((str(self.filters[name].label), text))
        return described

    @property
    def chosen_count(self) -> int:
        """How many filters narrow the list (the words, the order and the default validity
        are not counted)."""
        return sum(
            1
            for name, value in self.cleaned.items()
            if value not in (None, "", [])
            and name not in ("q", "sort")
            and not (name == "status" and value == Validity.VALID)
        )

    @property
    def text(self) -> str:
        return (self.cleaned.get("q") or "").strip()

    @property
    def sort_by(self) -> str:
        return self.cleaned.get("sort") or ""


def filter_errors(filters: CatalogueFilter) -> list[dict]:
    """Each value that names nothing, in the API's 422 shape (django-ninja's), in English."""
    if filters.form.is_valid():
        return []
    with translation.override("en"):
        return [
            {"type": "value_error", "loc": ["query", name], "msg": str(message)}
            for name, messages in filters.form.errors.items()
            for message in messages
        ]


# The parameters that may be repeated (every other takes one value).
REPEATABLE = frozenset({"stars"})


def repeated_errors(data) -> list[dict]:
    """A parameter that takes one value given several times: refused, not reduced to the
    last one (in the API's 422 shape)."""
    return [
        {
            "type": "value_error",
            "loc": ["query", name],
            "msg": "Given more than once: this parameter takes one value.",
        }
        for name in sorted(data)
        if name not in REPEATABLE and len(data.getlist(name)) > 1
    ]


def checked_filters(data, *, whole=None) -> CatalogueFilter:
    """The catalogue's filters of a request's query (`data`) for the API: a 422
    (django-ninja's ValidationError) when a value names nothing or a parameter of
    `whole` (the request's whole query, by default `data`) is repeated."""
    filters = CatalogueFilter(data)
    errors = repeated_errors(data if whole is None else whole) + filter_errors(filters)
    if errors:
        raise RequestInvalid(errors)
    return filters
