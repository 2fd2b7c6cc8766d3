import logging
from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, ListView, RedirectView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from ocop.core.audit import verify_audit_chain
from ocop.core.db_router import (
    PRIMARY,
    REPLICA,
    replica_failed,
    replica_in_use,
    replica_marked_down,
)
from ocop.core.desk import DUE_SOON_DAYS, desk_sections
from ocop.core.enums import DeletionRequestState, Role, UnitLevel, UnitScheme
from ocop.core.forms import (
    DeletionRefusalForm,
    DeletionRequestForm,
    ProfileForm,
    ThrottledPasswordResetForm,
    UnitLookupForm,
    add_service_errors,
)
from ocop.core.mixins import PermissionOr404Mixin
from ocop.core.models import AdministrativeUnit
from ocop.core.models.units import scheme_in_force
from ocop.core.public_cache import public_page
from ocop.core.selectors import (
    audit_entries_for,
    deletion_requests_for,
    failed_tasks_for,
    notifications_for,
    units_now,
)
from ocop.core.services.privacy import (
    deletion_request_carry_out,
    deletion_request_create,
    deletion_request_refuse,
    personal_data_erasure_blockers,
    personal_data_export,
)
from ocop.core.services.tasks import task_retry
from ocop.core.services.users import PROFILE_FIELDS, user_update_profile
from ocop.core.tasks import error_message, task_attempt, task_label

logger = logging.getLogger(__name__)


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on pages without an icon link (the admin)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("img/favicon.svg")


class HealthView(View):
    """/healthz/ for a load balancer: 200 while this app server can reach the primary
    database (one `SELECT 1`), 503 when it cannot; public, never cached, no session, no
    template. A replica, when one is set, is reported in the body but does not fail the check:
    every server shares it, and taking them all out of the pool would stop the officers' work
    too (docs/scaling.md)."""

    def get(self, request):
        checks = {PRIMARY: _database_answers(PRIMARY)}
        if replica_in_use():
            # Not asked again while this process already reads the primary only (it would
            # wait for the replica's connect timeout at each check); a failure here spares
            # the next public requests the same wait.
            checks[REPLICA] = not replica_marked_down() and _database_answers(REPLICA)
            if not checks[REPLICA]:
                replica_failed()
        healthy = checks[PRIMARY]
        response = JsonResponse(
            {
                "status": "ok" if healthy else "unavailable",
                "databases": {alias: "ok" if ok else "unavailable" for alias, ok in checks.items()},
            },
            status=200 if healthy else 503,
        )
        response["Cache-Control"] = "no-store"
        response.language_neutral = True
        return response


def _database_answers(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("Health check: the database %r does not answer.", alias, exc_info=True)
        return False


@method_decorator(public_page, name="dispatch")
class HomeView(TemplateView):
    template_name = "core/home.html"


class LanguageView(View):
    """The language switch, a plain link (decision 0033): /language/en/?next=/catalogue/ sets
    the language cookie and goes back to `next` (a path of this site; else the page the link
    was on, else the home page). No form, so public pages carry no CSRF token and are kept
    whole in the cache. An unknown language answers 404."""

    def get(self, request, code: str):
        if code not in dict(settings.LANGUAGES):
            raise Http404
        response = HttpResponseRedirect(self._next(request))
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _next(request) -> str:
        for candidate in (request.GET.get("next"), request.META.get("HTTP_REFERER")):
            if candidate and url_has_allowed_host_and_scheme(
                candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                return candidate
        return reverse("home")


class DashboardView(LoginRequiredMixin, TemplateView):
    """The desk: what this person must do now, most urgent first (ocop.core.desk)."""

    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        context.update(
            jurisdiction_path=user.jurisdiction.full_path if user.jurisdiction_id else "",
            sections=desk_sections(user, today),
            today=today,
            soon=today + timedelta(days=DUE_SOON_DAYS),
        )
        return context


class ProfileView(LoginRequiredMixin, FormView):
    template_name = "core/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("core:profile")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.request.user
        return kwargs

    def form_valid(self, form):
        user_update_profile(
            user=self.request.user,
            actor=self.request.user,
            **{f: form.cleaned_data[f] for f in PROFILE_FIELDS},
        )
        messages.success(self.request, _("Your profile was saved."))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deletion_request"] = self.request.user.deletion_requests.first()
        return context


class UnitBrowseView(PermissionOr404Mixin, TemplateView):
    """Look up a province, district or commune and list what lies under it."""

    permission_required = "core.browse_units"
    template_name = "core/units.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scheme = self.request.GET.get("scheme")
        unit = None
        if not self.request.GET and self.request.user.jurisdiction_id:
            # Opens on the officer's own area, on the map it belongs to.
            unit = self.request.user.jurisdiction
            scheme = unit.scheme
        if scheme not in UnitScheme.values:
            scheme = scheme_in_force()
        form = UnitLookupForm(self.request.GET or None, scheme=scheme)
        if form.is_bound and form.is_valid():
            unit = form.selected_unit()
        children = (
            AdministrativeUnit.objects.filter(parent=unit).order_by("code")
            if unit
            else AdministrativeUnit.objects.filter(
                scheme=scheme, level=UnitLevel.PROVINCE
            ).order_by("code")
        )
        context.update(
            form=form,
            unit=unit,
            children=children,
            scheme=scheme,
            schemes=UnitScheme.choices,
            now=units_now(unit),
            before=list(unit.predecessors.order_by("level", "code")) if unit else [],
        )
        return context


class UnitOptionsView(TemplateView):
    """htmx partial: the <option>s of the select below the one that changed.

    Public: administrative units are public data, and producers pick their address
    while signing up.
    """

    template_name = "includes/_unit_options.html"

    # (map, child select) → the select above it.
    PARENTS = {
        (UnitScheme.THREE_TIER, "district"): "province",
        (UnitScheme.THREE_TIER, "commune"): "district",
        (UnitScheme.TWO_TIER, "commune"): "province",
    }

    def get(self, request, *args, **kwargs):
        child = request.GET.get("child", "")
        scheme = request.GET.get("scheme", UnitScheme.THREE_TIER)
        parent_field = self.PARENTS.get((scheme, child))
        units = AdministrativeUnit.objects.none()
        raw = next(
            (v for k, v in request.GET.items() if parent_field and k.endswith(parent_field)), ""
        )
        if parent_field and raw.isdigit():
            units = AdministrativeUnit.objects.filter(
                scheme=scheme, parent_id=int(raw), level=child
            ).order_by("code")
        return render(request, self.template_name, {"units": units})


class AuditLogView(PermissionOr404Mixin, ListView):
    permission_required = "core.view_audit_log"
    template_name = "core/audit_log.html"
    paginate_by = 50
    context_object_name = "entries"

    def get_queryset(self):
        return audit_entries_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.GET.get("verify"):
            context["chain_report"] = verify_audit_chain()
        return context


class NotificationListView(LoginRequiredMixin, ListView):
    """The in-app copy of every mail the registry sent the user, newest first."""

    template_name = "core/notifications.html"
    paginate_by = 30
    context_object_name = "notifications"

    def get_queryset(self):
        return notifications_for(self.request.user)


class NotificationsReadView(LoginRequiredMixin, View):
    def post(self, request):
        notifications_for(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, _("All notifications are marked as read."))
        return redirect("core:notifications")


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE): the login page, HTTP 429, saying
    why and for how long, with the username kept. The form is unbound: validating it again
    would count one more failed attempt."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    cool_off = get_cool_off(request)
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "next": request.POST.get("next", request.GET.get("next", "")),
        "locked_out": True,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else 0,
    }
    return render(request, "registration/login.html", context, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with the per-account limit on mails."""

    form_class = ThrottledPasswordResetForm


# --- personal data (Decree 13/2023/NĐ-CP, docs/privacy.md) ----------------------------------


class PersonalDataExportView(LoginRequiredMixin, View):
    """The signed-in person's own data as a JSON file; nobody can ask for someone else's."""

    def get(self, request):
        data = personal_data_export(user=request.user)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        filename = f"ocop-personal-data-{request.user.pk}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class DeletionRequestCreateView(LoginRequiredMixin, FormView):
    """The person asks the office to erase their personal data."""

    template_name = "core/deletion_request_create.html"
    form_class = DeletionRequestForm
    success_url = reverse_lazy("core:profile")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending"] = self.request.user.deletion_requests.filter(
            state=DeletionRequestState.PENDING
        ).first()
        return context

    def form_valid(self, form):
        try:
            deletion_request_create(
                user=self.request.user,
                reason=form.cleaned_data["reason"],
                actor=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your request was sent to the OCOP office, which will answer it."),
        )
        return super().form_valid(form)


class DeletionRequestListView(PermissionOr404Mixin, ListView):
    permission_required = "core.handle_deletion_requests"
    template_name = "core/deletion_requests.html"
    paginate_by = 50
    context_object_name = "requests"

    def get_queryset(self):
        return deletion_requests_for(self.request.user)


class DeletionRequestMixin(PermissionOr404Mixin, SingleObjectMixin):
    permission_required = "core.handle_deletion_requests"
    context_object_name = "deletion_request"

    def get_queryset(self):
        return deletion_requests_for(self.request.user)

    def render_detail(self, *, refusal_form=None, carry_out_errors=None, status=200):
        pending = self.object.state == DeletionRequestState.PENDING
        context = self.get_context_data(
            refusal_form=refusal_form or DeletionRefusalForm(),
            blockers=personal_data_erasure_blockers(user=self.object.user) if pending else [],
            carry_out_errors=carry_out_errors or [],
            pending=pending,
        )
        return render(self.request, "core/deletion_request.html", context, status=status)


class DeletionRequestDetailView(DeletionRequestMixin, View):
    def get(self, request, pk):
        self.object = self.get_object()
        return self.render_detail()


class DeletionRequestCarryOutView(DeletionRequestMixin, View):
    def post(self, request, pk):
        self.object = self.get_object()
        try:
            deletion_request_carry_out(request=self.object, actor=request.user)
        except ValidationError as error:
            self.object.refresh_from_db()
            return self.render_detail(carry_out_errors=error.messages)
        messages.success(request, _("The account was anonymised."))
        return redirect("core:deletion_request", pk=pk)


class DeletionRequestRefuseView(DeletionRequestMixin, View):
    def post(self, request, pk):
        self.object = self.get_object()
        form = DeletionRefusalForm(request.POST)
        if form.is_valid():
            try:
                deletion_request_refuse(
                    request=self.object, note=form.cleaned_data["note"], actor=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The request was refused; the person can read why."))
                return redirect("core:deletion_request", pk=pk)
        self.object.refresh_from_db()
        return self.render_detail(refusal_form=form)


class FailedTaskListView(PermissionOr404Mixin, ListView):
    """Background tasks that failed after their last attempt (decision 0031), to retry."""

    permission_required = "core.handle_failed_tasks"
    template_name = "core/failed_tasks.html"
    paginate_by = 25
    context_object_name = "failed_tasks"

    def get_queryset(self):
        return failed_tasks_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        show_traceback = user.is_superuser or user.has_role(Role.ADMINISTRATOR)
        context["rows"] = [
            {
                "pk": row.pk,
                "label": task_label(row.task_path),
                "finished_at": row.finished_at,
                "enqueued_at": row.enqueued_at,
                "attempt": task_attempt(row.args_kwargs.get("kwargs") or {}),
                "error_class": row.exception_class_path.rpartition(".")[2],
                "error_message": error_message(row.traceback),
                "traceback": row.traceback if show_traceback else "",
            }
            for row in context["failed_tasks"]
        ]
        return context


class FailedTaskRetryView(PermissionOr404Mixin, View):
    permission_required = "core.handle_failed_tasks"

    def post(self, request, pk):
        try:
            task_retry(result_id=str(pk), actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The task was queued again; the worker runs it shortly."))
        return redirect("core:failed_tasks")
