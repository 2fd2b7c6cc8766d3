"""The open data described for people (/open-data/): what the register holds, its licence,
the API's endpoints with parameters and examples, pages, statuses, the rate limit and
conditional GET, and a link to the OpenAPI description (decision 0029). Public, translated.

The products' endpoint and downloads (issue 15) are described as the issue specifies them;
`DOWNLOADS` and the template's marked places are where their links go once their URLs exist.
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from django_ratelimit.core import _split_rate

from evaluations.certificates import api
from evaluations.enums import CertificateStatus
from ocop.core.public_cache import public_page

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

# A certificate as the API shows it (checked against the API's schema by the tests).
EXAMPLE_CERTIFICATE = {
    "number": "OCOP-17-2025-0012",
    "status": "valid",
    "stars": 4,
    "issued_on": "2025-09-15",
    "valid_until": "2028-09-15",
    "product": {"name": "Cam Cao Phong", "product_set": 1},
    "producer": {"name": "Hợp tác xã Cam Cao Phong", "kind": "cooperative"},
    "province": {"code": "17", "name": "Tỉnh Hoà Bình"},
    "district": {"code": "152", "name": "Huyện Cao Phong"},
    "decision": {"number": "2365/QĐ-UBND", "date": "2025-09-15", "issuer": "Tỉnh Hoà Bình"},
}

# A product as /api/v1/products/ shows it (checked against the API's schema by the tests).
EXAMPLE_PRODUCT = {
    "id": 1024,
    "name": "Cam Cao Phong",
    "url": "https://ocop.example.vn/catalogue/products/1024/",
    "product_set": {"number": 4, "name": "Quả tươi"},
    "producer": {"name": "Hợp tác xã Cam Cao Phong", "kind": "cooperative"},
    "province": {"code": "25", "name": "Tỉnh Phú Thọ"},
    "district": None,
    "commune": {"code": "05089", "name": "Xã Cao Phong"},
    "stars": 4,
    "score": "78.50",
    "certificate": {
        "number": "OCOP-17-2025-0012",
        "issued_on": "2025-09-15",
        "valid_until": "2028-09-15",
        "status": "valid",
    },
    "decision": {"number": "2365/QĐ-UBND", "date": "2025-09-15", "issuer": "Tỉnh Hoà Bình"},
}

# What each status means (the API's codes, evaluations.certificates.validity).
STATUS_MEANINGS = {
    CertificateStatus.VALID: _("valid today"),
    CertificateStatus.EXPIRING: _("still valid today, in its last months"),
    CertificateStatus.EXPIRED: _("its validity has ended"),
    CertificateStatus.REVOKED: _("withdrawn by a decision of the People's Committee"),
    CertificateStatus.SUPERSEDED: _("replaced by a newer certificate for the same product"),
}

# The HTTP statuses every operation of the API may answer, besides 200.
HTTP_STATUSES = [
    ("304", _("Not modified: the copy you hold (its ETag) is current; no body.")),
    ("404", _("No such certificate, or a page past the last.")),
    ("422", _("An invalid value or an unknown parameter: each one is listed in detail.")),
    ("429", _("Too many requests from your address: wait the seconds in Retry-After.")),
]

# The downloads of the register (issue 15): (format, URL name) once their views exist; the
# template lists them as links, and describes them by their paths meanwhile.
DOWNLOADS: list[tuple[str, str]] = [
    ("CSV", "evaluations:open_data_products_csv"),
    ("Excel (.xlsx)", "evaluations:open_data_products_xlsx"),
]

PERIODS = {
    1: _("a second"),
    60: _("a minute"),
    3600: _("an hour"),
    86400: _("a day"),
}


def rate_text(rate: str | None) -> str:
    """`OCOP_OPEN_DATA_RATE` in words: "120 requests a minute"."""
    if not rate:
        return str(_("no limit"))
    count, seconds = _split_rate(rate)
    period = PERIODS.get(seconds)
    if period is None:
        period = ngettext("every %(seconds)s second", "every %(seconds)s seconds", seconds) % {
            "seconds": seconds
        }
    return ngettext("%(count)s request %(period)s", "%(count)s requests %(period)s", count) % {
        "count": count,
        "period": period,
    }


@method_decorator(public_page, name="dispatch")
class OpenDataView(TemplateView):
    template_name = "evaluations/open_data/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        base = self.request.build_absolute_uri("/").rstrip("/")
        list_url = base + reverse("api-v1:certificate_list")
        detail_url = base + reverse(
            "api-v1:certificate_detail", args=[EXAMPLE_CERTIFICATE["number"]]
        )
        context.update(
            base=base,
            openapi_url=reverse("api-v1:openapi-json"),
            list_url=list_url,
            detail_url=detail_url,
            page_size=api.PAGE_SIZE,
            licence_name=LICENCE_NAME,
            licence_url=LICENCE_URL,
            statuses=[(status.value, STATUS_MEANINGS[status]) for status in CertificateStatus],
            http_statuses=HTTP_STATUSES,
            downloads=[(label, reverse(name)) for label, name in DOWNLOADS],
            rate=rate_text(settings.OCOP_OPEN_DATA_RATE),
            max_age=settings.OCOP_OPEN_DATA_MAX_AGE,
            expiring_months=settings.OCOP_CERTIFICATE_EXPIRING_MONTHS,
            example_page=json.dumps(
                {
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [EXAMPLE_CERTIFICATE],
                },
                ensure_ascii=False,
                indent=2,
            ),
            example_products=json.dumps(
                {"count": 1, "next": None, "previous": None, "results": [EXAMPLE_PRODUCT]},
                ensure_ascii=False,
                indent=2,
            ),
        )
        return context
