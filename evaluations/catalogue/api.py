"""The catalogue as open data: /api/v1/products/ (one entry a product, its latest
certificate), with the catalogue's own filters and search (evaluations.catalogue.filters):
a value that names nothing answers 422, never an ignored parameter.

Places are on today's map, as the issue asks (null where unknown or abolished): the
province and commune the certified commune went into in 2025; `district` null (abolished);
`commune` null where an imported result named only a district or a province, or where the
certified commune was split. The filters take codes of either map.
"""

from datetime import date
from typing import Literal

from django.core.paginator import EmptyPage
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Schema, Status

from evaluations.catalogue.filters import Sort, Validity, checked_filters
from evaluations.catalogue.selectors import catalogue, paged, rows, with_places_today
from evaluations.certificates.api import (
    PAGE_SIZE,
    CatalogueFilters,
    Message,
    ProducerOut,
    UnitOut,
    _page_url,
    _unit,
    api,
)
from evaluations.certificates.selectors import certified_place
from evaluations.models import Certificate

ValidityName = Literal[tuple(value for value, _label in Validity.CHOICES)]  # type: ignore[valid-type]
SortName = Literal[tuple(value for value, _label in Sort.CHOICES)]  # type: ignore[valid-type]
StatusName = Literal["valid", "expiring", "expired", "revoked"]


class ProductFilters(CatalogueFilters):
    status: ValidityName = Field(  # type: ignore[valid-type]
        Validity.VALID, description="The latest certificate's standing today."
    )
    sort: SortName | None = Field(  # type: ignore[valid-type]
        None, description="Default: relevance when `q` is given, else stars."
    )
    page: int = Field(1, ge=1)


class ProductSetOut(Schema):
    number: int
    name: str


class CertificateRef(Schema):
    number: str
    issued_on: date
    valid_until: date
    status: StatusName = Field(description="Its standing today (by date).")


class DecisionRef(Schema):
    number: str
    date: date
    issuer: str


class ListedProductOut(Schema):
    id: int
    name: str = Field(description="As certified.")
    url: str = Field(description="The product's public page.")
    product_set: ProductSetOut
    producer: ProducerOut
    province: UnitOut | None = Field(
        description="Today's province of the producer's commune (the provinces merged in "
        "2025 went into today's); null where unknown."
    )
    district: UnitOut | None = Field(
        description="Null: the districts were abolished on 01/07/2025 (filters still take "
        "their codes)."
    )
    commune: UnitOut | None = Field(
        description="Today's commune; null where unknown (imported results) or where the "
        "certified commune was split among several."
    )
    stars: int
    score: str | None = Field(description="Two decimals; null where not published.")
    certificate: CertificateRef
    decision: DecisionRef


class ListedProductPage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[ListedProductOut]


def product_data(request, entry: Certificate) -> dict:
    """An entry of the catalogue as the API and the downloads show it (no query), its
    places on today's map (`with_places_today`): null where unknown or abolished."""
    district = certified_place(entry).district
    if district is not None and district.valid_until is not None:
        district = None  # the districts were abolished on 01/07/2025
    decision = entry.decision
    return {
        "id": entry.product_id,
        "name": entry.product_name,
        "url": request.build_absolute_uri(
            reverse("evaluations:catalogue_product", args=[entry.product_id])
        ),
        "product_set": {"number": entry.product_set.number, "name": entry.product_set.name},
        "producer": {
            "name": entry.producer_name if entry.producer.name_published else None,
            "kind": entry.producer_kind or None,
        },
        "province": _unit(entry.today.province),
        "district": _unit(district),
        "commune": _unit(entry.today.commune),
        "stars": entry.stars,
        "score": f"{entry.score:.2f}" if entry.score is not None else None,
        "certificate": {
            "number": entry.number,
            "issued_on": entry.issued_on,
            "valid_until": entry.valid_until,
            "status": entry.current_status,
        },
        "decision": {
            "number": decision.number,
            "date": decision.date,
            "issuer": decision.issuer_name or decision.issuer.name,
        },
    }


@api.get(
    "/products/",
    response={200: ListedProductPage, 404: Message},
    url_name="product_list",
    summary="List recognised products",
    tags=["catalogue"],
)
def product_list(request, filters: Query[ProductFilters]):
    """The catalogue: each product with its latest certificate, valid ones by default,
    ranked by relevance when `q` is given, else by stars then name; 50 a page."""
    today = timezone.localdate()
    found = catalogue(checked_filters(request.GET), today, with_facets=False)
    paginator = paged(found.entries, PAGE_SIZE)
    try:
        page = rows(paginator.page(filters.page), today)
    except EmptyPage:
        message = f"Page {filters.page} does not exist: the last page is {paginator.num_pages}."
        return Status(404, {"detail": message})
    return {
        "count": paginator.count,
        "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
        "previous": (
            _page_url(request, page.previous_page_number()) if page.has_previous() else None
        ),
        "results": [
            product_data(request, entry) for entry in with_places_today(list(page.object_list))
        ],
    }
