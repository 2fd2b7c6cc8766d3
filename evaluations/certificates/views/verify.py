"""Public verification of an OCOP certificate, by its number or the QR code printed on it.

Anyone may look: the page says whether the certificate stands today, in words a phone screen
shows at a glance, and what it certifies. It shows nothing private about the producer (its
name and kind only; no phone, e-mail, tax code or person's name but the decision's signer).
An unknown number answers 404 with a page that says so and offers the search again.
"""

from dataclasses import dataclass

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from evaluations.certificates.selectors import public_certificates
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate
from ocop.core.enums import UnitLevel
from ocop.core.models import AdministrativeUnit
from ocop.core.selectors import province_of, unit_at_level

NUMBER_MAX_LENGTH = Certificate._meta.get_field("number").max_length

# What the page says about the certificate, in large words, and the colour it says it in.
STATUS_TEXT = {
    CertificateStatus.VALID: _("Valid"),
    CertificateStatus.EXPIRING: _("Expiring soon — still valid"),
    CertificateStatus.EXPIRED: _("Expired"),
    CertificateStatus.REVOKED: _("Revoked"),
    CertificateStatus.SUPERSEDED: _("Superseded"),
}
STATUS_CSS = {
    CertificateStatus.VALID: "success",
    CertificateStatus.EXPIRING: "warning",
    CertificateStatus.EXPIRED: "secondary",
    CertificateStatus.REVOKED: "danger",
    CertificateStatus.SUPERSEDED: "info",
}


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=NUMBER_MAX_LENGTH,
        error_messages={"required": _("Enter the number printed on the certificate.")},
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "placeholder": "OCOP-17-2025-0001",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "data-testid": "verify-number",
            }
        ),
    )

    def full_clean(self):
        super().full_clean()
        if "number" in self.errors:
            widget = self.fields["number"].widget
            widget.attrs["class"] = f"{widget.attrs['class']} is-invalid"


def find_certificate(number: str, today) -> Certificate | None:
    """The issued certificate with this number (trimmed; letter case ignored), with what its
    page shows, in one query (two when the case differs from the stored number)."""
    number = number.strip()
    if not number or len(number) > NUMBER_MAX_LENGTH:
        return None
    certificates = public_certificates(today).select_related("revocation", "superseded_by")
    return (
        certificates.filter(number=number).first()
        or certificates.filter(number__iexact=number).first()
    )


@dataclass(frozen=True)
class Place:
    district: AdministrativeUnit | None
    province: AdministrativeUnit | None


def certified_place(certificate) -> Place:
    """The district (none under the two-tier map) and province of the producer's commune as
    certified, from the units `public_certificates` selects (no query)."""
    unit = certificate.producer_address_unit
    return Place(district=unit_at_level(unit, UnitLevel.DISTRICT), province=province_of(unit))


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


class VerifySearchView(View):
    """A box for the certificate's number; a number found goes to its page."""

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
        certificate = find_certificate(typed, timezone.localdate())
        if certificate is None:
            return not_found(request, typed)
        return redirect("evaluations:verify", certificate.number)


class VerifyView(View):
    """The certificate's public page (the QR code's address)."""

    def get(self, request, number: str):
        certificate = find_certificate(number, timezone.localdate())
        if certificate is None:
            return not_found(request, number.strip())
        if certificate.number != number:
            # Typed by hand in another case, or with spaces: the page has one address.
            return redirect("evaluations:verify", certificate.number)
        status = certificate.current_status
        context = {
            "certificate": certificate,
            "status": status,
            "status_text": STATUS_TEXT[status],
            "status_css": STATUS_CSS[status],
            "place": certified_place(certificate),
            "revocation": getattr(certificate, "revocation", None)
            if status == CertificateStatus.REVOKED
            else None,
            "newer": certificate.superseded_by if status == CertificateStatus.SUPERSEDED else None,
            "search_form": VerifyForm(),
        }
        return TemplateResponse(request, "evaluations/verify/page.html", context)
