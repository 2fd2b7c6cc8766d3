"""A decision's Word drafts: the decision with its annex, for the offices that see the
decision (draft or issued); the list of certificates to print, once it is issued."""

from django.utils import timezone
from django.views.generic import View

from evaluations.certificates.selectors import drafted_decisions, issued_decisions
from evaluations.certificates.word import certificates_docx, decision_docx
from ocop.core import word
from ocop.core.mixins import ObjectPermissionMixin


class DecisionDocxView(ObjectPermissionMixin, View):
    """The decision as a Word draft the office edits before signing; 404 to whoever may not
    see the decision, and for the ministry's decisions (recorded, not drafted here)."""

    permission_required = "evaluations.view_decision"
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return drafted_decisions()

    def get(self, request, *args, **kwargs):
        decision = self.object
        return word.response(decision_docx(decision), f"Du-thao-QD-{decision.number}")


class DecisionCertificatesDocxView(ObjectPermissionMixin, View):
    """The list of an issued decision's certificates to print, for the offices that see it
    (the ministry's too: the province's office prints their certificates)."""

    permission_required = "evaluations.view_decision"
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return issued_decisions()

    def get(self, request, *args, **kwargs):
        decision = self.object
        content = certificates_docx(decision, today=timezone.localdate())
        return word.response(content, f"Danh-sach-GCN-can-in-{decision.number}")
