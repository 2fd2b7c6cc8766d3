"""Certificates as PDFs with their QR code: one, for its producer and the offices, and a
decision's all at once, for the office to print (made by the background worker)."""

import re

from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.tasks import TaskResultStatus
from django.views.generic import View
from django_tasks_db.models import DBTaskResult

from evaluations.certificates.pdf import certificate_pdf
from evaluations.certificates.selectors import issued_certificates, issued_decisions
from evaluations.certificates.tasks import (
    BATCH_TASK_PATH,
    decision_certificates_batch_request,
    latest_batch,
)
from ocop.core.mixins import ObjectPermissionMixin
from ocop.core.tasks import error_message


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


class DecisionBatchMixin(ObjectPermissionMixin):
    permission_required = "evaluations.view_decision"

    def get_queryset(self):
        return issued_decisions()


class DecisionCertificatesBatchView(DecisionBatchMixin, View):
    """Every certificate of an issued decision in one PDF, made by the background worker
    (decision 0031): GET shows how far it is (htmx asks again every few seconds while it is
    being made), POST asks for a fresh one."""

    http_method_names = ["get", "head", "post"]

    def get(self, request, *args, **kwargs):
        batch = latest_batch(self.object.pk)
        done = (
            DBTaskResult.objects.filter(
                task_path=BATCH_TASK_PATH,
                args_kwargs__kwargs__decision_id=self.object.pk,
                status=TaskResultStatus.SUCCESSFUL,
            )
            .order_by("-finished_at")
            .first()
        )
        context = {
            "decision": self.object,
            "batch": batch,
            "pending": batch is not None
            and batch.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING),
            "failed": batch is not None and batch.status == TaskResultStatus.FAILED,
            "error": error_message(batch.traceback) if batch is not None else "",
            "done": done,
        }
        template = (
            "evaluations/decisions/_certificates_batch.html"
            if request.htmx
            else "evaluations/decisions/certificates_batch.html"
        )
        return render(request, template, context)

    def post(self, request, *args, **kwargs):
        decision_certificates_batch_request(decision_id=self.object.pk)
        return redirect("evaluations:decision_certificates_batch", pk=self.object.pk)


class DecisionCertificatesPdfView(DecisionBatchMixin, View):
    """The decision's certificates in one PDF, as the worker last made it; none made yet:
    the page that makes one."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        decision = self.object
        done = (
            DBTaskResult.objects.filter(
                task_path=BATCH_TASK_PATH,
                args_kwargs__kwargs__decision_id=decision.pk,
                status=TaskResultStatus.SUCCESSFUL,
            )
            .order_by("-finished_at")
            .first()
        )
        name = (done.return_value or {}).get("file", "") if done is not None else ""
        if not name or not default_storage.exists(name):
            return redirect("evaluations:decision_certificates_batch", pk=decision.pk)
        with default_storage.open(name, "rb") as stored:
            content = stored.read()
        return _pdf_response(content, f"giay-chung-nhan-{decision.pk}.pdf")
