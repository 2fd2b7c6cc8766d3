"""Councils and their members, and a session's preparation: the working group (or the
administrator) sets up a council, the level's working group sets up a session and puts the
ready dossiers on its agenda. Every change goes through `evaluations.councils.services`."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from evaluations.councils.forms import (
    AgendaForm,
    CouncilCreateForm,
    CouncilForm,
    MemberAddForm,
    SessionCreateForm,
    SessionRescheduleForm,
)
from evaluations.councils.selectors import (
    agenda_items,
    council_list,
    council_member,
    council_members,
    council_sessions,
    eligible_dossiers,
)
from evaluations.councils.services.councils import (
    council_add_member,
    council_create,
    council_remove_member,
    council_update,
)
from evaluations.councils.services.sessions import (
    session_add_dossiers,
    session_create,
    session_reschedule,
)
from evaluations.councils.views.mixins import CouncilMixin, SessionMixin
from evaluations.enums import DossierState
from evaluations.intake.selectors import rounds_visible_to
from evaluations.models import CouncilMember
from ocop.core.mixins import PermissionOr404Mixin
from ocop.core.selectors import officer_unit_id
from ocop.core.service_views import ServiceActionView, ServiceFormView

# --- councils ------------------------------------------------------------------------------


class CouncilListView(PermissionOr404Mixin, ListView):
    """The councils the user may see. Officers and administrators hold the permission through
    their role; a member without a role sees the councils they sit on."""

    permission_required = "evaluations.list_councils"
    template_name = "evaluations/councils/list.html"
    context_object_name = "councils"
    paginate_by = 50

    def get_queryset(self):
        return council_list(self.request.user)

    def get_context_data(self, **kwargs):
        can_create = rules.test_rule("evaluations.add_council", self.request.user)
        return super().get_context_data(can_create=can_create, **kwargs)


class CouncilCreateView(PermissionOr404Mixin, ServiceFormView):
    template_name = "evaluations/councils/form.html"
    form_class = CouncilCreateForm
    success_message = gettext_lazy("The council is set up. Now add its members.")

    # A rule, not a permission: a superuser needs the role and a unit too.
    rule_required = "evaluations.add_council"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self):
        unit_id = officer_unit_id(self.request.user)
        if unit_id:
            return {"level": self.request.user.jurisdiction.level, "unit": unit_id}
        return {}

    def perform(self, form):
        try:
            return council_create(actor=self.request.user, **form.cleaned_data)
        except PermissionDenied as error:
            raise ValidationError(
                {"unit": _("You may not set up a council for this unit.")}
            ) from error

    def get_success_url(self) -> str:
        return reverse("evaluations:council_detail", args=[self.result.pk])


class CouncilPageMixin(CouncilMixin):
    """The council's page: its members, its sessions and, for its managers, the form to add a
    member (`member_form`)."""

    template_name = "evaluations/councils/detail.html"

    def get_context_data(self, member_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user, council = self.request.user, self.council
        can_manage = user.has_perm("evaluations.manage_council", council)
        context.update(
            members=council_members(council),
            sessions=council_sessions(council),
            can_manage=can_manage,
            can_prepare=user.has_perm("evaluations.prepare_session", council),
            member_form=(member_form or MemberAddForm()) if can_manage else None,
        )
        return context


class CouncilDetailView(CouncilPageMixin, TemplateView):
    """The council's page."""


class CouncilEditView(CouncilMixin, ServiceFormView):
    permission_required = "evaluations.manage_council"
    template_name = "evaluations/councils/form.html"
    form_class = CouncilForm
    success_message = gettext_lazy("The council is saved.")

    def get_initial(self):
        return CouncilForm.initial_from(self.council)

    def perform(self, form):
        return council_update(council=self.council, actor=self.request.user, **form.cleaned_data)


class CouncilMemberAddView(CouncilPageMixin, ServiceFormView):
    """The form on the council's page; a refusal shows that page again with the input."""

    permission_required = "evaluations.manage_council"
    http_method_names = ["post"]
    form_class = MemberAddForm
    service_field_map = {"user": "username"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(member_form=kwargs.get("form"), **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return council_add_member(
            council=self.council,
            user=data["user"],
            role=data["role"],
            organisation=data["organisation"],
            title=data["title"],
            actor=self.request.user,
        )

    def get_success_message(self, form) -> str:
        return _("%(name)s is now a member of the council.") % {"name": self.result.name}


class CouncilMemberRemoveView(CouncilMixin, ServiceActionView):
    permission_required = "evaluations.manage_council"

    @cached_property
    def member(self) -> CouncilMember:
        member = council_member(self.council, self.kwargs["member"])
        if member is None:
            raise Http404
        return member

    def perform(self, form):
        return council_remove_member(member=self.member, actor=self.request.user)

    def get_success_message(self, form) -> str:
        return _("%(name)s is no longer a member of the council.") % {"name": self.member.name}


# --- session preparation --------------------------------------------------------------------


class SessionCreateView(CouncilMixin, ServiceFormView):
    """The council level's working group sets up a meeting for a round."""

    permission_required = "evaluations.prepare_session"
    template_name = "evaluations/sessions/create.html"
    form_class = SessionCreateForm
    success_message = gettext_lazy("The session is set up. Choose the products for its agenda.")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"rounds": rounds_visible_to(self.request.user)}

    def perform(self, form):
        return session_create(council=self.council, actor=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("evaluations:session_agenda", args=[self.result.pk])


class SessionRescheduleView(SessionMixin, ServiceFormView):
    """The working group moves the session to another date (audited)."""

    permission_required = "evaluations.prepare_session"
    template_name = "evaluations/sessions/reschedule.html"
    form_class = SessionRescheduleForm
    success_message = gettext_lazy("The session's date is saved.")

    def get_initial(self):
        return {"date": self.session.date}

    def perform(self, form):
        return session_reschedule(
            session=self.session, date=form.cleaned_data["date"], actor=self.request.user
        )


class SessionAgendaView(SessionMixin, ServiceFormView):
    """The products ready for the session's council (accepted at its level, or forwarded from
    the level below), to put on the agenda; and those already on it."""

    permission_required = "evaluations.prepare_session"
    template_name = "evaluations/sessions/agenda.html"
    form_class = AgendaForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"session": self.session}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        context.update(
            council=session.council,
            selected=context["form"].selected_ids(),
            eligible=list(eligible_dossiers(session)),
            agenda=agenda_items(session),
            forwarded=DossierState.FORWARDED,
        )
        return context

    def perform(self, form):
        return session_add_dossiers(
            session=self.session, dossiers=form.cleaned_data["dossiers"], actor=self.request.user
        )

    def get_success_message(self, form) -> str:
        return _("%(count)d product(s) put on the agenda; the members were notified.") % {
            "count": len(self.result)
        }
