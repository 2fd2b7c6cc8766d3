"""What paper cannot do: the council's result explained to the producer, the province
office's list of products with potential, and the leniency of a council's members.

The figures come from the final level results (`LevelResult.details`) through
`evaluations.councils.transparency`; no page shows a member's sheet or total to anyone but the
council's chair and secretary, and then only for products whose result is final.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from evaluations.councils.selectors import council_members
from evaluations.councils.transparency import (
    FailedMinimum,
    Gap,
    ResultReport,
    failed_minimums,
    gaps,
    leniency,
    result_report,
)
from evaluations.criteria.selectors import form_spec
from evaluations.engine.spec import FormSpec
from evaluations.enums import ItemState, Level, Outcome, SheetState
from evaluations.intake.views.dossiers import DossierMixin
from evaluations.models import (
    Dossier,
    LevelResult,
    Round,
    ScoreSheet,
    ScoringForm,
    Session,
)
from ocop.core.enums import Role, UnitLevel
from ocop.core.mixins import PermissionOr404Mixin
from ocop.core.selectors import unit_at_level

# The potential list: below this score the largest gaps are shown (the product is far off).
FAR_OFF_SCORE = 50
FAR_OFF_GAPS = 5


class FormSpecs:
    """Form specs by scoring form pk, each read once (a form spec costs a few queries)."""

    def __init__(self, forms=()):
        self._forms: dict[int, ScoringForm] = {form.pk: form for form in forms}
        self._specs: dict[int, FormSpec] = {}

    def get(self, form_id: int) -> FormSpec:
        if form_id not in self._specs:
            form = self._forms.get(form_id) or ScoringForm.objects.select_related(
                "version", "product_set"
            ).get(pk=form_id)
            self._specs[form_id] = form_spec(form)
        return self._specs[form_id]

    def for_result(self, result: LevelResult) -> FormSpec:
        """The form the result was scored on (the dossier's)."""
        return self.get(result.details.get("form") or result.dossier.scoring_form_id)


def final_results(dossier: Dossier, related: str = "item__session__council") -> list[LevelResult]:
    """The dossier's final results, by level, oldest first (one query)."""
    order = {level: index for index, level in enumerate(Level.values)}
    results = (
        LevelResult.objects.filter(dossier_id=dossier.pk, item__state=ItemState.FINAL)
        .select_related(related)
        .order_by("finalised_at", "pk")
    )
    return sorted(results, key=lambda r: (order.get(r.level, len(order)), r.finalised_at))


@dataclass(frozen=True)
class ResultEntry:
    result: LevelResult
    report: ResultReport

    @property
    def capped(self) -> bool:
        """The stars were lowered from the band of the score by mandatory minimums."""
        return self.result.stars < self.result.band_stars


class DossierResultView(DossierMixin, TemplateView):
    """The council's result for the producer: the score, the stars and why, the council's
    comments, the means by part and criterion and where points were lost. Never a member's
    sheet or total."""

    permission_required = "evaluations.view_dossier"
    template_name = "evaluations/results/dossier.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dossier = self.dossier
        specs = FormSpecs([dossier.scoring_form])
        entries = []
        for result in final_results(dossier):
            result.dossier = dossier
            report = result_report(specs.for_result(result), result.details)
            entries.append(ResultEntry(result, report))
        context.update(dossier=dossier, entries=entries)
        return context


# --- the province office's potential list -------------------------------------------------


def _province_of_officer(user):
    """The province a province officer works for, else None."""
    if not user.is_active or not user.has_role(Role.PROVINCE_OFFICER) or not user.jurisdiction_id:
        return None
    province = user.jurisdiction
    return province if province.level == UnitLevel.PROVINCE else None


def potential_results(province, round_obj: Round | None = None):
    """The latest final result of each product of the province's rounds (of `round_obj`
    only, if given), where that result is not recognised or failed a mandatory minimum."""
    scope = Q(dossier__round__province=province, item__state=ItemState.FINAL)
    if round_obj is not None:
        scope &= Q(dossier__round=round_obj)
    latest = (
        LevelResult.objects.filter(scope, dossier__product_id=OuterRef("dossier__product_id"))
        .order_by("-finalised_at", "-pk")
        .values("pk")[:1]
    )
    return (
        LevelResult.objects.filter(scope, pk=Subquery(latest))
        .filter(Q(outcome=Outcome.NOT_RECOGNISED) | ~Q(details__failed_minimums=[]))
        .select_related(
            "dossier__product__producer",
            "dossier__round",
            "dossier__first_level_unit__parent",
            "dossier__scoring_form__version",
            "dossier__scoring_form__product_set",
        )
        .order_by("-display_mean", "dossier__product__name", "pk")
    )


@dataclass(frozen=True)
class PotentialRow:
    result: LevelResult
    failed: tuple[FailedMinimum, ...]
    gaps: tuple[Gap, ...]

    @property
    def dossier(self) -> Dossier:
        return self.result.dossier

    @property
    def district(self):
        """The district the dossier comes from (its first-level unit where there is none)."""
        unit = self.dossier.first_level_unit
        return unit_at_level(unit, UnitLevel.DISTRICT) or unit


class PotentialListView(PermissionOr404Mixin, ListView):
    """Products of the province that were not recognised or failed a mandatory minimum,
    with what held them back. For the province's OCOP office only."""

    template_name = "evaluations/results/potential.html"
    context_object_name = "results"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.province = _province_of_officer(request.user)
            if self.province is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _rounds(self) -> list[Round]:
        if not hasattr(self, "_round_list"):
            self._round_list = list(
                Round.objects.filter(province=self.province).order_by("-year", "-number")
            )
        return self._round_list

    def selected_round(self) -> Round | None:
        raw = self.request.GET.get("round", "")
        if not raw.isdigit():
            return None
        return next((r for r in self._rounds() if r.pk == int(raw)), None)

    def get_queryset(self):
        return potential_results(self.province, self.selected_round())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = list(context["results"])
        specs = FormSpecs(r.dossier.scoring_form for r in results)
        rows = []
        for result in results:
            spec = specs.for_result(result)
            far_off = result.mean < FAR_OFF_SCORE
            rows.append(
                PotentialRow(
                    result=result,
                    failed=tuple(failed_minimums(spec, result.details)),
                    gaps=tuple(gaps(spec, result.details, FAR_OFF_GAPS)) if far_off else (),
                )
            )
        selected = self.selected_round()
        context.update(
            rows=rows,
            province=self.province,
            rounds=self._rounds(),
            selected_round=selected,
            far_off_score=FAR_OFF_SCORE,
        )
        return context


# --- leniency -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LeniencyRow:
    member: object
    figures: object


class LeniencyView(PermissionOr404Mixin, TemplateView):
    """Per scoring member: the final products they scored in the session and how far their
    totals were from the council's means. For the council's chair and secretary."""

    permission_required = "evaluations.consolidate_session"
    template_name = "evaluations/results/leniency.html"

    def get_session(self) -> Session:
        if not hasattr(self, "_session"):
            self._session = get_object_or_404(
                Session.objects.select_related("council__unit", "round"), pk=self.kwargs["pk"]
            )
        return self._session

    def get_permission_object(self):
        return self.get_session()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.get_session()
        members = [m for m in council_members(session.council) if m.scores]
        sheets = ScoreSheet.objects.filter(
            item__session=session,
            item__state=ItemState.FINAL,
            item__result__isnull=False,
            state=SheetState.SUBMITTED,
        ).values_list("member_id", "item_id", "total", "item__result__mean")
        totals, means = [], {}
        for member_id, item_id, total, mean in sheets:
            totals.append((member_id, item_id, total))
            means[item_id] = mean
        figures = {f.member: f for f in leniency(totals, means, members=[m.pk for m in members])}
        context.update(
            session=session,
            rows=[LeniencyRow(m, figures[m.pk]) for m in members],
            final_count=len(means),
        )
        return context
