"""Council sessions: the list, a session's agenda with each member's task, and the chair's
and secretary's consolidation of one product with re-scoring, discussion and finalising."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from evaluations.councils.consolidation import ItemConsolidation
from evaluations.councils.forms import DiscussionForm, ExcuseForm, FinaliseForm, ReopenForm
from evaluations.councils.selectors import SessionView, session_list, session_view
from evaluations.councils.services.scoring import (
    item_finalise,
    item_record_discussion,
    sheet_excuse,
    sheets_reopen,
)
from evaluations.councils.transparency import failed_minimums
from evaluations.councils.views.mixins import ItemMixin, SessionMixin
from evaluations.councils.workflow import item_actions
from evaluations.engine.display import format_points
from evaluations.enums import ItemState
from evaluations.models import SessionItem
from ocop.core.mixins import PermissionOr404Mixin
from ocop.core.service_views import ServiceFormView


class SessionListView(PermissionOr404Mixin, ListView):
    """The sessions of the councils the user sits on or oversees."""

    permission_required = "evaluations.list_sessions"
    template_name = "evaluations/sessions/list.html"
    context_object_name = "sessions"
    paginate_by = 50

    def get_queryset(self):
        return session_list(self.request.user)


class SessionDetailView(SessionMixin, TemplateView):
    """The agenda: for a member, what to do on each product; for the chair and secretary,
    who has submitted; for the working group, the progress and the results."""

    template_name = "evaluations/sessions/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        view = session_view(self.session)
        user = self.request.user
        member = view.member_for(user)
        context.update(
            council=view.council,
            member=member,
            members=view.members,
            rows=view.agenda_rows(member),
            can_prepare=user.has_perm("evaluations.prepare_session", self.session),
            can_remind=user.has_perm("evaluations.remind_session", self.session),
            can_consolidate=user.has_perm("evaluations.consolidate_session", self.session),
            is_chair=member is not None and member.is_chair,
        )
        return context


class ConsolidationMixin(ItemMixin):
    """One product's consolidation, for the council's chair and secretary (404 for others
    and for a recused chair): members' totals, mean, spread, quorum, minimums, stars,
    outcome, and the chair's forms."""

    permission_required = "evaluations.consolidate_item"
    template_name = "evaluations/sessions/item.html"

    @cached_property
    def session_data(self) -> SessionView:
        return session_view(self.session)

    @cached_property
    def agenda_item(self) -> SessionItem:
        """The item as the session's view read it (declarations, sheets, re-scorings)."""
        return next(i for i in self.session_data.items if i.pk == self.item.pk)

    @cached_property
    def consolidation(self) -> ItemConsolidation:
        if self.member is None:  # a superuser outside the council: nothing to show
            raise Http404
        return self.session_data.consolidation(self.agenda_item)

    def reopen_choices(self) -> list[tuple[int, str]]:
        """The submitted sheets of members not recused."""
        members = self.consolidation.members
        return [(m.sheet.pk, m.member.name) for m in members if m.submitted and not m.recused]

    def excuse_choices(self) -> list[tuple[int, str]]:
        """The reopened sheets not resubmitted."""
        return [(m.sheet.pk, m.member.name) for m in self.consolidation.reopened]

    def blank_forms(self) -> dict:
        return {
            "reopen_form": ReopenForm(sheet_choices=self.reopen_choices()),
            "discussion_form": DiscussionForm(initial={"conclusion": self.agenda_item.discussion}),
            "finalise_form": FinaliseForm(),
            "excuse_form": ExcuseForm(sheet_choices=self.excuse_choices()),
        }

    def get_context_data(self, **kwargs):
        item, member, consolidation = self.agenda_item, self.member, self.consolidation
        visible = consolidation.totals_visible_to(member)
        result = consolidation.result if visible else None
        minimums = []
        if result is not None and result.failed_minimums:
            minimums = failed_minimums(
                self.session_data.spec(item),
                {
                    "criteria": result.criterion_means,
                    "failed_minimums": [
                        {"criterion": r.criterion_key, "stars": r.min_stars, "points": r.points}
                        for r in result.failed_minimums
                    ],
                },
            )
        for key, form in self.blank_forms().items():
            kwargs.setdefault(key, form)
        kwargs.update(
            item=item,
            dossier=item.dossier,
            consolidation=consolidation,
            blockers=consolidation.blockers_for(member),
            result=result,
            failed_minimums=minimums,
            reopenings=[(m, r) for m in consolidation.members for r in m.reopenings],
            outcome=consolidation.outcome if visible else None,
            totals_visible=visible,
            final=getattr(item, "result", None),
            actions=item_actions(self.request.user, item, member=member),
            scoring=item.state == ItemState.SCORING,
        )
        return super().get_context_data(**kwargs)


class ItemDetailView(ConsolidationMixin, TemplateView):
    """The consolidation page."""


class ItemActionView(ConsolidationMixin, ServiceFormView):
    """One of the chair's forms on the consolidation page: a refusal shows the page again
    with the form as typed and the reason as a message (400). The secretary, who sees the
    page, may not act (403)."""

    http_method_names = ["post"]
    #: The form's name in the page's context.
    form_key = ""

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("evaluations.finalise_session", self.item):
            raise PermissionDenied(_("Only the council's chair may do this."))
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs[self.form_key] = kwargs["form"]
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        return reverse("evaluations:item_detail", args=[self.session.pk, self.item.pk])

    def domain_error(self, form, error):
        for text in error.messages:
            messages.error(self.request, text)
        return self.form_invalid(form)


class ItemReopenView(ItemActionView):
    form_key = "reopen_form"

    def get_form(self, form_class=None):
        return ReopenForm(self.request.POST, sheet_choices=self.reopen_choices())

    def perform(self, form):
        wanted = set(form.cleaned_data["sheets"])
        sheets = [s for s in self.agenda_item.sheets.all() if s.pk in wanted]
        return sheets_reopen(
            item=self.agenda_item,
            sheets=sheets,
            reason=form.cleaned_data["reason"],
            actor=self.request.user,
        )

    def get_success_message(self, form) -> str:
        return _("%(count)d sheet(s) reopened; the members are notified.") % {
            "count": len(self.result)
        }


class ItemDiscussionView(ItemActionView):
    form_key = "discussion_form"

    def get_form(self, form_class=None):
        return DiscussionForm(self.request.POST)

    def perform(self, form):
        return item_record_discussion(
            item=self.agenda_item,
            conclusion=form.cleaned_data["conclusion"],
            actor=self.request.user,
        )

    def get_success_message(self, form) -> str:
        return _("The council's conclusion is recorded.")


class ItemFinaliseView(ItemActionView):
    form_key = "finalise_form"

    def get_form(self, form_class=None):
        return FinaliseForm(self.request.POST)

    def perform(self, form):
        return item_finalise(
            item=self.agenda_item, comments=form.cleaned_data["comments"], actor=self.request.user
        )

    def get_success_message(self, form) -> str:
        return _("The result is final: %(score)s points, %(stars)d★ — %(outcome)s.") % {
            "score": format_points(self.result.display_mean),
            "stars": self.result.stars,
            "outcome": self.result.get_outcome_display(),
        }


class ItemExcuseView(ItemActionView):
    form_key = "excuse_form"

    def get_form(self, form_class=None):
        return ExcuseForm(self.request.POST, sheet_choices=self.excuse_choices())

    def perform(self, form):
        self.sheet = next(
            s for s in self.agenda_item.sheets.all() if s.pk == form.cleaned_data["sheet"]
        )
        return sheet_excuse(
            sheet=self.sheet, reason=form.cleaned_data["reason"], actor=self.request.user
        )

    def get_success_message(self, form) -> str:
        return _("%(name)s is excused from re-scoring; the reason will be in the minutes.") % {
            "name": self.sheet.member.name
        }
