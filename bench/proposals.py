"""The fixes docs/benchmarks.md proposes, as bench-only copies of the endpoints, so that the
benchmark can measure them next to the real ones (`bench/public_api.py --proposals`).

Nothing here changes the project: these views answer the same JSON (same django-ninja
schemas and `certificate_data`) and render the same templates as the real ones, and only
read differently:

1. A page of the register is chosen on the certificate table alone (its ids, ordered by
   date of issue and number), then only those 50 certificates are read with what they show:
   the database no longer joins and sorts all 20,000 to keep 50. With an index on
   (issued_on DESC, number) the first step is an index-only scan.
2. The `status` filter is written as conditions on the stored status and the validity date
   (what `with_status` computes), which an index on (status, valid_until) serves, instead of
   a comparison with the CASE expression the planner can neither estimate nor index.
3. Reading one certificate: no ORDER BY for a unique number, and the producer's commune →
   district → province read by a second small query instead of three more self-joins: the
   11-relation join took PostgreSQL ~5 ms to plan on every request (psycopg2 never reuses a
   plan), longer than running it.
4. The search by number (a found number only redirects): read the number alone; the
   case-insensitive fallback served by an index on UPPER(number) instead of a scan.

`INDEXES` are the indexes the proposal adds (a migration in the real fix); the benchmark
creates them in its throwaway database before measuring these endpoints.
"""

from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.views.generic import View
from ninja import NinjaAPI, Query, Status

from evaluations.certificates.api import (
    PAGE_SIZE,
    CertificateOut,
    CertificatePage,
    ListFilters,
    Message,
    _page_url,
    certificate_data,
)
from evaluations.certificates.forms import VerifyForm
from evaluations.certificates.selectors import NUMBER_MAX_LENGTH
from evaluations.certificates.validity import latest_expiring_until, with_status
from evaluations.certificates.views import verify
from evaluations.certificates.views.verify import not_found
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate
from ocop.core.models import AdministrativeUnit
from ocop.core.opendata_api import ReadableJSONRenderer

INDEXES = [
    "CREATE INDEX bench_certificate_register_order "
    "ON evaluations_certificate (issued_on DESC, number)",
    "CREATE INDEX bench_certificate_status_until ON evaluations_certificate (status, valid_until)",
    "CREATE INDEX bench_certificate_number_upper ON evaluations_certificate (UPPER(number::text))",
]


def status_q(status: str, today) -> Q:
    """`current_status == status` as conditions on stored columns (as `with_status`)."""
    horizon = latest_expiring_until(today)
    valid = Q(status=CertificateStatus.VALID)
    return {
        CertificateStatus.VALID: valid & Q(valid_until__gt=horizon),
        CertificateStatus.EXPIRING: valid & Q(valid_until__gte=today, valid_until__lte=horizon),
        CertificateStatus.EXPIRED: Q(status=CertificateStatus.EXPIRED)
        | (valid & Q(valid_until__lt=today)),
    }.get(status, Q(status=status))


def _with_units(certificates: list[Certificate]) -> list[Certificate]:
    """Attach each producer's commune with its parents, read in one query."""
    ids = {c.producer_address_unit_id for c in certificates}
    units = AdministrativeUnit.objects.select_related("parent__parent").in_bulk(ids)
    for c in certificates:
        c.producer_address_unit = units[c.producer_address_unit_id]
    return certificates


def _one(queryset):
    """The first row, or None, without the ORDER BY pk that `first()` adds."""
    return next(iter(queryset[:1]), None)


def _shown(today):
    """What a certificate's page and the API show, without the unit chain."""
    return with_status(
        Certificate.objects.select_related(
            "product_set", "producer", "decision__issuer"
        ).order_by(),
        today,
    )


api = NinjaAPI(
    urls_namespace="bench-proposed",
    docs_url=None,
    openapi_url=None,
    renderer=ReadableJSONRenderer(),
)


@api.get("/certificates/", response={200: CertificatePage, 404: Message})
def certificate_list(request, filters: Query[ListFilters]):
    today = timezone.localdate()
    chosen = Certificate.objects.all()
    if filters.status:
        chosen = chosen.filter(status_q(filters.status, today))
    count = chosen.count()
    last = max(1, -(-count // PAGE_SIZE))
    if filters.page > last:
        return Status(404, {"detail": f"Page {filters.page} does not exist: the last is {last}."})
    start = (filters.page - 1) * PAGE_SIZE
    ids = list(
        chosen.order_by("-issued_on", "number").values_list("pk", flat=True)[
            start : start + PAGE_SIZE
        ]
    )
    rows = _shown(today).in_bulk(ids)
    certificates = _with_units([rows[pk] for pk in ids])
    return {
        "count": count,
        "next": _page_url(request, filters.page + 1) if filters.page < last else None,
        "previous": _page_url(request, filters.page - 1) if filters.page > 1 else None,
        "results": [certificate_data(c) for c in certificates],
    }


@api.get("/certificates/{number}/", response={200: CertificateOut, 404: Message})
def certificate_detail(request, number: str):
    certificate = _one(_shown(timezone.localdate()).filter(number=number))
    if certificate is None:
        return Status(404, {"detail": f"No certificate has the number {number}."})
    return certificate_data(_with_units([certificate])[0])


def find_certificate(number: str, today) -> Certificate | None:
    number = number.strip()
    if not number or len(number) > NUMBER_MAX_LENGTH:
        return None
    shown = _shown(today).select_related("revocation", "superseded_by")
    certificate = _one(shown.filter(number=number)) or _one(shown.filter(number__iexact=number))
    return _with_units([certificate])[0] if certificate else None


class VerifyView(verify.VerifyView):
    """evaluations.certificates.views.verify.VerifyView, reading as proposed."""

    def find(self, number: str) -> Certificate | None:
        return find_certificate(number, timezone.localdate())


class VerifySearchView(View):
    """evaluations.certificates.views.verify.VerifySearchView, reading the number alone."""

    def get(self, request):
        form = VerifyForm(data=request.GET)
        if not form.is_valid():
            return TemplateResponse(request, "evaluations/verify/search.html", {"form": form})
        typed = form.cleaned_data["number"].strip()
        numbers = Certificate.objects.values_list("number", flat=True).order_by()
        number = _one(numbers.filter(number=typed)) or _one(numbers.filter(number__iexact=typed))
        if number is None:
            return not_found(request, typed)
        return redirect("evaluations:verify", number)


urlpatterns = [
    path("api/v1/", api.urls),
    path("verify/", VerifySearchView.as_view()),
    path("verify/<str:number>/", VerifyView.as_view()),
]
