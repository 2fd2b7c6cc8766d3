"""Certificates as PDFs with their QR code: one, for its producer and the offices, and a
decision's all at once, for the office to print."""

import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import View

from evaluations.certificates.pdf import certificate_pdf, decision_certificates_pdf
from evaluations.enums import DecisionState
from evaluations.models import Certificate, Decision
from evaluations.rules import is_producer_of_dossier
from ocop.core.mixins import PermissionOr404Mixin


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", filename)
    response["Content-Disposition"] = f'inline; filename="{safe}"'
    # The standing printed on it (revoked, superseded, expired) changes: never reuse a copy.
    response["Cache-Control"] = "private, no-store"
    return response


class CertificatePdfView(PermissionOr404Mixin, View):
    """The certificate of an issued decision, for the members of its producer and the
    officers who may see the decision; 404 to anyone else."""

    http_method_names = ["get", "head"]

    def get_certificate(self) -> Certificate:
        if not hasattr(self, "_certificate"):
            self._certificate = get_object_or_404(
                Certificate.objects.select_related("decision__issuer", "producer"),
                number=self.kwargs["number"],
                decision__state=DecisionState.ISSUED,
            )
        return self._certificate

    def get(self, request, *args, **kwargs):
        certificate = self.get_certificate()
        user = request.user
        if not (
            is_producer_of_dossier.test(user, certificate.producer)
            or user.has_perm("evaluations.view_decision", certificate.decision)
        ):
            raise Http404
        return _pdf_response(certificate_pdf(certificate), f"{certificate.number}.pdf")


class DecisionCertificatesPdfView(PermissionOr404Mixin, View):
    """Every certificate of an issued decision, one page each, for the offices to print."""

    permission_required = "evaluations.view_decision"
    http_method_names = ["get", "head"]

    def get_decision(self) -> Decision:
        if not hasattr(self, "_decision"):
            self._decision = get_object_or_404(
                Decision.objects.select_related("issuer"), pk=self.kwargs["pk"]
            )
        return self._decision

    def get_permission_object(self):
        return self.get_decision()

    def get(self, request, *args, **kwargs):
        decision = self.get_decision()
        if decision.state != DecisionState.ISSUED:
            raise Http404
        return _pdf_response(
            decision_certificates_pdf(decision), f"giay-chung-nhan-{decision.pk}.pdf"
        )
