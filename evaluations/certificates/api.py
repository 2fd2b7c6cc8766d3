"""The open-data API, version 1: the register of OCOP certificates, read-only and anonymous.

Served by django-ninja under /api/v1/ (docs/decisions/0012-open-data-api.md): the OpenAPI
description is at /api/v1/openapi.json; the interactive docs page is off (it loads its assets
from a CDN, which the content-security policy forbids).

A page of the list costs four queries whatever its size (the count, the page's ids on the
certificate table alone, their rows, their units), one more when words are searched; one
certificate two (docs/benchmarks.md, issue 16).
"""

from datetime import date
from typing import Literal

from django.db.models import Q
from django.utils import timezone
from ninja import Field, Query, Schema, Status
from ninja.errors import ValidationError as RequestInvalid

from evaluations.certificates.selectors import (
    certified_place,
    public_certificate,
    register_page,
)
from evaluations.certificates.validity import status_q
from evaluations.models import Certificate
from ocop.core.opendata_api import Message, OpenDataAPI
from products.enums import ProducerKind

PAGE_SIZE = 50

StatusName = Literal["valid", "expiring", "expired", "revoked", "superseded"]
KindName = Literal[tuple(ProducerKind.values)]  # type: ignore[valid-type]


# Every operation of this API (the reports' /stats/ included) is rate-limited per address,
# answers 422 for an unknown query parameter, carries an ETag and answers 304 to a matching
# If-None-Match, and its OpenAPI description says so (ocop.core.opendata_api, decision 0029).
api = OpenDataAPI(
    urls_namespace="api-v1",
    title="OCOP registry open data",
    version="1",
    description=(
        "The register of OCOP certificates (Vietnam's One Commune One Product program): "
        "read-only, no authentication. Lists are paginated by 50, newest first; the "
        "certificates' `next` links go on from the page's last certificate (`after`), "
        "as fast deep in the register as at its start. "
        "Every answer carries an ETag (send it back in If-None-Match: 304 while nothing "
        "changed); an unknown query parameter answers 422; requests are limited per client "
        'address (429 with Retry-After). Errors are JSON {"detail": ...}. '
        "Licence of the data: CC BY 4.0. Described for people at /open-data/."
    ),
    docs_url=None,
)


# --- schemas ------------------------------------------------------------------------------


class UnitOut(Schema):
    code: str = Field(description="Official GSO code.")
    name: str


class ProductOut(Schema):
    name: str
    product_set: int = Field(description="Number of the product set (Decision 148/QĐ-TTg).")


class ProducerOut(Schema):
    name: str | None = Field(description="Null where the published decision named none.")
    kind: KindName | None = Field(  # type: ignore[valid-type]
        description="Null where the published decision did not say (imported results)."
    )


class DecisionOut(Schema):
    number: str
    date: date
    issuer: str = Field(description="The People's Committee's unit (province or district).")


class CertificateOut(Schema):
    number: str
    status: StatusName = Field(description="Its standing today (by date).")
    stars: int
    issued_on: date
    valid_until: date
    product: ProductOut
    producer: ProducerOut
    province: UnitOut | None
    district: UnitOut | None = Field(description="Null where the two-tier map has no district.")
    decision: DecisionOut


class CertificatePage(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[CertificateOut]


class CatalogueFilters(Schema):
    """The filters the certificates and the products (evaluations.catalogue) share; their
    values are checked by evaluations.catalogue.filters.CatalogueFilter."""

    q: str | None = Field(
        None,
        max_length=100,
        description="Words of the product's or producer's name, in any order; case and tone "
        "marks ignored; typos forgiven when nothing matches exactly.",
    )
    stars: list[int] | None = Field(None, description="3, 4 or 5; repeat for several.")
    min_stars: int | None = Field(None, description="At least this many stars (3 to 5).")
    province: str | None = Field(None, description="A province's code, of either map.")
    district: str | None = Field(None, description="A district's code (the old map).")
    commune: str | None = Field(None, description="A commune's code, of either map.")
    sector: int | None = Field(None, description="Sector number (1 to 6), Decision 148.")
    product_set: int | None = Field(None, description="Product set number (1 to 26).")
    year: int | None = Field(None, description="Year of the recognition decision.")
    sold_in: str | None = Field(
        None,
        description="A province's code (either map): products with a shop, an OCOP point of "
        "sale or a fair there.",
    )


class ListFilters(CatalogueFilters):
    status: StatusName | None = Field(None, description="Only certificates standing so today.")
    page: int = Field(1, ge=1)
    after: str | None = Field(
        None,
        max_length=40,
        description="A certificate's number: the page that follows it in the list's order "
        "(keyset pagination: as fast on the last page as on the first; the `next` links "
        "use it). Not with `page`.",
    )


# --- reads --------------------------------------------------------------------------------


def _unit(unit) -> dict | None:
    return {"code": unit.code, "name": unit.name} if unit is not None else None


def certificate_data(certificate: Certificate) -> dict:
    """A certificate of `public_certificates` as the API shows it (no query)."""
    place = certified_place(certificate)
    decision = certificate.decision
    return {
        "number": certificate.number,
        "status": certificate.current_status,
        "stars": certificate.stars,
        "issued_on": certificate.issued_on,
        "valid_until": certificate.valid_until,
        "product": {
            "name": certificate.product_name,
            "product_set": certificate.product_set.number,
        },
        "producer": {
            "name": certificate.producer_name if certificate.producer.name_published else None,
            "kind": certificate.producer_kind or None,
        },
        "province": _unit(place.province),
        "district": _unit(place.district),
        "decision": {
            "number": decision.number,
            "date": decision.date,
            "issuer": decision.issuer_name or decision.issuer.name,
        },
    }


def _page_url(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@api.get(
    "/certificates/",
    response={200: CertificatePage, 404: Message},
    url_name="certificate_list",
    summary="List certificates",
)
def certificate_list(request, filters: Query[ListFilters]):
    """Every issued certificate, newest first (by date of issue, then number), 50 a page;
    `status` keeps those standing so today; the catalogue's filters and search (a value
    naming nothing answers 422); a page past the last answers 404."""
    from evaluations.catalogue.filters import checked_filters
    from evaluations.catalogue.selectors import search

    query = request.GET.copy()
    for own in ("status", "page", "after"):
        query.pop(own, None)
    chosen = checked_filters(query, whole=request.GET)
    cursor = _cursor(request, filters)
    today = timezone.localdate()
    # Chosen on the certificate table alone; only the page's rows are read with what they
    # show (evaluations.certificates.selectors.register_page).
    certificates = chosen.apply(Certificate.objects.all(), leave_out=("status", "sort"))
    certificates = search(certificates, chosen.text).apply(certificates)
    if filters.status:
        certificates = certificates.filter(status_q(filters.status, today))
    count = certificates.count()
    if cursor is not None:
        # After a certificate in the register's order (newest first, then by number): read
        # from the index where it stands, whatever the depth, instead of skipping rows.
        rows = register_page(certificates.filter(_after_q(cursor)), today, 0, PAGE_SIZE + 1)
        more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
        return {
            "count": count,
            "next": _after_url(request, rows[-1].number) if more else None,
            "previous": None,
            "results": [certificate_data(c) for c in rows],
        }
    last = max(1, -(-count // PAGE_SIZE))
    if filters.page > last:
        message = f"Page {filters.page} does not exist: the last page is {last}."
        return Status(404, {"detail": message})
    rows = register_page(certificates, today, (filters.page - 1) * PAGE_SIZE, PAGE_SIZE)
    return {
        "count": count,
        # Onward by keyset from the page's last certificate (cheap at any depth).
        "next": _after_url(request, rows[-1].number) if filters.page < last else None,
        "previous": _page_url(request, filters.page - 1) if filters.page > 1 else None,
        "results": [certificate_data(c) for c in rows],
    }


def _cursor(request, filters: "ListFilters") -> Certificate | None:
    """The certificate `after` names (its date of issue and number), or None; a 422 when it
    names none, or comes with `page`."""
    if filters.after is None:
        return None
    errors = []
    if "page" in request.GET:
        errors.append("Use either page or after, not both.")
    cursor = Certificate.objects.filter(number=filters.after).only("issued_on", "number").first()
    if cursor is None:
        errors.append(f"No certificate has the number {filters.after}.")
    if errors:
        raise RequestInvalid(
            [{"type": "value_error", "loc": ["query", "after"], "msg": msg} for msg in errors]
        )
    return cursor


def _after_q(cursor: Certificate) -> Q:
    """Certificates after `cursor` in the register's order (issued_on descending, number).
    The redundant first condition lets PostgreSQL start its index scan of the register's
    order at the cursor's day instead of filtering from the top."""
    return Q(issued_on__lte=cursor.issued_on) & (
        Q(issued_on__lt=cursor.issued_on) | Q(issued_on=cursor.issued_on, number__gt=cursor.number)
    )


def _after_url(request, number: str) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["after"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@api.get(
    "/certificates/{number}/",
    response={200: CertificateOut, 404: Message},
    url_name="certificate_detail",
    summary="One certificate",
)
def certificate_detail(request, number: str):
    """The certificate with this number (exactly as printed)."""
    certificate = public_certificate(number, timezone.localdate())
    if certificate is None:
        return Status(404, {"detail": f"No certificate has the number {number}."})
    return certificate_data(certificate)
