"""Councils and their members, and a session's preparation: the working group (or the
administrator) sets up a council, the level's working group sets up a session and puts the
ready dossiers on its agenda. Every change goes through `evaluations.councils.services`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from evaluations.councils.forms import (
    AgendaForm,
    CouncilCreateForm,
    CouncilForm,
    MemberAddForm,
    SessionCreateForm,
    SessionRescheduleForm,
)
from evaluations.councils.selectors import council_members, councils_visible_to, eligible_dossiers
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
from evaluations.enums import DossierState
from evaluations.exceptions import EvaluationError
from evaluations.intake.selectors import rounds_visible_to
from evaluations.models import Council, CouncilMember, Session
from evaluations.rules import is_council_member_at_all
from ocop.core.enums import Role
from ocop.core.forms import add_service_errors
from ocop.core.mixins import PermissionOr404Mixin


def can_create_council(user) -> bool:
    """The role allows managing councils and there is a unit to set one up for."""
    return user.has_perm("evaluations.manage_council") and bool(
        user.jurisdiction_id or user.has_role(Role.ADMINISTRATOR)
    )


class _Status400Mixin:
    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class CouncilMixin(PermissionOr404Mixin):
    """The council of the URL; 404 unless the user holds `permission_required` on it."""

    permission_required = "evaluations.view_council"

    @cached_property
    def council(self) -> Council:
        return get_object_or_404(
            Council.objects.select_related("unit__parent"), pk=self.kwargs["pk"]
        )

    def get_permission_object(self):
        return self.council

    def get_context_data(self, **kwargs):
        return super().get_context_data(council=self.council, **kwargs)


# --- councils ------------------------------------------------------------------------------


class CouncilListView(PermissionOr404Mixin, ListView):
    """The councils the user may see. Officers and administrators hold the permission through
    their role; a member without a role sees the councils they sit on."""

    template_name = "evaluations/councils/list.html"
    context_object_name = "councils"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and not user.has_perm("evaluations.view_council")
            and not is_council_member_at_all(user)
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        # A subquery, not Count("members"): the visibility filter joins the members and would
        # count only the user's own row.
        member_count = (
            CouncilMember.objects.filter(council=OuterRef("pk"))
            .order_by()
            .values("council")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return councils_visible_to(self.request.user).annotate(
            member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0)
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_create=can_create_council(self.request.user), **kwargs)


class CouncilCreateView(_Status400Mixin, PermissionOr404Mixin, FormView):
    template_name = "evaluations/councils/form.html"
    form_class = CouncilCreateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_create_council(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self):
        user = self.request.user
        if user.jurisdiction_id and user.is_officer:
            return {"level": user.jurisdiction.level, "unit": user.jurisdiction_id}
        return {}

    def form_valid(self, form):
        try:
            council = council_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied:
            form.add_error("unit", _("You may not set up a council for this unit."))
            return self.form_invalid(form)
        messages.success(self.request, _("The council is set up. Now add its members."))
        return redirect("evaluations:council_detail", pk=council.pk)


class CouncilDetailView(CouncilMixin, TemplateView):
    template_name = "evaluations/councils/detail.html"

    def get_context_data(self, member_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        council = self.council
        can_manage = user.has_perm("evaluations.manage_council", council)
        context.update(
            members=council_members(council),
            sessions=council.sessions.select_related("round")
            .annotate(product_count=Count("items"))
            .order_by("-date", "-pk"),
            can_manage=can_manage,
            can_prepare=user.has_perm("evaluations.prepare_session", council),
            member_form=(member_form or MemberAddForm()) if can_manage else None,
        )
        return context


class CouncilEditView(_Status400Mixin, CouncilMixin, FormView):
    permission_required = "evaluations.manage_council"
    template_name = "evaluations/councils/form.html"
    form_class = CouncilForm

    def get_initial(self):
        return CouncilForm.initial_from(self.council)

    def form_valid(self, form):
        try:
            council_update(council=self.council, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The council is saved."))
        return redirect("evaluations:council_detail", pk=self.council.pk)


class CouncilMemberAddView(CouncilDetailView):
    permission_required = "evaluations.manage_council"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = MemberAddForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = council_add_member(
                    council=self.council,
                    user=data["user"],
                    role=data["role"],
                    organisation=data["organisation"],
                    title=data["title"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error, field_map={"user": "username"})
            else:
                messages.success(
                    request,
                    _("%(name)s is now a member of the council.") % {"name": member.name},
                )
                return redirect("evaluations:council_detail", pk=self.council.pk)
        context = self.get_context_data(member_form=form, **kwargs)
        return self.render_to_response(context, status=400)


class CouncilMemberRemoveView(CouncilMixin, View):
    permission_required = "evaluations.manage_council"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        member = get_object_or_404(
            CouncilMember.objects.select_related("user"),
            pk=kwargs["member"],
            council=self.council,
        )
        try:
            council_remove_member(member=member, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s is no longer a member of the council.") % {"name": member.name}
            )
        return redirect("evaluations:council_detail", pk=self.council.pk)


# --- session preparation --------------------------------------------------------------------


class SessionCreateView(_Status400Mixin, CouncilMixin, FormView):
    """The council level's working group sets up a meeting for a round."""

    permission_required = "evaluations.prepare_session"
    template_name = "evaluations/sessions/create.html"
    form_class = SessionCreateForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"rounds": rounds_visible_to(self.request.user)}

    def form_valid(self, form):
        try:
            session = session_create(
                council=self.council, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The session is set up. Choose the products for its agenda.")
        )
        return redirect("evaluations:session_agenda", pk=session.pk)


class SessionRescheduleView(_Status400Mixin, PermissionOr404Mixin, FormView):
    """The working group moves the session to another date (audited)."""

    permission_required = "evaluations.prepare_session"
    template_name = "evaluations/sessions/reschedule.html"
    form_class = SessionRescheduleForm

    @cached_property
    def session(self) -> Session:
        return get_object_or_404(Session.objects.select_related("council"), pk=self.kwargs["pk"])

    def get_permission_object(self):
        return self.session

    def get_initial(self):
        return {"date": self.session.date}

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)

    def form_valid(self, form):
        try:
            session_reschedule(
                session=self.session, date=form.cleaned_data["date"], actor=self.request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The session's date is saved."))
        return redirect("evaluations:session_detail", pk=self.session.pk)


class SessionAgendaView(PermissionOr404Mixin, TemplateView):
    """The products ready for the session's council (accepted at its level, or forwarded from
    the level below), to put on the agenda; and those already on it."""

    permission_required = "evaluations.prepare_session"
    template_name = "evaluations/sessions/agenda.html"

    @cached_property
    def session(self) -> Session:
        return get_object_or_404(
            Session.objects.select_related("council__unit", "round"), pk=self.kwargs["pk"]
        )

    def get_permission_object(self):
        return self.session

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        form = form or AgendaForm(session=session)
        context.update(
            session=session,
            council=session.council,
            form=form,
            selected=form.selected_ids(),
            eligible=list(eligible_dossiers(session)),
            agenda=list(
                session.items.select_related(
                    "dossier__product__producer", "dossier__product__product_set"
                ).order_by("order", "pk")
            ),
            forwarded=DossierState.FORWARDED,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = AgendaForm(request.POST, session=self.session)
        if form.is_valid():
            try:
                items = session_add_dossiers(
                    session=self.session, dossiers=form.cleaned_data["dossiers"], actor=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except EvaluationError as error:
                for text in (error.message, *error.problems):
                    form.add_error(None, text)
            else:
                messages.success(
                    request,
                    _("%(count)d product(s) put on the agenda; the members were notified.")
                    % {"count": len(items)},
                )
                return redirect("evaluations:session_detail", pk=self.session.pk)
        return self.render_to_response(self.get_context_data(form=form, **kwargs), status=400)
