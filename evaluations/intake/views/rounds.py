import rules
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView, View

from evaluations.criteria.selectors import (
    active_criteria_version,
    checking_level,
    regime_in_force,
)
from evaluations.intake.forms import RoundOpenForm
from evaluations.intake.selectors import (
    central_candidates,
    forwarding_for,
    member_round_dossiers,
    next_round_number,
    round_is_open,
    round_opening_province,
    round_progress_by_unit,
    round_state_counts,
    rounds_visible_to,
)
from evaluations.intake.services.rounds import round_open
from evaluations.intake.word import forwarding_letter_docx
from ocop.core import word
from ocop.core.enums import UnitLevel
from ocop.core.mixins import ObjectPermissionMixin, PermissionOr404Mixin
from ocop.core.models import AdministrativeUnit
from ocop.core.selectors import merged_into
from ocop.core.service_views import ServiceFormView


class RoundListView(PermissionOr404Mixin, ListView):
    permission_required = "evaluations.view_round"
    template_name = "evaluations/rounds/list.html"
    context_object_name = "rounds"
    paginate_by = 50

    def get_queryset(self):
        return rounds_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_open"] = round_opening_province(self.request.user) is not None
        context["today"] = timezone.localdate()
        return context


class RoundOpenView(PermissionOr404Mixin, ServiceFormView):
    """A province officer opens a round of the province's annual cycle."""

    permission_required = "evaluations.open_round"
    template_name = "evaluations/rounds/form.html"
    form_class = RoundOpenForm
    success_message = gettext_lazy("The round is open for dossiers.")

    def get_permission_object(self):
        # The province is the officer's own jurisdiction; nobody opens rounds without one.
        self.province = round_opening_province(self.request.user)
        if self.province is None:
            raise Http404
        return self.province

    def get_initial(self):
        today = timezone.localdate()
        return {
            "year": today.year,
            "number": next_round_number(self.province, today.year),
            "regime": regime_in_force(today),
            "criteria_version": active_criteria_version(),
        }

    def get_form_kwargs(self):
        merged = AdministrativeUnit.objects.filter(
            level=UnitLevel.PROVINCE, pk__in=merged_into(self.province.pk)
        ).order_by("code")
        return {**super().get_form_kwargs(), "provinces": [self.province, *merged]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(province=self.province, **kwargs)

    def perform(self, form):
        data = dict(form.cleaned_data)
        province = data.pop("province", None) or self.province
        return round_open(province=province, actor=self.request.user, **data)

    def get_success_url(self) -> str:
        return reverse("evaluations:round_detail", args=[self.result.pk])


class RoundDetailView(ObjectPermissionMixin, TemplateView):
    """A round: its deadlines, the officer's dossiers by state, the producer's own dossiers."""

    permission_required = "evaluations.view_round"
    template_name = "evaluations/rounds/detail.html"
    object_name = "round"

    def get_queryset(self):
        return rounds_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        round_obj = self.round
        state_counts = round_state_counts(user, round_obj)
        context.update(
            is_open=round_is_open(round_obj),
            state_counts=state_counts,
            total=sum(n for _state, n in state_counts),
            my_dossiers=member_round_dossiers(user, round_obj),
            can_register=rules.test_rule("evaluations.register_in_round", user, round_obj),
            is_officer=rules.test_rule("evaluations.follow_round_dossiers", user),
        )
        level = checking_level(round_obj.regime)
        context["first_level"] = level.level if level else ""
        if context["is_officer"] and state_counts:
            context["by_unit"] = round_progress_by_unit(user, round_obj)
        if context["is_officer"]:
            # The first level's working group: what it forwarded, and its letter.
            context["forwarding"] = forwarding_for(user, round_obj)
        if user.has_perm("evaluations.open_round", round_obj.province):
            context["central_candidates"] = central_candidates(round_obj)
        return context


class RoundForwardingLetterView(ObjectPermissionMixin, View):
    """The first-level unit's letter forwarding its dossiers of the round to the province, as
    a Word draft its office edits before signing; 404 to whoever may not see the round and to
    every other officer (the province, a commune where the district checks)."""

    permission_required = "evaluations.view_round"
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return rounds_visible_to(self.request.user)

    def get(self, request, *args, **kwargs):
        round_obj = self.object
        forwarding = forwarding_for(request.user, round_obj)
        if forwarding is None:
            raise Http404
        content = forwarding_letter_docx(round_obj, forwarding, today=timezone.localdate())
        unit = forwarding.unit.short_name or forwarding.unit.name
        return word.response(
            content, f"Cong-van-de-nghi-{unit}-dot-{round_obj.number}-{round_obj.year}"
        )
