"""Public verification of an OCOP certificate, by its number or the QR code printed on it.

Anyone may look: the page says whether the certificate stands today, in words a phone screen
shows at a glance, and what it certifies. It shows nothing private about the producer (its
name and kind only; no phone, e-mail, tax code or person's name but the decision's signer).
An unknown number answers 404 with a page that says so and offers the search again.
"""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from evaluations.certificates.forms import VerifyForm
from evaluations.certificates.selectors import (
    certificates_named,
    certified_place,
    find_certificate,
)
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate
from ocop.core.db_router import replica_reads
from ocop.core.public_cache import public_page

# What the page says about the certificate, in large words (in the colour of its badge).
STATUS_TEXT = {
    CertificateStatus.VALID: _("Valid"),
    CertificateStatus.EXPIRING: _("Expiring soon — still valid"),
    CertificateStatus.EXPIRED: _("Expired"),
    CertificateStatus.REVOKED: _("Revoked"),
    CertificateStatus.SUPERSEDED: _("Superseded"),
}


def not_found(request, typed: str) -> TemplateResponse:
    """404 with the search box, keeping the number typed (trimmed)."""
    response = TemplateResponse(
        request,
        "evaluations/verify/not_found.html",
        {"number": typed, "form": VerifyForm(data={"number": typed})},
        status=404,
    )
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def verify_page(certificate: Certificate) -> dict:
    """What the public page shows of a certificate of `find_certificate` (no query)."""
    status = certificate.current_status
    return {
        "certificate": certificate,
        "status": status,
        "status_text": STATUS_TEXT[status],
        "status_css": CertificateStatus.css(status),
        "place": certified_place(certificate),
        "revocation": getattr(certificate, "revocation", None)
        if status == CertificateStatus.REVOKED
        else None,
        "newer": certificate.superseded_by if status == CertificateStatus.SUPERSEDED else None,
        "search_form": VerifyForm(),
    }


@method_decorator(replica_reads, name="dispatch")
@method_decorator(public_page(revalidate=True), name="dispatch")
class VerifySearchView(View):
    """A box for the certificate's number or the product's name: a number found goes to its
    page; a name lists the certificates of the products that bear it."""

    def get(self, request):
        if "number" not in request.GET:
            return TemplateResponse(
                request, "evaluations/verify/search.html", {"form": VerifyForm()}
            )
        form = VerifyForm(data=request.GET)
        if not form.is_valid():
            response = TemplateResponse(request, "evaluations/verify/search.html", {"form": form})
            response.headers["X-Robots-Tag"] = "noindex"
            return response
        typed = form.cleaned_data["number"]
        today = timezone.localdate()
        certificate = find_certificate(typed, today)
        if certificate is not None:
            return redirect("evaluations:verify", certificate.number)
        named = certificates_named(typed, today)
        if not named:
            return not_found(request, typed)
        response = TemplateResponse(
            request,
            "evaluations/verify/matches.html",
            {"form": form, "typed": typed, "certificates": named},
        )
        response.headers["X-Robots-Tag"] = "noindex"
        return response


@method_decorator(replica_reads, name="dispatch")
@method_decorator(public_page(revalidate=True), name="dispatch")
class VerifyView(View):
    """The certificate's public page (the QR code's address)."""

    def find(self, number: str) -> Certificate | None:
        return find_certificate(number, timezone.localdate())

    def get(self, request, number: str):
        certificate = self.find(number)
        if certificate is None:
            return not_found(request, number.strip())
        if certificate.number != number:
            # Typed by hand in another case, or with spaces: the page has one address.
            return redirect("evaluations:verify", certificate.number)
        return TemplateResponse(request, "evaluations/verify/page.html", verify_page(certificate))
