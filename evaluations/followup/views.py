"""The follow-up pages: a certificate's commitments and yearly self-reports (its producer and
the office), the province office's inspection plan and the year's follow-up report.

Every change goes through `evaluations.followup.services`; who sees what comes from the
selectors, so others' certificates, reports and plan items are 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from evaluations.certificates.views.decisions import CertificateMixin
from evaluations.enums import CommitmentState, PlanItemState, SelfReportState
from evaluations.followup.forms import (
    CommitmentAssessForm,
    CommitmentForm,
    PlanItemForm,
    SelfReportForm,
)
from evaluations.followup.report import coverage, report_years
from evaluations.followup.schedule import standing
from evaluations.followup.selectors import (
    certificate_risk,
    commitments_to_answer,
    evidence_answer,
    is_in_force,
    office_certificates,
    periods_of,
    plan_candidates,
    plan_items,
    plan_items_visible_to,
    self_report_of,
    submitted_on,
)
from evaluations.followup.services import (
    commitment_add,
    commitment_assess,
    commitment_change,
    plan_item_add,
    plan_item_cancel,
    plan_item_change,
    plan_years,
    self_report_save,
)
from evaluations.followup.workflow import plan_item_can_move, self_report_can_move
from ocop.core.excel import Column, ExcelDownloadMixin
from ocop.core.files import file_response
from ocop.core.mixins import PermissionOr404Mixin
from ocop.core.service_views import ServiceActionView, ServiceFormView

# --- commitments ----------------------------------------------------------------------------


def _certificate_url(certificate, anchor: str = "") -> str:
    url = reverse("evaluations:certificate_detail", args=[certificate.number])
    return f"{url}#{anchor}" if anchor else url


class CommitmentCreateView(CertificateMixin, ServiceFormView):
    """A commitment on a certificate in force: its producer's members and the office."""

    permission_required = "evaluations.keep_commitments"
    template_name = "evaluations/followup/commitment_form.html"
    form_class = CommitmentForm
    refusal_status = 200
    success_message = gettext_lazy("The commitment is recorded.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["in_force"] = is_in_force(self.certificate, timezone.localdate())
        return context

    def perform(self, form):
        return commitment_add(
            certificate=self.certificate, actor=self.request.user, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return _certificate_url(self.certificate, "commitments")


class CommitmentMixin(CertificateMixin):
    """The certificate of the URL and one of its commitments (404 for another's)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.get_permission_object()
            self.commitment = get_object_or_404(
                self.certificate.commitments.all(), pk=kwargs["commitment"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return _certificate_url(self.certificate, "commitments")


class CommitmentEditView(CommitmentMixin, ServiceFormView):
    permission_required = "evaluations.keep_commitments"
    template_name = "evaluations/followup/commitment_form.html"
    form_class = CommitmentForm
    refusal_status = 200
    success_message = gettext_lazy("The commitment is saved.")

    def get_initial(self):
        c = self.commitment
        return {"kind": c.kind, "text": c.text, "due_on": c.due_on}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            commitment=self.commitment,
            in_force=is_in_force(self.certificate, timezone.localdate()),
            closed=self.commitment.state != CommitmentState.OPEN,
        )
        return context

    def perform(self, form):
        return commitment_change(
            commitment=self.commitment, actor=self.request.user, **form.cleaned_data
        )


class CommitmentAssessView(CommitmentMixin, ServiceActionView):
    """The office finds a commitment met or missed, or reopens it (a button)."""

    permission_required = "evaluations.assess_commitments"
    form_class = CommitmentAssessForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"commitment": self.commitment}

    def perform(self, form):
        return commitment_assess(
            commitment=self.commitment, state=form.cleaned_data["state"], actor=self.request.user
        )

    def get_success_message(self, form) -> str:
        return _("The commitment is now %(state)s.") % {
            "state": self.result.get_state_display().lower()
        }


# --- yearly self-reports --------------------------------------------------------------------


class SelfReportMixin(CertificateMixin):
    """The certificate of the URL and the self-report of the URL's year, which the
    certificate must ask for (404 otherwise)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.get_permission_object()
            today = timezone.localdate()
            certificate = self.certificate
            self.period = next(
                (p for p in periods_of(certificate) if p.year == kwargs["year"]), None
            )
            if self.period is None:
                raise Http404
            self.report = self_report_of(certificate, self.period.year)
            self.standing = standing(self.period, submitted_on(self.report), today)
            self.editable = (
                request.user.has_perm("evaluations.write_self_report", certificate)
                and is_in_force(certificate, today)
                and today >= self.period.opens_on
                and (
                    self.report is None
                    or self_report_can_move(self.report.state, SelfReportState.SUBMITTED)
                )
            )
        return super().dispatch(request, *args, **kwargs)


class SelfReportView(SelfReportMixin, ServiceFormView):
    """The producer writes the report (save as a draft, or submit it: then it is locked);
    whoever sees the certificate reads it."""

    template_name = "evaluations/followup/self_report.html"
    form_class = SelfReportForm
    refusal_status = 200

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("evaluations.write_self_report", self.certificate):
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "commitments": commitments_to_answer(self.certificate, self.report)
            if self.editable or self.request.method == "POST"
            else [],
            "report": self.report,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            period=self.period,
            report=self.report,
            standing=self.standing,
            editable=self.editable,
            answers=list(self.report.answers.all()) if self.report else [],
        )
        return context

    def perform(self, form):
        return self_report_save(
            certificate=self.certificate,
            year=self.period.year,
            answers=form.answers(),
            note=form.cleaned_data.get("note") or "",
            submit=form.submit,
            actor=self.request.user,
        )

    def get_success_message(self, form) -> str:
        if form.submit:
            return _("The self-report of %(year)s is submitted to the OCOP office.") % {
                "year": self.period.year
            }
        return _("The self-report is saved as a draft; submit it before %(date)s.") % {
            "date": date_format(self.period.due_on, "SHORT_DATE_FORMAT")
        }

    def get_success_url(self) -> str:
        return reverse("evaluations:self_report", args=[self.certificate.number, self.period.year])


class SelfReportFileView(CertificateMixin, View):
    """An answer's evidence file, for those who may see the certificate."""

    def get(self, request, *args, **kwargs):
        answer = get_object_or_404(
            evidence_answer(self.certificate, kwargs["year"], kwargs["answer"])
        )
        return file_response(
            answer.evidence, filename=answer.evidence_name, content_type=answer.evidence_type
        )


# --- the inspection plan --------------------------------------------------------------------


def _chosen_year(request, years, default: int) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and int(raw) in years else default


class PlannerMixin(PermissionOr404Mixin):
    """The province's OCOP office (a rule: a superuser needs the role and the province)."""

    rule_required = "evaluations.plan_inspections"


class InspectionPlanView(PlannerMixin, TemplateView):
    """`?year=` (this year by default, or the next): the plan by month, then the products
    proposed for it, riskiest first, with the reasons."""

    template_name = "evaluations/followup/plan.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        years = plan_years(today)
        year = _chosen_year(self.request, years, today.year)
        user = self.request.user
        items = list(plan_items(user, year))
        context.update(
            province=user.jurisdiction,
            years=years,
            year=year,
            items=[
                {
                    "item": item,
                    "change": item.state == PlanItemState.PLANNED,
                    "cancel": plan_item_can_move(item.state, PlanItemState.CANCELLED),
                    "restore": plan_item_can_move(item.state, PlanItemState.PLANNED),
                }
                for item in items
            ],
            planned=sum(i.state != PlanItemState.CANCELLED for i in items),
            done=sum(i.state == PlanItemState.DONE for i in items),
            candidates=plan_candidates(user, year, today),
        )
        return context


class PlanItemAddView(PlannerMixin, ServiceFormView):
    """Put a proposed product on the plan of the URL's year."""

    template_name = "evaluations/followup/plan_item_form.html"
    form_class = PlanItemForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            today = timezone.localdate()
            self.year = kwargs["year"]
            if self.year not in plan_years(today):
                raise Http404
            self.certificate = get_object_or_404(
                office_certificates(request.user, today), number=kwargs["number"]
            )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def risk(self):
        return certificate_risk(self.certificate, self.year, timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(certificate=self.certificate, year=self.year, risk=self.risk)
        return context

    def perform(self, form):
        return plan_item_add(
            province=self.request.user.jurisdiction,
            year=self.year,
            certificate=self.certificate,
            actor=self.request.user,
            **form.cleaned_data,
        )

    def get_success_message(self, form) -> str:
        return _("%(product)s is on the plan of %(year)s.") % {
            "product": self.certificate.product_name,
            "year": self.year,
        }

    def get_success_url(self) -> str:
        return f"{reverse('evaluations:inspection_plan')}?year={self.year}"


class PlanItemMixin(PlannerMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.item = get_object_or_404(plan_items_visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return f"{reverse('evaluations:inspection_plan')}?year={self.item.plan.year}"


class PlanItemEditView(PlanItemMixin, ServiceFormView):
    template_name = "evaluations/followup/plan_item_form.html"
    form_class = PlanItemForm
    success_message = gettext_lazy("The plan is saved.")

    def get_initial(self):
        return {"month": self.item.month, "inspector": self.item.inspector}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(item=self.item, certificate=self.item.certificate, year=self.item.plan.year)
        return context

    def perform(self, form):
        return plan_item_change(item=self.item, actor=self.request.user, **form.cleaned_data)


class PlanItemCancelView(PlanItemMixin, ServiceActionView):
    success_message = gettext_lazy("The inspection is taken off the plan.")

    def perform(self, form):
        return plan_item_cancel(item=self.item, actor=self.request.user)


# --- the year's report ----------------------------------------------------------------------


class FollowupReportView(PlannerMixin, ExcelDownloadMixin, TemplateView):
    """`?year=` (this year by default): the follow-up per first-level unit and in total;
    `?format=xlsx`: the same in Excel."""

    template_name = "evaluations/followup/report.html"
    excel_title = gettext_lazy("Follow-up after certification")
    excel_columns = (
        Column(gettext_lazy("First-level unit"), width=28),
        Column(gettext_lazy("Area code"), width=10),
        Column(gettext_lazy("Certificates in force"), width=12),
        Column(gettext_lazy("Planned"), width=10),
        Column(gettext_lazy("Planned and inspected"), width=12),
        Column(gettext_lazy("Inspected"), width=10),
        Column(gettext_lazy("Compliant"), width=10),
        Column(gettext_lazy("Warning"), width=10),
        Column(gettext_lazy("Proposal to revoke"), width=12),
        Column(gettext_lazy("Self-reports due"), width=12),
        Column(gettext_lazy("Submitted"), width=11),
        Column(gettext_lazy("Of which late"), width=11),
        Column(gettext_lazy("Missed"), width=10),
    )

    @cached_property
    def report(self) -> dict:
        today = timezone.localdate()
        user = self.request.user
        years = report_years(user, today)
        year = _chosen_year(self.request, years, today.year)
        return {
            "province": user.jurisdiction,
            "years": years,
            "year": year,
            "coverage": coverage(user, year, today),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.report)
        return context

    def excel_rows(self):
        for row in self.report["coverage"].rows:
            yield (row.name, row.code, *row.counts())

    def excel_totals(self):
        return [(_("Total"), None, *self.report["coverage"].total.counts())]

    def excel_filters(self):
        report = self.report
        return [(_("Province"), report["province"].name), (_("Year"), report["year"])]
