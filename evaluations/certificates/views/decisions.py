"""The OCOP office's pages: recognition decisions (draft, issue with the signed scan) and the
certificates they issue (list, detail, revocation, post-certification inspections).

Every change goes through `evaluations.certificates.services`; who sees what comes from
`evaluations.certificates.selectors`, so others' decisions and certificates are 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from evaluations.certificates.filters import CertificateFilter, DecisionFilter
from evaluations.certificates.forms import (
    DecisionForm,
    DecisionIssueForm,
    InspectionForm,
    RevokeForm,
)
from evaluations.certificates.selectors import (
    certificate_detail,
    certificate_inspections,
    certificates_visible_to,
    decision_certificates,
    decision_detail,
    decision_list,
    decision_products,
    draft_for,
    inspection_attachments,
    issued_decisions,
    recognisable_results,
    revocation_of,
)
from evaluations.certificates.services import (
    certificate_revoke,
    decision_create,
    decision_issue,
    inspection_record,
)
from evaluations.certificates.workflow import certificate_actions, decision_actions
from evaluations.enums import CertificateStatus, DecisionState
from ocop.core.db_router import replica_reads
from ocop.core.excel import Column, ExcelDownloadMixin
from ocop.core.files import file_response
from ocop.core.mixins import ObjectPermissionMixin, PermissionOr404Mixin
from ocop.core.service_views import ServiceFormView

# --- decisions -----------------------------------------------------------------------------


class DecisionListView(PermissionOr404Mixin, ExcelDownloadMixin, ListView):
    """The decisions of the officer's People's Committees (theirs and those below);
    `?format=xlsx`: all of them in Excel."""

    permission_required = "evaluations.view_decision"
    template_name = "evaluations/decisions/list.html"
    context_object_name = "decisions"
    paginate_by = 50
    excel_title = gettext_lazy("Recognition decisions")
    excel_columns = (
        Column(gettext_lazy("Number"), width=18),
        Column(gettext_lazy("Date"), width=12),
        Column(gettext_lazy("Issued by"), width=36),
        Column(gettext_lazy("Level"), width=12),
        Column(gettext_lazy("State"), width=14),
        Column(gettext_lazy("Products"), width=10),
    )

    def get_queryset(self):
        self.filterset = DecisionFilter(
            self.request.GET or None, queryset=decision_list(self.request.user)
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        draft = draft_for(self.request.user)
        context.update(
            filter=self.filterset,
            can_draft=draft is not None,
            waiting=recognisable_results(draft.issuer).count() if draft else 0,
        )
        return context

    def excel_row(self, decision):
        return (
            decision.number,
            decision.date,
            decision.issuer_label,
            decision.get_level_display(),
            decision.get_state_display(),
            decision.product_count,
        )


class DecisionCreateView(PermissionOr404Mixin, ServiceFormView):
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
        context.update(
            issuer=self.draft.issuer,
            choices=list(self.results),
            selected=context["form"].selected_ids(),
        )
        return context

    def perform(self, form):
        return decision_create(
            issuer=self.draft.issuer, actor=self.request.user, **form.cleaned_data
        )

    def get_success_message(self, form) -> str:
        return _("Decision %(number)s is drafted. Upload its signed scan to issue it.") % {
            "number": self.result.number
        }

    def get_success_url(self) -> str:
        return reverse("evaluations:decision_detail", args=[self.result.pk])


class DecisionMixin(ObjectPermissionMixin):
    """The decision of the URL; 404 unless the user holds `permission_required` on it."""

    permission_required = "evaluations.view_decision"
    object_name = "decision"

    def get_queryset(self):
        return decision_detail()


def decision_page(user, decision, *, issue_form=None) -> dict:
    """What the decision's page shows, with the issue form for the office that may issue it."""
    issued = decision.state == DecisionState.ISSUED
    can_issue = decision_actions(user, decision)["issue"]
    return {
        "decision": decision,
        "issued": issued,
        "items": decision_products(decision),
        "certificates": (
            list(decision_certificates(decision, timezone.localdate())) if issued else []
        ),
        "can_issue": can_issue,
        "issue_form": (issue_form or DecisionIssueForm()) if can_issue else None,
    }


class DecisionDetailView(DecisionMixin, TemplateView):
    template_name = "evaluations/decisions/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(decision_page(self.request.user, self.decision))
        return context


class DecisionIssueView(DecisionMixin, ServiceFormView):
    """The signed scan is uploaded: the decision is issued and its certificates created."""

    permission_required = "evaluations.issue_decision"
    http_method_names = ["post"]
    template_name = DecisionDetailView.template_name
    form_class = DecisionIssueForm
    # The scan's content refused: say so under the file.
    service_field_map = {None: "signed_scan"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(decision_page(self.request.user, self.decision, issue_form=form))
        # The decision may have been issued meanwhile: keep the form to show why.
        context.update(can_issue=True, issue_form=form)
        return context

    def perform(self, form):
        return decision_issue(
            decision=self.decision,
            signed_scan=form.cleaned_data["signed_scan"],
            actor=self.request.user,
        )

    def get_success_message(self, form) -> str:
        return _("Decision %(number)s is issued. Certificates: %(certificates)s.") % {
            "number": self.decision.number,
            "certificates": ", ".join(c.number for c in self.result),
        }

    def get_success_url(self) -> str:
        return reverse("evaluations:decision_detail", args=[self.decision.pk])


@method_decorator(replica_reads, name="dispatch")
class DecisionScanView(View):
    """The signed scan of an issued decision. An issued decision is published: anybody may
    read it; a draft's does not exist for anyone."""

    def get(self, request, *args, **kwargs):
        decision = get_object_or_404(issued_decisions(), pk=kwargs["pk"])
        safe_number = "".join(c if c.isalnum() or c in "-_" else "-" for c in decision.number)
        return file_response(
            decision.signed_scan,
            filename=f"{safe_number}.pdf",
            content_type="application/pdf",
            attachment=False,
            cache_control=None,
        )


# --- certificates --------------------------------------------------------------------------


class CertificateListView(PermissionOr404Mixin, ExcelDownloadMixin, ListView):
    """Officers: the certificates of their jurisdiction; members: their producer's.
    `?format=xlsx`: all of them in Excel."""

    template_name = "evaluations/certificates/list.html"
    context_object_name = "certificates"
    paginate_by = 50
    rule_required = "evaluations.list_certificates"
    excel_title = gettext_lazy("OCOP certificates")
    excel_columns = (
        Column(gettext_lazy("Certificate number"), width=22),
        Column(gettext_lazy("Product"), width=30),
        Column(gettext_lazy("Product set"), width=24),
        Column(gettext_lazy("Producer"), width=30),
        Column(gettext_lazy("Stars"), width=8),
        Column(gettext_lazy("Score"), width=8, number_format="0.00"),
        Column(gettext_lazy("Issued on"), width=12),
        Column(gettext_lazy("Valid until"), width=12),
        Column(gettext_lazy("Decision"), width=18),
        Column(gettext_lazy("Status"), width=16),
    )

    def get_queryset(self):
        self.filterset = CertificateFilter(
            self.request.GET or None,
            queryset=certificates_visible_to(self.request.user, timezone.localdate()),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filter=self.filterset,
            filtered=self.filterset.is_filtered(),
            officer=self.request.user.is_officer,
        )
        return context

    def excel_row(self, certificate):
        return (
            certificate.number,
            certificate.product_name,
            str(certificate.product_set),
            certificate.producer_name,
            certificate.stars,
            certificate.score,
            certificate.issued_on,
            certificate.valid_until,
            certificate.decision.number,
            CertificateStatus.label_of(certificate.current_status),
        )


class CertificateMixin(ObjectPermissionMixin):
    """The certificate of the URL (by its number), if the user may see it (officers of its
    area, the producer's members), else 404; also 404 unless the user holds
    `permission_required` on it when set."""

    pk_url_kwarg = "number"
    object_name = "certificate"

    def get_queryset(self):
        return certificate_detail(self.request.user, timezone.localdate())

    def get_object(self):
        return get_object_or_404(self.get_queryset(), number=self.kwargs[self.pk_url_kwarg])


def certificate_page(user, certificate, *, revoke_form=None, inspection_form=None) -> dict:
    """What the certificate's page shows, with the forms of the actions this user may take."""
    actions = certificate_actions(user, certificate)
    can_revoke, can_inspect = actions["revoke"], actions["inspect"]
    return {
        "certificate": certificate,
        "decision": certificate.decision,
        "can_view_decision": user.has_perm("evaluations.view_decision", certificate.decision),
        "revocation": revocation_of(certificate),
        "inspections": list(certificate_inspections(certificate)),
        "can_revoke": can_revoke,
        "revoke_form": (revoke_form or RevokeForm()) if can_revoke else None,
        "can_inspect": can_inspect,
        "inspection_form": (
            (inspection_form or InspectionForm(initial={"date": timezone.localdate()}))
            if can_inspect
            else None
        ),
    }


class CertificateDetailView(CertificateMixin, TemplateView):
    template_name = "evaluations/certificates/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(certificate_page(self.request.user, self.certificate))
        return context


class CertificateFormView(CertificateMixin, ServiceFormView):
    """A form of the certificate's page (POST only): a refusal shows the page again with it."""

    http_method_names = ["post"]
    template_name = CertificateDetailView.template_name

    def get_success_url(self) -> str:
        return reverse("evaluations:certificate_detail", args=[self.certificate.number])


class CertificateRevokeView(CertificateFormView):
    permission_required = "evaluations.revoke_certificate"
    form_class = RevokeForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(certificate_page(self.request.user, self.certificate, revoke_form=form))
        context.update(can_revoke=True, revoke_form=form)
        return context

    def perform(self, form):
        return certificate_revoke(
            certificate=self.certificate, actor=self.request.user, **form.cleaned_data
        )

    def get_success_message(self, form) -> str:
        return _("Certificate %(number)s is revoked; the public page says so.") % {
            "number": self.certificate.number
        }


class InspectionCreateView(CertificateFormView):
    permission_required = "evaluations.inspect_certificate"
    form_class = InspectionForm
    success_message = gettext_lazy("The inspection is recorded.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            certificate_page(self.request.user, self.certificate, inspection_form=context["form"])
        )
        return context

    def perform(self, form):
        return inspection_record(
            certificate=self.certificate, actor=self.request.user, **form.cleaned_data
        )


class InspectionFileView(CertificateMixin, View):
    """An inspection's attachment, for those who may see the certificate."""

    def get(self, request, *args, **kwargs):
        attachment = get_object_or_404(
            inspection_attachments(self.certificate, kwargs["pk"]), pk=kwargs["file"]
        )
        return file_response(
            attachment.file,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
