import rules
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from evaluations.criteria.selectors import form_spec
from evaluations.enums import DOSSIER_EDITABLE, DossierState, Level
from evaluations.exceptions import SubmissionRefused
from evaluations.intake.forms import (
    DossierCreateForm,
    DossierDocumentsForm,
    ExtendDeadlineForm,
    SelfAssessmentForm,
    WithdrawForm,
)
from evaluations.intake.selectors import (
    commune_assessment_of,
    dossier_answers,
    dossier_checklist,
    dossier_detail,
    dossier_document_ids,
    dossier_documents,
    dossier_events,
    dossier_library,
    dossier_list,
    dossier_versions,
    dossiers_visible_to,
    last_return,
    open_rounds_for_member,
    products_for_member,
    returned_criteria,
    rounds_taking_dossiers_for_member,
    self_assessment_of,
)
from evaluations.intake.selfassessment import score_or_none
from evaluations.intake.services.dossiers import (
    criterion_labels,
    dossier_create,
    dossier_extend_deadline,
    dossier_resubmit,
    dossier_save_answers,
    dossier_set_documents,
    dossier_submit,
    dossier_withdraw,
    pending_snapshot,
    submission_problems,
)
from evaluations.intake.snapshots import ValueChange, snapshot_diff
from evaluations.intake.workflow import dossier_actions
from evaluations.models import Dossier, LevelResult
from ocop.core.mixins import ObjectPermissionMixin, PermissionOr404Mixin
from ocop.core.service_views import ServiceActionView, ServiceFormView
from products.models import Product


class DossierMixin(ObjectPermissionMixin):
    """The dossier of the URL among those the user may see, else 404; with
    `permission_required`, also 404 unless the user holds it on the dossier."""

    object_name = "dossier"

    def get_queryset(self):
        return dossier_detail(dossiers_visible_to(self.request.user))


class RefusedBackMixin:
    """A workflow refusal (the dossier has moved on, it is not ready) is its message back on
    the page the form came from (`get_failure_url()`); the dossier's pages list the problems
    themselves, so they are not repeated as messages."""

    refusal_redirects = True
    refusal_lists_problems = False


class DossierListView(PermissionOr404Mixin, ListView):
    """The producer's dossiers, and the open rounds to register a product to."""

    permission_required = "evaluations.view_dossier"
    template_name = "evaluations/dossiers/list.html"
    context_object_name = "dossiers"
    paginate_by = 50

    def get_queryset(self):
        return dossier_list(dossiers_visible_to(self.request.user)).order_by("-created_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = open_rounds_for_member(self.request.user)
        context.update(
            open_rounds=rounds,
            can_register=bool(rounds)
            and rules.test_rule("evaluations.register_dossiers", self.request.user),
        )
        return context


class DossierCreateView(PermissionOr404Mixin, ServiceFormView):
    permission_required = "evaluations.add_dossier"
    template_name = "evaluations/dossiers/create.html"
    form_class = DossierCreateForm
    success_message = gettext_lazy(
        "The dossier is registered as a draft. Fill in the self-assessment next."
    )

    @cached_property
    def rounds(self):
        """The rounds the user's producers may register in (the form's choices)."""
        return rounds_taking_dossiers_for_member(self.request.user).select_related("province")

    @cached_property
    def round_list(self) -> list:
        """The same, read once for the initial choice and the offices the page names."""
        return list(self.rounds)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rounds"] = self.rounds
        kwargs["products"] = products_for_member(self.request.user)
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        raw = self.request.GET.get("round", "")
        rounds = self.round_list
        if raw.isdigit():
            initial["round"] = next((r for r in rounds if r.pk == int(raw)), None)
        elif len(rounds) == 1:
            initial["round"] = rounds[0]
        return initial

    def perform(self, form):
        return dossier_create(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("evaluations:dossier_detail", args=[self.result.pk])

    def get_context_data(self, **kwargs):
        # The registration names the office that runs each round (the province's).
        return super().get_context_data(offices=self.round_list, **kwargs)


class DossierDetailView(DossierMixin, TemplateView):
    template_name = "evaluations/dossiers/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dossier = self.dossier
        actions = dossier_actions(self.request.user, dossier)
        if dossier.import_batch_id is None:
            documents = dossier_documents(dossier)
            assessment = self_assessment_of(dossier)
            context.update(
                documents=documents,
                checklist=dossier_checklist(dossier, documents),
                score=assessment.score,
                criterion_labels=criterion_labels(assessment.spec),
            )
        else:
            # Imported from a published decision: its result only, no contents.
            context["import_batch"] = dossier.import_batch
        context.update(
            actions=actions,
            problems=submission_problems(dossier)
            if actions["submit"] or actions["resubmit"]
            else [],
            last_return=last_return(dossier) if dossier.state == DossierState.RETURNED else None,
            withdraw_form=WithdrawForm(),
            today=timezone.localdate(),
            commune_assessment=commune_assessment_of(dossier),
            timeline=dossier_events(dossier),
            central_result=LevelResult.objects.filter(dossier=dossier, level=Level.CENTRAL)
            .select_related("decision_item__certificate")
            .first(),
            can_record_central=dossier.state == DossierState.FORWARDED
            and dossier.level == Level.CENTRAL
            and self.request.user.has_perm("evaluations.record_central_result", dossier),
        )
        return context


class DossierEditView(DossierMixin, ServiceFormView):
    """A page that changes a draft (or returned) dossier: the producer's members only; once
    submitted, the page sends them back to the dossier.

    A refusal (the dossier was submitted meanwhile, evidence no longer in the library) is a
    message above the page, which keeps what was ticked."""

    permission_required = "evaluations.change_dossier"

    def get(self, request, *args, **kwargs):
        if self.dossier.state not in DOSSIER_EDITABLE:
            messages.info(request, _("This dossier is no longer a draft: it cannot be changed."))
            return redirect("evaluations:dossier_detail", pk=self.dossier.pk)
        return super().get(request, *args, **kwargs)

    def domain_error(self, form, error):
        messages.error(self.request, error.message)
        return self.form_invalid(form)


class SelfAssessmentView(DossierEditView):
    """The self-assessment: one option per criterion, notes, evidence; saved as a draft."""

    template_name = "evaluations/dossiers/self_assessment.html"
    form_class = SelfAssessmentForm
    success_message = gettext_lazy("The self-assessment is saved.")

    def get_form(self, form_class=None):
        dossier = self.dossier
        data = self.request.POST if self.request.method == "POST" else None
        return SelfAssessmentForm(
            data,
            spec=form_spec(dossier.scoring_form),
            library=dossier_library(dossier),
            stored=dossier_answers(dossier) if data is None else {},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        today = timezone.localdate()
        context.update(
            parts=form.parts(),
            library=form.library,
            expired={d.pk for d in form.library if d.is_expired(today)},
            score=score_or_none(form.spec, form.options()),
            returned_reasons=returned_criteria(self.dossier),
        )
        return context

    def perform(self, form):
        return dossier_save_answers(
            dossier=self.dossier, answers=form.answers(), actor=self.request.user
        )

    def get_success_url(self) -> str:
        return reverse("evaluations:dossier_self_assessment", args=[self.dossier.pk])


class SelfAssessmentTotalsView(DossierMixin, View):
    """htmx: the live totals of the answers being ticked, before they are saved."""

    permission_required = "evaluations.change_dossier"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        dossier = self.dossier
        form = SelfAssessmentForm(
            request.POST, spec=form_spec(dossier.scoring_form), library=[], stored={}
        )
        return render(
            request,
            "evaluations/dossiers/_totals.html",
            {"score": score_or_none(form.spec, form.options()), "spec": form.spec},
        )


class DossierDocumentsView(DossierEditView):
    """Choose from the producer's library the documents that go with the dossier."""

    template_name = "evaluations/dossiers/documents.html"
    form_class = DossierDocumentsForm
    success_message = gettext_lazy("The dossier's documents are saved.")

    def get_library(self):
        if not hasattr(self, "library"):
            self.library = list(dossier_library(self.dossier).select_related("product"))
        return self.library

    def get_initial(self):
        return {"documents": sorted(dossier_document_ids(self.dossier))}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "library": self.get_library()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        library = self.get_library()
        if form.is_bound:  # what was ticked, kept on a refusal
            selected = {int(v) for v in form.data.getlist("documents") if v.isdigit()}
        else:
            selected = set(form.initial["documents"])
        today = timezone.localdate()
        chosen = [d for d in library if d.pk in selected]
        context.update(
            library=library,
            selected=selected,
            expired={d.pk for d in library if d.is_expired(today)},
            checklist=dossier_checklist(self.dossier, chosen, today=today),
        )
        return context

    def perform(self, form):
        return dossier_set_documents(
            dossier=self.dossier, documents=form.cleaned_data["documents"], actor=self.request.user
        )

    def get_success_url(self) -> str:
        return reverse("evaluations:dossier_detail", args=[self.dossier.pk])


class DossierActionView(RefusedBackMixin, DossierMixin, ServiceActionView):
    """POST only: one workflow service, then back to the dossier with its outcome."""

    def get_success_url(self) -> str:
        return reverse("evaluations:dossier_detail", args=[self.dossier.pk])


class DossierSubmitView(DossierActionView):
    """GET: what submitting will do, and (resubmitting) what changed since the return;
    POST: submit, then the receipt."""

    permission_required = "evaluations.submit_dossier"
    http_method_names = ["get", "post"]
    template_name = "evaluations/dossiers/submit.html"
    success_message = gettext_lazy("The dossier is submitted to the working group.")
    resubmit = False

    def get(self, request, *args, **kwargs):
        dossier = self.dossier
        actions = dossier_actions(request.user, dossier)
        if not actions["resubmit" if self.resubmit else "submit"]:
            return redirect("evaluations:dossier_detail", pk=dossier.pk)
        problems = submission_problems(dossier)
        changes = None
        if self.resubmit and not problems:
            changes = changes_since_last_version(dossier)
        return self.render_to_response(
            self.get_context_data(
                dossier=dossier,
                resubmit=self.resubmit,
                problems=problems,
                changes=changes,
                last_return=last_return(dossier) if self.resubmit else None,
                criterion_labels=criterion_labels(form_spec(dossier.scoring_form)),
                receiver=dossier.first_level_unit,
            )
        )

    def perform(self, form):
        return dossier_submit(dossier=self.dossier, actor=self.request.user)

    def get_success_url(self) -> str:
        return reverse("evaluations:dossier_receipt", args=[self.dossier.pk])

    def get_failure_url(self) -> str:
        return reverse("evaluations:dossier_detail", args=[self.dossier.pk])


class DossierResubmitView(DossierSubmitView):
    resubmit = True
    success_message = gettext_lazy("The corrected dossier is resubmitted to the working group.")

    def perform(self, form):
        return dossier_resubmit(dossier=self.dossier, actor=self.request.user)


def changes_since_last_version(dossier: Dossier):
    """What resubmitting now would change from the last version sent (None before any)."""
    versions = dossier_versions(dossier)
    if not versions:
        return None
    last = versions[-1]
    try:
        pending = pending_snapshot(dossier)
    except SubmissionRefused:
        return None
    diff = snapshot_diff(
        last.snapshot,
        pending,
        old_number=last.number,
        new_number=last.number + 1,
    )
    return _named_product_fields(diff)


def _named_product_fields(diff):
    diff.product = [
        ValueChange(str(Product._meta.get_field(c.name).verbose_name), c.old, c.new)
        for c in diff.product
    ]
    return diff


class DossierReceiptView(DossierMixin, TemplateView):
    """The receipt of the last submission, to print: the dossier's code, what was sent (with
    each document's fingerprint), who received it and by when it is checked."""

    permission_required = "evaluations.view_dossier"
    template_name = "evaluations/dossiers/receipt.html"

    def get(self, request, *args, **kwargs):
        versions = dossier_versions(self.dossier)
        if not versions:
            raise Http404
        return self.render_to_response(
            self.get_context_data(dossier=self.dossier, version=versions[-1])
        )


class DossierWithdrawView(DossierActionView):
    permission_required = "evaluations.withdraw_dossier"
    form_class = WithdrawForm  # a reason past its limit: nothing is withdrawn
    success_message = gettext_lazy("The dossier is withdrawn.")

    def perform(self, form):
        return dossier_withdraw(
            dossier=self.dossier, actor=self.request.user, reason=form.cleaned_data["reason"]
        )


class DossierHistoryView(DossierMixin, TemplateView):
    """The dossier's events, and what changed between two submitted versions."""

    template_name = "evaluations/dossiers/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dossier = self.dossier
        versions = dossier_versions(dossier)
        by_number = {v.number: v for v in versions}
        diff = None
        if len(versions) >= 2:
            old = _int(self.request.GET.get("from"), versions[-2].number)
            new = _int(self.request.GET.get("to"), versions[-1].number)
            if old in by_number and new in by_number and old != new:
                diff = _named_product_fields(
                    snapshot_diff(
                        by_number[old].snapshot,
                        by_number[new].snapshot,
                        old_number=old,
                        new_number=new,
                    )
                )
        context.update(
            dossier=dossier,
            events=dossier_events(dossier),
            criterion_labels=(
                criterion_labels(form_spec(dossier.scoring_form)) if dossier.scoring_form_id else {}
            ),
            versions=versions,
            diff=diff,
            actions=dossier_actions(self.request.user, dossier),
        )
        return context


def _int(raw, default: int) -> int:
    return int(raw) if raw and str(raw).isdigit() else default


class DossierExtendView(RefusedBackMixin, DossierMixin, ServiceFormView):
    """A province officer gives one dossier more time to be submitted."""

    permission_required = "evaluations.extend_deadline"
    template_name = "evaluations/dossiers/extend.html"
    form_class = ExtendDeadlineForm
    success_message = gettext_lazy("The deadline is extended.")

    def get_initial(self):
        return {"until": self.dossier.deadline_extended_to}

    def perform(self, form):
        return dossier_extend_deadline(
            dossier=self.dossier, actor=self.request.user, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("evaluations:dossier_check", args=[self.dossier.pk])
