"""Reads of the public catalogue: the recognised products, found as buyers type, with the
counts beside each filter; a product's and a producer's public page.

An entry of the catalogue is a product's latest certificate (the one no newer certificate
superseded), with what it certified frozen (decision 0013): the name, the producer, the
place, the stars, the decision. Its standing today ("valid" covers "expiring") comes from
`with_status`. Nothing private is read: no member's score, no document, no phone but those
a producer chose to publish with its sales points (products.selectors.where_to_buy).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from operator import add, and_

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.db.models.lookups import Contains, GreaterThanOrEqual, StartsWith
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext

from evaluations.catalogue.filters import CatalogueFilter, Sort, Validity
from evaluations.certificates.selectors import public_certificates
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate
from ocop.core.enums import UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit, UnitSuccession
from ocop.core.public_cache import kept
from ocop.core.search import WordSimilarity, folded, search_terms
from ocop.core.selectors import province_of
from products.models import Producer, Product, ProductPhoto, ProductSet
from products.selectors import sold_in_counts

PAGE_SIZE = 24
# How close a word typed must come to a word of a name to be taken for it when nothing
# matches exactly (pg_trgm's own default for `%>`): "muonng" finds "muong" (0.71),
# "cam" does not find "cao" (0.5).
FUZZY_MIN = 0.6


def entries(today: date) -> QuerySet[Certificate]:
    """Every product with a certificate, as its latest certificate (annotated
    `current_status`), with what the catalogue shows of it and its photos."""
    return (
        public_certificates(today)
        .filter(latest=True)
        .exclude(status=CertificateStatus.SUPERSEDED)
        .select_related("product", "producer", "product_set__group__sector")
        .prefetch_related(
            Prefetch("product__photos", queryset=ProductPhoto.objects.order_by("order", "pk"))
        )
    )


# --- search -------------------------------------------------------------------------------


def _exact_q(terms: list[str]) -> Q:
    return reduce(and_, (Q(search_text__contains=term) for term in terms))


def _fuzzy_q(terms: list[str]) -> Q:
    return reduce(
        and_,
        (
            Q(search_text__contains=term)
            | Q(GreaterThanOrEqual(WordSimilarity(Value(term), F("search_text")), FUZZY_MIN))
            for term in terms
        ),
    )


def _padded(expression):
    return Concat(Value(" "), expression, Value(" "), output_field=CharField())


def _relevance(terms: list[str]):
    """Higher for a whole word of the product's name ("ga" is "Gà", not the start of
    "Gạo"), then a part of its name (most of all its start), then the producer's; and
    for closer words when they were matched forgiving typos."""
    name = folded("product_name")
    per_term = [
        Case(
            When(Contains(_padded(name), f" {term} "), then=Value(5.0)),
            When(Contains(name, term), then=Value(3.0)),
            When(Contains(_padded(F("search_text")), f" {term} "), then=Value(2.0)),
            When(search_text__contains=term, then=Value(1.0)),
            default=WordSimilarity(Value(term), F("search_text")),
        )
        for term in terms
    ]
    start = Case(When(StartsWith(name, terms[0]), then=Value(2.0)), default=Value(0.0))
    return reduce(add, per_term, start)


@dataclass(frozen=True)
class Search:
    """What the words typed select: `q`, and whether they matched only by forgiving typos."""

    terms: list[str]
    q: Q
    forgiving: bool = False

    def apply(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(self.q) if self.terms else queryset


def search(queryset: QuerySet[Certificate], text: str) -> Search:
    """Every word typed, in any order, in the product's or the producer's name, ignoring
    case and tone marks; when that finds nothing among `queryset` (one query), every word
    in them or close to one of their words (a typo: "tuong ot muog")."""
    terms = search_terms(text)
    if not terms:
        return Search(terms, Q())
    exact = _exact_q(terms)
    if queryset.filter(exact).exists():
        return Search(terms, exact)
    return Search(terms, _fuzzy_q(terms), forgiving=True)


def ordered(queryset: QuerySet[Certificate], sort: str, terms: list[str]) -> QuerySet:
    if sort == Sort.RELEVANCE or (not sort and terms):
        if terms:
            return queryset.annotate(relevance=_relevance(terms)).order_by(
                "-relevance", "-stars", "product_name", "pk"
            )
        sort = Sort.STARS
    if sort == Sort.NAME:
        return queryset.order_by("product_name", "pk")
    if sort == Sort.NEWEST:
        return queryset.order_by("-issued_on", "product_name", "pk")
    return queryset.order_by("-stars", "product_name", "pk")


# --- the list with its counts -------------------------------------------------------------


@dataclass
class Option:
    value: str
    label: str
    count: int
    chosen: bool = False


@dataclass
class Facets:
    stars: list[Option] = field(default_factory=list)
    status: list[Option] = field(default_factory=list)
    provinces: list[Option] = field(default_factory=list)
    communes: list[Option] = field(default_factory=list)
    sectors: list[Option] = field(default_factory=list)
    product_sets: list[Option] = field(default_factory=list)
    years: list[Option] = field(default_factory=list)
    sold_in: list[Option] = field(default_factory=list)


@dataclass
class Catalogue:
    """The entries chosen (ordered, not yet paged), how the words matched, and the counts."""

    entries: QuerySet[Certificate]
    search: Search
    facets: Facets


def paged(chosen: QuerySet[Certificate], size: int) -> Paginator:
    """Pages of `chosen` (the catalogue's ordered entries) that count and slice the
    certificate table alone: a page's ids are chosen in the list's order without reading
    the joined rows of every entry (sorting ~12,000 wide rows to keep 24 took half a second
    at national size); `rows` then reads the page's entries with what they show."""
    return Paginator(chosen.values_list("pk", flat=True), size)


def rows(page: Page, today: date) -> Page:
    """`page` (of `paged`) with its entries read, in its order, with what the catalogue
    shows of them (two queries: the rows, their photos)."""
    ids = list(page.object_list)
    found = entries(today).in_bulk(ids)
    # An entry superseded between the two reads (a decision committing) is left out.
    page.object_list = [found[pk] for pk in ids if pk in found]
    return page


def catalogue(filters: CatalogueFilter, today: date, *, with_facets: bool = True) -> Catalogue:
    """The catalogue under `filters`: at most two queries to decide the search (when words
    were typed), then the entries; with the facets, one query each (and three for the
    reference lists), whatever the number of entries."""
    filters.today = today
    base = entries(today)
    found = search(filters.apply(base), filters.text)
    chosen = ordered(found.apply(filters.apply(base)), filters.sort_by, found.terms)
    facets = Facets()
    if with_facets:
        # The same for every page and order of the same filters: kept until the register
        # changes (docs/benchmarks.md: most of a list page's cost at national size).
        data = filters.data
        pairs = data.lists() if hasattr(data, "lists") else data.items()
        shown = tuple(sorted((name, repr(v)) for name, v in pairs if name not in ("page", "sort")))
        facets = kept(
            "catalogue-facets",
            (translation.get_language(), shown),
            lambda: _facets(filters, found, base, today),
        )
    return Catalogue(chosen, found, facets)


def _counts(queryset: QuerySet, *fields: str) -> list[dict]:
    return list(queryset.order_by().values(*fields).annotate(n=Count("pk")))


def _facets(filters: CatalogueFilter, found: Search, base: QuerySet, today: date) -> Facets:
    chosen = filters.cleaned

    def under_others(facet: str) -> QuerySet:
        return found.apply(filters.apply(base, leave_out=CatalogueFilter.FACETS[facet]))

    facets = Facets()
    stars = {row["stars"]: row["n"] for row in _counts(under_others("stars"), "stars")}
    facets.stars = [
        Option(str(n), f"{n}★", stars.get(n, 0), n in (chosen.get("stars") or []))
        for n in (3, 4, 5)
    ]

    by_status = Counter()
    for row in _counts(under_others("status"), "current_status"):
        for validity, statuses in Validity.STATUSES.items():
            if row["current_status"] in statuses:
                by_status[validity] += row["n"]
    by_status[Validity.ALL] = sum(by_status.values())
    status = chosen.get("status") or Validity.VALID
    facets.status = [
        Option(value, str(label), by_status[value], value == status)
        for value, label in Validity.CHOICES
    ]

    provinces = list(AdministrativeUnit.objects.provinces(UnitScheme.TWO_TIER).order_by("name"))
    facets.provinces = _province_options(
        under_others("province"), chosen.get("province"), provinces
    )
    sold = sold_in_counts(
        Product.objects.filter(pk__in=under_others("sold_in").values("product_id")), today
    )
    facets.sold_in = _with_old_choice(
        [
            Option(u.code, u.name, sold.get(u.pk, 0), u.code == chosen.get("sold_in"))
            for u in provinces
        ],
        chosen.get("sold_in"),
    )
    if chosen.get("province"):
        facets.communes = _commune_options(under_others("commune"), chosen.get("commune"))

    sets = {
        row["product_set_id"]: row["n"]
        for row in _counts(under_others("product_set"), "product_set_id")
    }
    sectors: Counter = Counter()
    for product_set in ProductSet.objects.select_related("group__sector").order_by("number"):
        count = sets.get(product_set.pk, 0)
        sectors[product_set.group.sector] += count
        facets.product_sets.append(
            Option(
                str(product_set.number),
                str(product_set),
                count,
                product_set.number == chosen.get("product_set"),
            )
        )
    facets.sectors = [
        Option(str(s.number), str(s), n, s.number == chosen.get("sector"))
        for s, n in sorted(sectors.items(), key=lambda item: item[0].number)
    ]

    years = {row["year"]: row["n"] for row in _counts(under_others("year"), "year")}
    facets.years = [
        Option(str(y), str(y), n, y == chosen.get("year"))
        for y, n in sorted(years.items(), reverse=True)
    ]
    return facets


def _province_options(
    queryset: QuerySet, chosen_code: str | None, provinces: list[AdministrativeUnit]
) -> list[Option]:
    """Today's `provinces` with the entries certified in them or in the old provinces merged
    into them (two queries)."""
    rows = queryset.order_by().values(
        level=F("producer_address_unit__level"),
        own=F("producer_address_unit_id"),
        parent=F("producer_address_unit__parent_id"),
        grand=F("producer_address_unit__parent__parent_id"),
    )
    per_province: Counter = Counter()
    for row in rows.annotate(n=Count("pk")):
        if row["level"] == UnitLevel.PROVINCE:
            province = row["own"]
        else:
            province = row["grand"] or row["parent"]
        per_province[province] += row["n"]
    successor = dict(
        UnitSuccession.objects.filter(old__level=UnitLevel.PROVINCE).values_list("old_id", "new_id")
    )
    today: Counter = Counter()
    for province, n in per_province.items():
        today[successor.get(province, province)] += n
    options = [
        Option(unit.code, unit.name, today.get(unit.pk, 0), unit.code == chosen_code)
        for unit in provinces
    ]
    return _with_old_choice(options, chosen_code, per_province)


def _with_old_choice(options: list[Option], chosen_code, counts=None) -> list[Option]:
    """`options` (today's provinces) and, first, the province of the old map chosen by its
    code (a link from a product certified there), so that the form keeps it (one query,
    only then)."""
    if not chosen_code or any(option.chosen for option in options):
        return options
    old = AdministrativeUnit.objects.filter(
        code=chosen_code, level=UnitLevel.PROVINCE, valid_until__isnull=False
    ).first()
    if old is None:
        return options
    label = gettext("%(name)s (until 06/2025)") % {"name": old.name}
    count = (counts or {}).get(old.pk, 0)
    return [Option(old.code, label, count, True), *options]


def _commune_options(queryset: QuerySet, chosen_code: str | None) -> list[Option]:
    """The communes (of either map) where the province's entries were certified."""
    rows = (
        queryset.filter(producer_address_unit__level=UnitLevel.COMMUNE)
        .order_by()
        .values(
            code=F("producer_address_unit__code"),
            name=F("producer_address_unit__name"),
            until=F("producer_address_unit__valid_until"),
            parent=F("producer_address_unit__parent__name"),
        )
        .annotate(n=Count("pk"))
    )
    options = [
        Option(
            row["code"],
            f"{row['name']} ({row['parent']}, ≤ {row['until']:%m/%Y})"
            if row["until"]
            else row["name"],
            row["n"],
            row["code"] == chosen_code,
        )
        for row in rows
    ]
    return sorted(options, key=lambda option: (option.label.startswith("("), option.label))


# --- one product, one producer ------------------------------------------------------------


def catalogue_product(product_id: int, today: date) -> Certificate:
    """The latest certificate of the product, or 404 when it has none (a product never
    recognised is not public)."""
    return get_object_or_404(entries(today).select_related("revocation"), product_id=product_id)


def catalogue_producer(producer_id: int) -> Producer:
    """A producer with a product in the catalogue whose name was published, or 404."""
    return get_object_or_404(
        Producer.objects.select_related("address_unit__parent__parent").filter(
            name_published=True,
            pk__in=Certificate.objects.values("producer_id"),
        ),
        pk=producer_id,
    )


def standing_products(producer: Producer, today: date) -> QuerySet[Product]:
    """The producer's products whose latest certificate stands today: the only ones its
    public page names where it sells (a product never recognised, or no longer, is not
    promoted there)."""
    standing = entries(today).filter(
        producer=producer, current_status__in=Validity.STATUSES[Validity.VALID]
    )
    return Product.objects.filter(pk__in=standing.values("product_id"))


def producer_entries(producer: Producer, today: date) -> list[Certificate]:
    """The producer's products in the catalogue, valid ones first."""
    return list(
        entries(today)
        .filter(producer=producer)
        .order_by(
            Case(
                When(
                    current_status__in=Validity.STATUSES[Validity.VALID],
                    then=Value(0),
                ),
                default=Value(1),
            ),
            "-stars",
            "product_name",
        )
    )


# --- places on today's map ----------------------------------------------------------------


@dataclass(frozen=True)
class TodayPlace:
    """Where a certified producer lies on today's map: its province, and its commune when
    the certified one went whole into one (a split commune has no single one: None)."""

    province: AdministrativeUnit | None
    commune: AdministrativeUnit | None


def with_places_today(rows: list[Certificate]) -> list[Certificate]:
    """`rows` with `today` (a TodayPlace) set on each, from the units loaded with them and
    one query for the 2025 conversion table of those certified on the old map."""
    old_ids = set()
    for row in rows:
        unit = row.producer_address_unit
        if unit.valid_until is not None:
            old_ids.add(unit.pk)
            province = province_of(unit)
            if province is not None:
                old_ids.add(province.pk)
    successors: dict[int, list[AdministrativeUnit]] = {}
    if old_ids:
        links = UnitSuccession.objects.filter(old_id__in=old_ids).select_related("new__parent")
        for link in links.order_by("new__code"):
            successors.setdefault(link.old_id, []).append(link.new)
    for row in rows:
        unit = row.producer_address_unit
        if unit.valid_until is None:
            commune = unit if unit.level == UnitLevel.COMMUNE else None
            row.today = TodayPlace(province_of(unit), commune)
            continue
        after = successors.get(unit.pk, [])
        commune = after[0] if unit.level == UnitLevel.COMMUNE and len(after) == 1 else None
        if commune is not None:
            province = commune.parent
        else:
            old_province = province_of(unit)
            went_to = successors.get(old_province.pk, []) if old_province else []
            province = went_to[0] if len(went_to) == 1 else None
        row.today = TodayPlace(province, commune)
    return rows
