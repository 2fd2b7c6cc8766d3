"""The OCOP office's pages: recognition decisions (draft, issue with the signed scan) and the
certificates they issue (list, detail, revocation, post-certification inspections).

Every change goes through `evaluations.certificates.services`; who sees what comes from
`evaluations.certificates.selectors`, so others' decisions and certificates are 404.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from evaluations.certificates.forms import (
    CertificateFilterForm,
    DecisionForm,
    DecisionIssueForm,
    InspectionForm,
    RevokeForm,
)
from evaluations.certificates.selectors import (
    certificates_visible_to,
    decisions_visible_to,
    recognisable_results,
)
from evaluations.certificates.services import (
    certificate_revoke,
    decision_create,
    decision_issue,
    inspection_record,
)
from evaluations.certificates.validity import with_status
from evaluations.enums import CertificateStatus, DecisionState
from evaluations.exceptions import EvaluationError
from evaluations.models import Decision, Inspection, InspectionAttachment
from ocop.core.enums import Role
from ocop.core.files import file_response
from ocop.core.forms import add_service_errors
from ocop.core.mixins import PermissionOr404Mixin
from products.selectors import member_producer_ids

# The Bootstrap colour of a certificate status's badge.
STATUS_CSS = {
    CertificateStatus.VALID: "success",
    CertificateStatus.EXPIRING: "warning",
    CertificateStatus.EXPIRED: "secondary",
    CertificateStatus.REVOKED: "danger",
    CertificateStatus.SUPERSEDED: "info",
}
# The stored statuses a certificate can be revoked from.
REVOCABLE = (CertificateStatus.VALID, CertificateStatus.EXPIRED)


def status_context() -> dict:
    """What `evaluations/certificates/_status.html` needs to draw a status badge."""
    return {
        "status_css": {str(k): v for k, v in STATUS_CSS.items()},
        "status_labels": dict(CertificateStatus.choices),
    }


# --- decisions -----------------------------------------------------------------------------


def draft_for(user) -> Decision | None:
    """An unsaved decision of the user's People's Committee, if the user drafts decisions
    for it (the OCOP office of that level), else None."""
    if not getattr(user, "is_authenticated", False) or not user.jurisdiction_id:
        return None
    draft = Decision(issuer=user.jurisdiction, level=user.jurisdiction.level)
    return draft if user.has_perm("evaluations.issue_decision", draft) else None


class DecisionListView(PermissionOr404Mixin, ListView):
    """The decisions of the officer's People's Committees (theirs and those below)."""

    permission_required = "evaluations.view_decision"
    template_name = "evaluations/decisions/list.html"
    context_object_name = "decisions"
    paginate_by = 50

    def get_queryset(self):
        # An aggregate drops the model's ordering: say it again.
        return (
            decisions_visible_to(self.request.user)
            .annotate(product_count=Count("items"))
            .order_by("-date", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        draft = draft_for(self.request.user)
        context.update(
            can_draft=draft is not None,
            waiting=recognisable_results(draft.issuer).count() if draft else 0,
            draft_state=DecisionState.DRAFT,
        )
        return context


class DecisionCreateView(PermissionOr404Mixin, FormView):
    """The OCOP office drafts a decision of its People's Committee from the final results it
    recognises (under 148/2023: the district 3★, the province 4★)."""

    template_name = "evaluations/decisions/create.html"
    form_class = DecisionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.draft = draft_for(request.user)
            if self.draft is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def results(self):
        return recognisable_results(self.draft.issuer).select_related("dossier__first_level_unit")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"results": self.results}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            issuer=self.draft.issuer,
            choices=list(self.results),
            selected=form.selected_ids(),
        )
        return context

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            decision = decision_create(
                issuer=self.draft.issuer,
                number=data["number"],
                date=data["date"],
                signer_name=data["signer_name"],
                signer_title=data["signer_title"],
                results=data["results"],
                actor=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except EvaluationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        except PermissionDenied:
            raise Http404 from None
        messages.success(
            self.request,
            _("Decision %(number)s is drafted. Upload its signed scan to issue it.")
            % {"number": decision.number},
        )
        return redirect("evaluations:decision_detail", pk=decision.pk)


class DecisionMixin(PermissionOr404Mixin):
    """The decision of the URL; 404 unless the user holds `permission_required` on it."""

    permission_required = "evaluations.view_decision"

    def get_permission_object(self):
        self.decision = get_object_or_404(
            Decision.objects.select_related("issuer__parent"), pk=self.kwargs["pk"]
        )
        return self.decision


class DecisionDetailView(DecisionMixin, TemplateView):
    template_name = "evaluations/decisions/detail.html"

    def get_context_data(self, issue_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = self.decision
        issued = decision.state == DecisionState.ISSUED
        can_issue = not issued and self.request.user.has_perm(
            "evaluations.issue_decision", decision
        )
        certificates = []
        if issued:
            certificates = list(
                with_status(
                    decision.certificates.all(),
                    timezone.localdate(),
                ).order_by("sequence")
            )
        context.update(
            status_context(),
            decision=decision,
            issued=issued,
            items=list(
                decision.items.select_related(
                    "result__dossier__product__producer",
                    "result__dossier__product__product_set",
                    "result__dossier__round",
                )
            ),
            certificates=certificates,
            can_issue=can_issue,
            issue_form=(issue_form or DecisionIssueForm()) if can_issue else None,
        )
        return context


class DecisionIssueView(DecisionDetailView):
    """The signed scan is uploaded: the decision is issued and its certificates created."""

    permission_required = "evaluations.issue_decision"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = DecisionIssueForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                certificates = decision_issue(
                    decision=self.decision,
                    signed_scan=form.cleaned_data["signed_scan"],
                    actor=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_service_errors(form, error)
                else:
                    form.add_error("signed_scan", error)
            except EvaluationError as error:
                form.add_error(None, error.message)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(
                    request,
                    _("Decision %(number)s is issued. Certificates: %(certificates)s.")
                    % {
                        "number": self.decision.number,
                        "certificates": ", ".join(c.number for c in certificates),
                    },
                )
                return redirect("evaluations:decision_detail", pk=self.decision.pk)
        context = self.get_context_data(issue_form=form, **kwargs)
        # The decision may have been issued meanwhile: keep the form to show why.
        context.update(can_issue=True, issue_form=form)
        return self.render_to_response(context, status=400)


class DecisionScanView(View):
    """The signed scan of an issued decision. An issued decision is published: anybody may
    read it; a draft's does not exist for anyone."""

    def get(self, request, *args, **kwargs):
        decision = get_object_or_404(
            Decision.objects.exclude(signed_scan=""),
            pk=kwargs["pk"],
            state=DecisionState.ISSUED,
        )
        safe_number = "".join(c if c.isalnum() or c in "-_" else "-" for c in decision.number)
        return file_response(
            decision.signed_scan,
            filename=f"{safe_number}.pdf",
            content_type="application/pdf",
            attachment=False,
            cache_control=None,
        )


# --- certificates --------------------------------------------------------------------------


def may_list_certificates(user) -> bool:
    """Officers (through their role) and the members of producers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_officer and user.has_perm("evaluations.view_certificate"):
        return True
    return user.has_role(Role.PRODUCER_MEMBER) or bool(member_producer_ids(user))


class CertificateListView(PermissionOr404Mixin, ListView):
    template_name = "evaluations/certificates/list.html"
    context_object_name = "certificates"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_list_certificates(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def filter_form(self) -> CertificateFilterForm:
        return CertificateFilterForm(self.request.GET or None)

    def get_queryset(self):
        certificates = certificates_visible_to(self.request.user, timezone.localdate())
        form = self.filter_form
        if form.is_bound and form.is_valid() and form.cleaned_data["status"]:
            certificates = certificates.filter(current_status=form.cleaned_data["status"])
        return certificates

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filter_form
        context.update(
            status_context(),
            filter_form=form,
            filtered=form.is_bound and form.is_valid() and bool(form.cleaned_data["status"]),
            officer=self.request.user.is_officer,
        )
        return context


class CertificateMixin(PermissionOr404Mixin):
    """The certificate of the URL, if the user may see it (officers of its area, the
    producer's members), else 404; also 404 unless the user holds `permission_required` on
    it when set."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.certificate = get_object_or_404(
                certificates_visible_to(request.user, timezone.localdate()).select_related(
                    "decision__issuer__parent", "dossier__round", "superseded_by"
                ),
                number=kwargs["number"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        return self.certificate


class CertificateDetailView(CertificateMixin, TemplateView):
    template_name = "evaluations/certificates/detail.html"

    def get_context_data(self, revoke_form=None, inspection_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.certificate
        user = self.request.user
        can_revoke = certificate.status in REVOCABLE and user.has_perm(
            "evaluations.revoke_certificate", certificate
        )
        can_inspect = user.has_perm("evaluations.inspect_certificate", certificate)
        revocation = None
        if certificate.status == CertificateStatus.REVOKED:
            try:
                revocation = certificate.revocation
            except ObjectDoesNotExist:
                revocation = None
        context.update(
            status_context(),
            certificate=certificate,
            decision=certificate.decision,
            can_view_decision=user.has_perm("evaluations.view_decision", certificate.decision),
            revocation=revocation,
            inspections=list(
                certificate.inspections.prefetch_related(
                    Prefetch(
                        "attachments",
                        queryset=InspectionAttachment.objects.order_by("pk"),
                    )
                )
            ),
            can_revoke=can_revoke,
            revoke_form=(revoke_form or RevokeForm()) if can_revoke else None,
            can_inspect=can_inspect,
            inspection_form=(
                (inspection_form or InspectionForm(initial={"date": timezone.localdate()}))
                if can_inspect
                else None
            ),
        )
        return context


class CertificateRevokeView(CertificateDetailView):
    permission_required = "evaluations.revoke_certificate"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = RevokeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                certificate_revoke(
                    certificate=self.certificate,
                    reason=data["reason"],
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    note=data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except EvaluationError as error:
                form.add_error(None, error.message)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(
                    request,
                    _("Certificate %(number)s is revoked; the public page says so.")
                    % {"number": self.certificate.number},
                )
                return redirect("evaluations:certificate_detail", number=self.certificate.number)
        context = self.get_context_data(revoke_form=form, **kwargs)
        context.update(can_revoke=True, revoke_form=form)
        return self.render_to_response(context, status=400)


class InspectionCreateView(CertificateDetailView):
    permission_required = "evaluations.inspect_certificate"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = InspectionForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                inspection_record(
                    certificate=self.certificate,
                    date=data["date"],
                    inspector=data["inspector"],
                    findings=data["findings"],
                    outcome=data["outcome"],
                    attachments=data["attachments"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except EvaluationError as error:
                form.add_error(None, error.message)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("The inspection is recorded."))
                return redirect("evaluations:certificate_detail", number=self.certificate.number)
        return self.render_to_response(
            self.get_context_data(inspection_form=form, **kwargs), status=400
        )


class InspectionFileView(CertificateMixin, View):
    """An inspection's attachment, for those who may see the certificate."""

    def get(self, request, *args, **kwargs):
        inspection = get_object_or_404(
            Inspection.objects.filter(certificate=self.certificate), pk=kwargs["pk"]
        )
        attachment = get_object_or_404(inspection.attachments, pk=kwargs["file"])
        return file_response(
            attachment.file,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
