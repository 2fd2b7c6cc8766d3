from functools import cached_property

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from evaluations.intake.filters import InboxFilter
from evaluations.intake.forms import (
    AcceptForm,
    ForwardForm,
    ReturnReasonFormSet,
    return_item_choices,
)
from evaluations.intake.selectors import (
    SelfAssessment,
    commune_assessment_of,
    dossier_checklist,
    dossier_documents,
    inbox_for,
    last_return,
    self_assessment_of,
    self_assessment_summary,
)
from evaluations.intake.services.dossiers import (
    DEFAULT_SAMPLES,
    criterion_labels,
    dossier_accept,
    dossier_forward_to_province,
    dossier_return,
    forwards_without_scoring,
    samples_required,
)
from evaluations.intake.views.dossiers import DossierMixin, RefusedBackMixin
from evaluations.intake.workflow import dossier_actions
from ocop.core.excel import Column, ExcelDownloadMixin
from ocop.core.files import file_response
from ocop.core.mixins import PermissionOr404Mixin
from ocop.core.service_views import ServiceActionView


class InboxView(PermissionOr404Mixin, ExcelDownloadMixin, ListView):
    """Dossiers received in the officer's jurisdiction: by default those waiting for its
    working group, oldest first; every state on request. `?format=xlsx`: all of them in
    Excel."""

    permission_required = "evaluations.check_dossier"
    template_name = "evaluations/inbox/list.html"
    context_object_name = "dossiers"
    paginate_by = 50
    excel_title = gettext_lazy("Dossier inbox")
    excel_columns = (
        Column(gettext_lazy("Product"), width=32),
        Column(gettext_lazy("Product set"), width=24),
        Column(gettext_lazy("Producer"), width=30),
        Column(gettext_lazy("Tax code"), width=14),
        Column(gettext_lazy("Registering as"), width=18),
        Column(gettext_lazy("State"), width=18),
        Column(gettext_lazy("Round"), width=18),
        Column(gettext_lazy("Received by"), width=20),
        Column(gettext_lazy("Submitted"), width=12),
        Column(gettext_lazy("Deadline"), width=12),
    )

    def get_queryset(self):
        # Always bound: with no state chosen the list shows what waits for the working group.
        self.filterset = InboxFilter(
            self.request.GET,
            queryset=inbox_for(self.request.user),
            request=self.request,
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        return context

    def excel_row(self, dossier):
        product = dossier.product
        submitted = dossier.submitted_at
        return (
            product.name,
            str(product.product_set),
            product.producer.name,
            product.producer.tax_code,
            dossier.get_kind_display(),
            dossier.get_state_display(),
            str(dossier.round),
            dossier.first_level_unit.name,
            timezone.localdate(submitted) if submitted else None,
            dossier.submission_deadline,
        )


class CheckPageMixin(DossierMixin):
    """The working group's check page: documents against the checklist, the
    self-assessment, and the Return and Accept forms where the transition table allows them.

    `return_formset` and `accept_form` in the context are the forms to show (a refused one
    with its input and errors), else blank ones."""

    permission_required = "evaluations.check_dossier"
    template_name = "evaluations/inbox/check.html"

    @cached_property
    def assessment(self) -> SelfAssessment:
        return self_assessment_of(self.dossier)

    def item_choices(self, documents=None) -> list:
        """What the return form's rows may name: the checklist's kinds, the criteria."""
        dossier = self.dossier
        documents = dossier_documents(dossier) if documents is None else documents
        return return_item_choices(
            spec=self.assessment.spec, checklist=dossier_checklist(dossier, documents)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dossier = self.dossier
        documents = dossier_documents(dossier)
        assessment = self.assessment
        today = timezone.localdate()
        context.update(
            actions=dossier_actions(self.request.user, dossier),
            documents=documents,
            expired={d.pk for d in documents if d.is_expired(today)},
            checklist=dossier_checklist(dossier, documents),
            score=assessment.score,
            summary=self_assessment_summary(assessment),
            last_return=last_return(dossier),
            criterion_labels=criterion_labels(assessment.spec),
            samples_required=samples_required(dossier),
        )
        if "return_formset" not in context:
            context["return_formset"] = ReturnReasonFormSet(
                prefix="reasons",
                form_kwargs={"item_choices": self.item_choices(documents)},
            )
        initial = {"samples_count": DEFAULT_SAMPLES if samples_required(dossier) else 0}
        context["forwards"] = forwards_without_scoring(dossier)
        context["commune_assessment"] = commune_assessment_of(dossier)
        if context["forwards"] and "forward_form" not in context:
            context["forward_form"] = ForwardForm(initial=initial)
        if not context["forwards"] and "accept_form" not in context:
            context["accept_form"] = AcceptForm(initial=initial)
        return context


class DossierCheckView(CheckPageMixin, TemplateView):
    pass


class CheckPageActionView(RefusedBackMixin, CheckPageMixin, ServiceActionView):
    """A form of the check page (POST only). Invalid input, or a service's ValidationError,
    shows the check page again with that form under `context_name` (status 400); a refusal
    of the workflow (the dossier has moved on) is a message back on the check page."""

    context_name = ""

    def get_success_url(self) -> str:
        return reverse("evaluations:dossier_check", args=[self.dossier.pk])

    def form_invalid(self, form):
        context = self.get_context_data(form=form, **{self.context_name: form})
        return self.render_to_response(context, status=400)


class DossierReturnView(CheckPageActionView):
    form_class = ReturnReasonFormSet
    context_name = "return_formset"
    success_message = gettext_lazy("The dossier is returned to the producer.")

    def get_form_kwargs(self):
        return {
            "data": self.request.POST,
            "prefix": "reasons",
            "form_kwargs": {"item_choices": self.item_choices()},
        }

    def perform(self, form):
        return dossier_return(dossier=self.dossier, reasons=form.items(), actor=self.request.user)


class DossierForwardView(CheckPageActionView):
    """The commune's step under 1489/2025: forward to the province with the assessment."""

    form_class = ForwardForm
    context_name = "forward_form"
    success_message = gettext_lazy("The dossier is forwarded to the province.")

    def perform(self, form):
        data = form.cleaned_data
        return dossier_forward_to_province(
            dossier=self.dossier,
            samples_count=data["samples_count"],
            samples_received_on=data["samples_received_on"],
            assessment=form.assessment(),
            actor=self.request.user,
        )


class DossierAcceptView(CheckPageActionView):
    form_class = AcceptForm
    context_name = "accept_form"
    success_message = gettext_lazy("The dossier is accepted.")

    def perform(self, form):
        return dossier_accept(dossier=self.dossier, actor=self.request.user, **form.cleaned_data)


class CommuneLetterView(DossierMixin, View):
    """The commune's signed forwarding letter, to whoever may see the dossier."""

    def get(self, request, *args, **kwargs):
        assessment = commune_assessment_of(self.dossier)
        if assessment is None or not assessment.letter:
            raise Http404
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in assessment.letter_number)
        return file_response(
            assessment.letter, filename=f"{safe}.pdf", content_type="application/pdf"
        )
