"""Council sessions: the list, a session's agenda with each member's task, and the chair's
and secretary's consolidation of one product with re-scoring, discussion and finalising."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import ListView

from evaluations.councils.forms import DiscussionForm, FinaliseForm, ReopenForm
from evaluations.councils.selectors import session_view, sessions_visible_to
from evaluations.councils.services.scoring import (
    item_finalise,
    item_record_discussion,
    sheet_excuse,
    sheets_reopen,
)
from evaluations.councils.transparency import failed_minimums
from evaluations.engine.display import format_points
from evaluations.enums import ItemState
from evaluations.exceptions import EvaluationError
from evaluations.models import Session
from evaluations.rules import council_membership, is_council_member_at_all
from ocop.core.forms import LimitedTextField, add_service_errors
from ocop.core.limits import NOTE_MAX_LENGTH
from ocop.core.mixins import PermissionOr404Mixin


class SessionListView(PermissionOr404Mixin, ListView):
    template_name = "evaluations/sessions/list.html"
    context_object_name = "sessions"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            request.user.has_perm("evaluations.view_session")
            or is_council_member_at_all(request.user)
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return sessions_visible_to(self.request.user).annotate(
            item_count=Count("items", distinct=True),
            final_count=Count("items", filter=Q(items__state=ItemState.FINAL), distinct=True),
        )


class SessionMixin(PermissionOr404Mixin):
    permission_required = "evaluations.view_session"

    def get_permission_object(self):
        self.session = get_object_or_404(
            Session.objects.select_related(
                "council__unit", "round__regime", "round__criteria_version"
            ),
            pk=self.kwargs["pk"],
        )
        return self.session


class SessionDetailView(SessionMixin, View):
    """The agenda: for a member, what to do on each product; for the chair and secretary,
    who has submitted; for the working group, the progress and the results."""

    def get(self, request, *args, **kwargs):
        view = session_view(self.session)
        user = request.user
        member = view.member_for(user)
        rows = []
        for item in view.items:
            consolidation = view.consolidation(item)
            own = (
                next((m for m in consolidation.members if m.member.pk == member.pk), None)
                if member
                else None
            )
            recused_viewer = own is not None and own.recused
            rows.append(
                {
                    "item": item,
                    "own": own,
                    "recused_viewer": recused_viewer,
                    "consolidation": None if recused_viewer else consolidation,
                    "totals_visible": not recused_viewer
                    and consolidation.totals_visible_to(member),
                    "result": getattr(item, "result", None) if not recused_viewer else None,
                }
            )
        return render(
            request,
            "evaluations/sessions/detail.html",
            {
                "session": self.session,
                "council": view.council,
                "member": member,
                "members": view.members,
                "rows": rows,
                "can_prepare": user.has_perm("evaluations.prepare_session", self.session),
                "can_remind": user.has_perm("evaluations.remind_session", self.session),
                "can_consolidate": user.has_perm("evaluations.consolidate_session", self.session),
                "is_chair": member is not None and member.is_chair,
            },
        )


class ItemDetailView(SessionMixin, View):
    """One product's consolidation, for the chair and the secretary (404 for others and for
    a recused chair): members' totals, mean, spread, quorum, minimums, stars, outcome."""

    permission_required = "evaluations.consolidate_session"

    def load(self):
        view = session_view(self.session)
        self.view = view
        self.item = next((i for i in view.items if i.pk == self.kwargs["item"]), None)
        if self.item is None:
            raise Http404
        self.member = council_membership(self.request.user, self.session)
        self.consolidation = view.consolidation(self.item)
        own = next((m for m in self.consolidation.members if m.member.pk == self.member.pk), None)
        if own is not None and own.recused:
            raise Http404

    def render_page(self, *, reopen=None, discussion=None, finalise=None, excuse=None, status=200):
        consolidation = self.consolidation
        visible = consolidation.totals_visible_to(self.member)
        submitted = [m for m in consolidation.members if m.submitted and not m.recused]
        is_chair = self.member.is_chair
        scoring = self.item.state == ItemState.SCORING
        result = consolidation.result if visible else None
        minimums = []
        if result is not None and result.failed_minimums:
            minimums = failed_minimums(
                self.view.spec(self.item),
                {
                    "criteria": result.criterion_means,
                    "failed_minimums": [
                        {"criterion": r.criterion_key, "stars": r.min_stars, "points": r.points}
                        for r in result.failed_minimums
                    ],
                },
            )
        return render(
            self.request,
            "evaluations/sessions/item.html",
            {
                "session": self.session,
                "item": self.item,
                "dossier": self.item.dossier,
                "consolidation": consolidation,
                "blockers": consolidation.blockers_for(self.member),
                "result": result,
                "failed_minimums": minimums,
                "reopenings": [(m, r) for m in consolidation.members for r in m.reopenings],
                "outcome": consolidation.outcome if visible else None,
                "totals_visible": visible,
                "final": getattr(self.item, "result", None),
                "is_chair": is_chair,
                "scoring": scoring,
                "reopen_form": reopen
                or ReopenForm(sheet_choices=[(m.sheet.pk, m.member.name) for m in submitted]),
                "discussion_form": discussion
                or DiscussionForm(initial={"conclusion": self.item.discussion}),
                "finalise_form": finalise or FinaliseForm(),
                "excuse_form": excuse
                or ExcuseForm(
                    sheet_choices=[(m.sheet.pk, m.member.name) for m in consolidation.reopened]
                ),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        self.load()
        return self.render_page()


class ItemActionView(ItemDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.load()
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                message = self.act(form)
            except ValidationError as error:
                add_service_errors(form, error)
            except EvaluationError as error:
                messages.error(request, error.message)
                for problem in error.problems:
                    messages.error(request, problem)
            else:
                messages.success(request, message)
                return redirect("evaluations:item_detail", pk=self.session.pk, item=self.item.pk)
        return self.render_page(**{self.form_key: form}, status=400)


class ItemReopenView(ItemActionView):
    form_key = "reopen"

    def make_form(self, data):
        submitted = [m for m in self.consolidation.members if m.submitted and not m.recused]
        return ReopenForm(data, sheet_choices=[(m.sheet.pk, m.member.name) for m in submitted])

    def act(self, form) -> str:
        wanted = set(form.cleaned_data["sheets"])
        sheets = [s for s in self.item.sheets.all() if s.pk in wanted]
        reopened = sheets_reopen(
            item=self.item,
            sheets=sheets,
            reason=form.cleaned_data["reason"],
            actor=self.request.user,
        )
        return _("%(count)d sheet(s) reopened; the members are notified.") % {
            "count": len(reopened)
        }


class ItemDiscussionView(ItemActionView):
    form_key = "discussion"

    def make_form(self, data):
        return DiscussionForm(data)

    def act(self, form) -> str:
        item_record_discussion(
            item=self.item, conclusion=form.cleaned_data["conclusion"], actor=self.request.user
        )
        return _("The council's conclusion is recorded.")


class ItemFinaliseView(ItemActionView):
    form_key = "finalise"

    def make_form(self, data):
        return FinaliseForm(data)

    def act(self, form) -> str:
        result = item_finalise(
            item=self.item, comments=form.cleaned_data["comments"], actor=self.request.user
        )
        return _("The result is final: %(score)s points, %(stars)d★ — %(outcome)s.") % {
            "score": format_points(result.display_mean),
            "stars": result.stars,
            "outcome": result.get_outcome_display(),
        }


class ExcuseForm(forms.Form):
    """The chair excuses a member whose reopened sheet is not resubmitted."""

    sheet = forms.TypedChoiceField(label=_lazy("Member"), coerce=int, choices=())
    reason = LimitedTextField(
        label=_lazy("Reason for excusing the member"),
        max_length=NOTE_MAX_LENGTH,
        rows=2,
        error_messages={"required": _lazy("Give the reason for excusing the member.")},
    )

    def __init__(self, *args, sheet_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = sheet_choices
        self.fields["sheet"].error_messages["invalid_choice"] = _lazy(
            "Choose a member whose reopened sheet is not resubmitted."
        )


class ItemExcuseView(ItemActionView):
    form_key = "excuse"

    def make_form(self, data):
        return ExcuseForm(
            data,
            sheet_choices=[(m.sheet.pk, m.member.name) for m in self.consolidation.reopened],
        )

    def act(self, form) -> str:
        sheet = next(s for s in self.item.sheets.all() if s.pk == form.cleaned_data["sheet"])
        sheet_excuse(sheet=sheet, reason=form.cleaned_data["reason"], actor=self.request.user)
        return _("%(name)s is excused from re-scoring; the reason will be in the minutes.") % {
            "name": sheet.member.name
        }
