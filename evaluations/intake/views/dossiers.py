from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from evaluations.criteria.selectors import form_spec
from evaluations.enums import DOSSIER_EDITABLE, DossierState, ReturnItemKind
from evaluations.exceptions import EvaluationError
from evaluations.intake.forms import (
    DossierCreateForm,
    DossierDocumentsForm,
    ExtendDeadlineForm,
    SelfAssessmentForm,
    WithdrawForm,
)
from evaluations.intake.selectors import (
    dossier_answers,
    dossier_checklist,
    dossier_detail,
    dossier_events,
    dossier_list,
    dossiers_visible_to,
    last_return,
    library_documents,
    open_rounds_for_producer,
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
    submission_problems,
)
from evaluations.intake.snapshots import ValueChange, snapshot_diff
from evaluations.intake.workflow import dossier_can_move
from evaluations.models import Dossier, DossierVersion, Round
from ocop.core.forms import add_service_errors
from ocop.core.mixins import ObjectPermissionMixin, PermissionOr404Mixin
from ocop.core.service_views import ServiceActionView
from products.models import Producer, Product
from products.selectors import member_producer_ids, member_province_ids


class DossierMixin(ObjectPermissionMixin):
    """The dossier of the URL among those the user may see, else 404; with
    `permission_required`, also 404 unless the user holds it on the dossier."""

    object_name = "dossier"

    def get_queryset(self):
        return dossier_detail(dossiers_visible_to(self.request.user))


def dossier_actions(user, dossier: Dossier) -> dict[str, bool]:
    """Which buttons to show: what the transition table allows from the current state, for
    what this user may do."""
    state = dossier.state
    producer = user.has_perm("evaluations.submit_dossier", dossier)
    checker = user.has_perm("evaluations.check_dossier", dossier)
    return {
        "edit": state in DOSSIER_EDITABLE and user.has_perm("evaluations.change_dossier", dossier),
        "submit": producer and dossier_can_move(state, DossierState.SUBMITTED),
        "resubmit": producer and dossier_can_move(state, DossierState.RESUBMITTED),
        "withdraw": user.has_perm("evaluations.withdraw_dossier", dossier)
        and dossier_can_move(state, DossierState.WITHDRAWN),
        "check": checker,
        "return": checker and dossier_can_move(state, DossierState.RETURNED),
        "accept": checker and dossier_can_move(state, DossierState.ACCEPTED),
        "extend": state in DOSSIER_EDITABLE
        and user.has_perm("evaluations.extend_deadline", dossier),
    }


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
        user = self.request.user
        producers = Producer.objects.filter(pk__in=member_producer_ids(user)).select_related(
            "address_unit__parent__parent"
        )
        rounds = {}
        for producer in producers:
            for round_obj in open_rounds_for_producer(producer):
                rounds[round_obj.pk] = round_obj
        context.update(
            open_rounds=list(rounds.values()),
            can_register=user.has_perm("evaluations.add_dossier") and bool(rounds),
        )
        return context


class DossierCreateView(PermissionOr404Mixin, FormView):
    permission_required = "evaluations.add_dossier"
    template_name = "evaluations/dossiers/create.html"
    form_class = DossierCreateForm

    def _rounds(self):
        user = self.request.user
        province_ids = member_province_ids(user)
        return Round.objects.filter(
            province_id__in=province_ids, submission_deadline__gte=timezone.localdate()
        ).order_by("submission_deadline")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rounds"] = self._rounds()
        kwargs["products"] = (
            Product.objects.filter(producer_id__in=member_producer_ids(self.request.user))
            .select_related("product_set")
            .order_by("name")
        )
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        raw = self.request.GET.get("round", "")
        rounds = list(self._rounds())
        if raw.isdigit():
            initial["round"] = next((r for r in rounds if r.pk == int(raw)), None)
        elif len(rounds) == 1:
            initial["round"] = rounds[0]
        return initial

    def form_valid(self, form):
        try:
            dossier = dossier_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The dossier is registered as a draft. Fill in the self-assessment next."),
        )
        return redirect("evaluations:dossier_detail", pk=dossier.pk)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class DossierDetailView(DossierMixin, TemplateView):
    template_name = "evaluations/dossiers/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dossier = self.dossier
        user = self.request.user
        documents = list(dossier.documents.order_by("kind", "pk"))
        actions = dossier_actions(user, dossier)
        stored = dossier_answers(dossier)
        spec = form_spec(dossier.scoring_form)
        options = {k: a.option_key for k, a in stored.items() if a.option_key}
        context.update(
            dossier=dossier,
            actions=actions,
            documents=documents,
            checklist=dossier_checklist(dossier, documents),
            score=score_or_none(spec, options),
            problems=submission_problems(dossier)
            if actions["submit"] or actions["resubmit"]
            else [],
            last_return=last_return(dossier) if dossier.state == DossierState.RETURNED else None,
            criterion_labels=criterion_labels(spec),
            withdraw_form=WithdrawForm(),
            today=timezone.localdate(),
        )
        return context


def _returned_criteria(dossier: Dossier) -> dict[str, list[str]]:
    """Criterion key → the working group's reasons, while the dossier is returned."""
    if dossier.state != DossierState.RETURNED:
        return {}
    event = last_return(dossier)
    reasons: dict[str, list[str]] = {}
    for reason in event.reasons.all() if event else []:
        if reason.item_kind == ReturnItemKind.CRITERION:
            reasons.setdefault(reason.item_ref, []).append(reason.reason)
    return reasons


class SelfAssessmentView(DossierMixin, View):
    """The self-assessment: one option per criterion, notes, evidence; saved as a draft."""

    permission_required = "evaluations.change_dossier"
    template_name = "evaluations/dossiers/self_assessment.html"

    def _form(self, data=None):
        dossier = self.dossier
        return SelfAssessmentForm(
            data,
            spec=form_spec(dossier.scoring_form),
            library=library_documents(dossier.product),
            stored=dossier_answers(dossier) if data is None else {},
        )

    def _render(self, form, status=200):
        dossier = self.dossier
        today = timezone.localdate()
        return render(
            self.request,
            self.template_name,
            {
                "dossier": dossier,
                "form": form,
                "parts": form.parts(),
                "library": form.library,
                "expired": {d.pk for d in form.library if d.is_expired(today)},
                "score": score_or_none(form.spec, form.options()),
                "returned_reasons": _returned_criteria(dossier),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        dossier = self.dossier
        if dossier.state not in DOSSIER_EDITABLE:
            messages.info(request, _("This dossier is no longer a draft: it cannot be changed."))
            return redirect("evaluations:dossier_detail", pk=dossier.pk)
        return self._render(self._form())

    def post(self, request, *args, **kwargs):
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            dossier_save_answers(dossier=self.dossier, answers=form.answers(), actor=request.user)
        except EvaluationError as error:
            messages.error(request, error.message)
            return self._render(form, status=400)
        messages.success(request, _("The self-assessment is saved."))
        return redirect("evaluations:dossier_self_assessment", pk=self.dossier.pk)


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


class DossierDocumentsView(DossierMixin, View):
    """Choose from the producer's library the documents that go with the dossier."""

    permission_required = "evaluations.change_dossier"
    template_name = "evaluations/dossiers/documents.html"

    def _render(self, form, library, selected, status=200):
        dossier = self.dossier
        today = timezone.localdate()
        chosen = [d for d in library if d.pk in selected]
        return render(
            self.request,
            self.template_name,
            {
                "dossier": dossier,
                "form": form,
                "library": library,
                "selected": selected,
                "expired": {d.pk for d in library if d.is_expired(today)},
                "checklist": dossier_checklist(dossier, chosen, today=today),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        dossier = self.dossier
        if dossier.state not in DOSSIER_EDITABLE:
            messages.info(request, _("This dossier is no longer a draft: it cannot be changed."))
            return redirect("evaluations:dossier_detail", pk=dossier.pk)
        library = list(library_documents(dossier.product).select_related("product"))
        selected = set(dossier.documents.values_list("pk", flat=True))
        form = DossierDocumentsForm(library=library, initial={"documents": sorted(selected)})
        return self._render(form, library, selected)

    def post(self, request, *args, **kwargs):
        dossier = self.dossier
        library = list(library_documents(dossier.product).select_related("product"))
        form = DossierDocumentsForm(request.POST, library=library)
        if not form.is_valid():
            posted = {int(v) for v in request.POST.getlist("documents") if v.isdigit()}
            return self._render(form, library, posted, status=400)
        try:
            dossier_set_documents(
                dossier=dossier, documents=form.cleaned_data["documents"], actor=request.user
            )
        except EvaluationError as error:
            messages.error(request, error.message)
            return self._render(form, library, set(form.cleaned_data["documents"]), status=400)
        messages.success(request, _("The dossier's documents are saved."))
        return redirect("evaluations:dossier_detail", pk=dossier.pk)


class DossierActionView(DossierMixin, ServiceActionView):
    """POST only: one workflow service, then back to the dossier with its outcome."""

    def get_success_url(self) -> str:
        return reverse("evaluations:dossier_detail", args=[self.dossier.pk])


class DossierSubmitView(DossierActionView):
    permission_required = "evaluations.submit_dossier"
    success_message = gettext_lazy("The dossier is submitted to the working group.")

    def perform(self, form):
        return dossier_submit(dossier=self.dossier, actor=self.request.user)


class DossierResubmitView(DossierActionView):
    permission_required = "evaluations.submit_dossier"
    success_message = gettext_lazy("The corrected dossier is resubmitted to the working group.")

    def perform(self, form):
        return dossier_resubmit(dossier=self.dossier, actor=self.request.user)


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
        versions = list(
            DossierVersion.objects.filter(dossier=dossier)
            .select_related("submitted_by")
            .order_by("number")
        )
        by_number = {v.number: v for v in versions}
        diff = None
        if len(versions) >= 2:
            old = _int(self.request.GET.get("from"), versions[-2].number)
            new = _int(self.request.GET.get("to"), versions[-1].number)
            if old in by_number and new in by_number and old != new:
                diff = snapshot_diff(
                    by_number[old].snapshot,
                    by_number[new].snapshot,
                    old_number=old,
                    new_number=new,
                )
                diff.product = [
                    ValueChange(str(Product._meta.get_field(c.name).verbose_name), c.old, c.new)
                    for c in diff.product
                ]
        context.update(
            dossier=dossier,
            events=dossier_events(dossier),
            criterion_labels=criterion_labels(form_spec(dossier.scoring_form)),
            versions=versions,
            diff=diff,
            actions=dossier_actions(self.request.user, dossier),
        )
        return context


def _int(raw, default: int) -> int:
    return int(raw) if raw and str(raw).isdigit() else default


class DossierExtendView(DossierMixin, FormView):
    """A province officer gives one dossier more time to be submitted."""

    permission_required = "evaluations.extend_deadline"
    template_name = "evaluations/dossiers/extend.html"
    form_class = ExtendDeadlineForm

    def get_initial(self):
        dossier = self.dossier
        return {"until": dossier.deadline_extended_to}

    def get_context_data(self, **kwargs):
        return super().get_context_data(dossier=self.dossier, **kwargs)

    def form_valid(self, form):
        dossier = self.dossier
        try:
            dossier_extend_deadline(dossier=dossier, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except EvaluationError as error:
            messages.error(self.request, error.message)
            return redirect("evaluations:dossier_check", pk=dossier.pk)
        messages.success(self.request, _("The deadline is extended."))
        return redirect("evaluations:dossier_check", pk=dossier.pk)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


# --- the working group's inbox ------------------------------------------------------------
