"""Certificates as PDFs with their QR code: one, for its producer and the offices, and a
decision's all at once, for the office to print."""

import re

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import View

from evaluations.certificates.pdf import certificate_pdf, decision_certificates_pdf
from evaluations.certificates.selectors import issued_certificates, issued_decisions
from ocop.core.mixins import ObjectPermissionMixin


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", filename)
    response["Content-Disposition"] = f'inline; filename="{safe}"'
    # The standing printed on it (revoked, superseded, expired) changes: never reuse a copy.
    response["Cache-Control"] = "private, no-store"
    return response


class CertificatePdfView(ObjectPermissionMixin, View):
    """The certificate of an issued decision, for the members of its producer and the
    officers who may see the decision; 404 to anyone else."""

    permission_required = "evaluations.print_certificate"
    http_method_names = ["get", "head"]
    pk_url_kwarg = "number"

    def get_queryset(self):
        return issued_certificates()

    def get_object(self):
        return get_object_or_404(self.get_queryset(), number=self.kwargs[self.pk_url_kwarg])

    def get(self, request, *args, **kwargs):
        certificate = self.object
        return _pdf_response(certificate_pdf(certificate), f"{certificate.number}.pdf")


class DecisionCertificatesPdfView(ObjectPermissionMixin, View):
    """Every certificate of an issued decision, one page each, for the offices to print."""

    permission_required = "evaluations.view_decision"
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return issued_decisions()

    def get(self, request, *args, **kwargs):
        decision = self.object
        return _pdf_response(
            decision_certificates_pdf(decision), f"giay-chung-nhan-{decision.pk}.pdf"
        )
