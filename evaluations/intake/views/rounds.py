from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from evaluations.enums import DossierState, VersionStatus
from evaluations.intake.forms import RoundOpenForm
from evaluations.intake.selectors import (
    dossier_list,
    dossiers_visible_to,
    round_is_open,
    rounds_visible_to,
)
from evaluations.intake.services.rounds import round_open
from evaluations.models import CriteriaVersion, Regime, Round
from ocop.core.forms import add_service_errors
from ocop.core.mixins import PermissionOr404Mixin
from ocop.core.models import AdministrativeUnit
from products.selectors import member_producer_ids


def _officer_province(user) -> AdministrativeUnit | None:
    """The province a province officer may open rounds for."""
    unit = user.jurisdiction if user.jurisdiction_id else None
    if unit is not None and user.has_perm("evaluations.open_round", unit):
        return unit
    return None


class RoundListView(PermissionOr404Mixin, ListView):
    permission_required = "evaluations.view_round"
    template_name = "evaluations/rounds/list.html"
    context_object_name = "rounds"
    paginate_by = 50

    def get_queryset(self):
        return rounds_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_open"] = _officer_province(self.request.user) is not None
        context["today"] = timezone.localdate()
        return context


class RoundOpenView(LoginRequiredMixin, FormView):
    """A province officer opens a round of the province's annual cycle."""

    template_name = "evaluations/rounds/form.html"
    form_class = RoundOpenForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.province = _officer_province(request.user)
            if self.province is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        today = timezone.localdate()
        last = (
            Round.objects.filter(province=self.province, year=today.year)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        regime = Regime.objects.filter(effective_from__lte=today).order_by("-effective_from")
        return {
            "year": today.year,
            "number": (last or 0) + 1,
            "regime": regime.first(),
            "criteria_version": CriteriaVersion.objects.filter(status=VersionStatus.ACTIVE).first(),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(province=self.province, **kwargs)

    def form_valid(self, form):
        try:
            round_obj = round_open(
                province=self.province, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The round is open for dossiers."))
        return redirect("evaluations:round_detail", pk=round_obj.pk)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class RoundDetailView(LoginRequiredMixin, TemplateView):
    template_name = "evaluations/rounds/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        round_obj = get_object_or_404(rounds_visible_to(user), pk=kwargs["pk"])
        dossiers = dossiers_visible_to(user).filter(round=round_obj)
        counts = dict(dossiers.values_list("state").annotate(n=Count("pk")).order_by())
        context.update(
            round=round_obj,
            is_open=round_is_open(round_obj),
            state_counts=[(state, counts[state]) for state in DossierState if state in counts],
            total=sum(counts.values()),
            my_dossiers=dossier_list(
                dossiers.filter(product__producer_id__in=member_producer_ids(user))
            ),
            can_register=round_is_open(round_obj)
            and user.has_perm("evaluations.add_dossier")
            and bool(member_producer_ids(user)),
            is_officer=user.is_officer,
        )
        return context


# --- dossiers: the producer's side --------------------------------------------------------
