from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from evaluations.criteria.selectors import form_spec
from evaluations.exceptions import EvaluationError
from evaluations.intake.filters import InboxFilter
from evaluations.intake.forms import AcceptForm, ReturnReasonFormSet, return_item_choices
from evaluations.intake.selectors import dossier_answers, dossier_checklist, inbox_for, last_return
from evaluations.intake.selfassessment import score_or_none
from evaluations.intake.services.dossiers import (
    DEFAULT_SAMPLES,
    criterion_labels,
    dossier_accept,
    dossier_return,
    samples_required,
)
from evaluations.intake.views.dossiers import DossierMixin, dossier_actions
from evaluations.models import Dossier
from ocop.core.forms import add_service_errors
from ocop.core.mixins import PermissionOr404Mixin


class InboxView(PermissionOr404Mixin, ListView):
    """Dossiers received in the officer's jurisdiction, waiting ones first."""

    permission_required = "evaluations.check_dossier"
    template_name = "evaluations/inbox/list.html"
    context_object_name = "dossiers"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = InboxFilter(
            self.request.GET or None,
            queryset=inbox_for(self.request.user),
            request=self.request,
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["querystring"] = self.request.GET.urlencode()
        return context


@dataclass
class SummaryRow:
    key: str
    label: str
    depth: int
    is_leaf: bool
    option: str = ""
    points: Decimal | None = None
    note: str = ""
    documents: tuple = ()


def _summary(spec, stored, cases) -> list[dict]:
    """The self-assessment as answered: per part, per group, the criteria counted."""

    def rows(criterion, depth):
        answer = stored.get(criterion.key)
        option = (
            next((o for o in criterion.options if answer and o.key == answer.option_key), None)
            if criterion.is_leaf
            else None
        )
        yield SummaryRow(
            key=criterion.key,
            label=criterion.label,
            depth=depth,
            is_leaf=criterion.is_leaf,
            option=option.label if option else "",
            points=option.points if option else None,
            note=answer.note if answer else "",
            documents=tuple(answer.documents.all()) if answer else (),
        )
        for child in criterion.children:
            yield from rows(child, depth + 1)

    parts = []
    for part in spec.parts:
        groups = []
        for group in part.groups:
            counted = [
                c for c in group.criteria if not group.choose_one or cases.get(group.key) == c.key
            ]
            groups.append(
                {
                    "spec": group,
                    "rows": [r for c in counted for r in rows(c, 0)],
                    "counted": counted,
                }
            )
        parts.append({"spec": part, "groups": groups})
    return parts


class DossierCheckView(DossierMixin, TemplateView):
    """The working group's check: documents against the checklist, the self-assessment,
    and the Return and Accept actions where the transition table allows them."""

    permission_required = "evaluations.check_dossier"
    template_name = "evaluations/inbox/check.html"

    def get_context_data(self, return_formset=None, accept_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        dossier = self.dossier
        documents = list(dossier.documents.order_by("kind", "pk"))
        checklist = dossier_checklist(dossier, documents)
        spec = form_spec(dossier.scoring_form)
        stored = dossier_answers(dossier)
        options = {k: a.option_key for k, a in stored.items() if a.option_key}
        score = score_or_none(spec, options)
        item_choices = return_item_choices(spec=spec, checklist=checklist)
        today = timezone.localdate()
        context.update(
            dossier=dossier,
            actions=dossier_actions(self.request.user, dossier),
            documents=documents,
            expired={d.pk for d in documents if d.is_expired(today)},
            checklist=checklist,
            score=score,
            summary=_summary(spec, stored, score.chosen_cases if score else {}),
            return_formset=return_formset
            or ReturnReasonFormSet(prefix="reasons", form_kwargs={"item_choices": item_choices}),
            accept_form=accept_form or AcceptForm(initial=_accept_initial(dossier)),
            last_return=last_return(dossier),
            criterion_labels=criterion_labels(spec),
            samples_required=samples_required(dossier),
        )
        return context


def _accept_initial(dossier: Dossier) -> dict:
    return {"samples_count": DEFAULT_SAMPLES if samples_required(dossier) else 0}


class DossierReturnView(DossierCheckView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        dossier = self.dossier
        documents = list(dossier.documents.all())
        item_choices = return_item_choices(
            spec=form_spec(dossier.scoring_form),
            checklist=dossier_checklist(dossier, documents),
        )
        formset = ReturnReasonFormSet(
            request.POST, prefix="reasons", form_kwargs={"item_choices": item_choices}
        )
        if formset.is_valid():
            try:
                dossier_return(dossier=dossier, reasons=formset.items(), actor=request.user)
            except EvaluationError as error:
                messages.error(request, error.message)
                return redirect("evaluations:dossier_check", pk=dossier.pk)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(request, _("The dossier is returned to the producer."))
                return redirect("evaluations:dossier_check", pk=dossier.pk)
        context = self.get_context_data(return_formset=formset, **kwargs)
        return self.render_to_response(context, status=400)


class DossierAcceptView(DossierCheckView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        dossier = self.dossier
        form = AcceptForm(request.POST)
        if form.is_valid():
            try:
                dossier_accept(dossier=dossier, actor=request.user, **form.cleaned_data)
            except EvaluationError as error:
                messages.error(request, error.message)
                return redirect("evaluations:dossier_check", pk=dossier.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The dossier is accepted."))
                return redirect("evaluations:dossier_check", pk=dossier.pk)
        context = self.get_context_data(accept_form=form, **kwargs)
        return self.render_to_response(context, status=400)
