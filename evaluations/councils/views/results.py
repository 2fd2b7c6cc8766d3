"""What paper cannot do: the council's result explained to the producer, the province
office's list of products with potential, and the leniency of a council's members.

The figures come from the final level results (`LevelResult.details`) through
`evaluations.councils.transparency`; no page shows a member's sheet or total to anyone but the
council's chair and secretary, and then only for products whose result is final.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from evaluations.councils.filters import PotentialFilter
from evaluations.councils.selectors import (
    FormSpecs,
    council_members,
    final_results,
    final_sheet_totals,
    potential_results,
    province_final_results,
)
from evaluations.councils.transparency import (
    FailedMinimum,
    Gap,
    ResultReport,
    failed_minimums,
    gaps,
    leniency,
    result_report,
)
from evaluations.councils.views.mixins import SessionMixin
from evaluations.engine.display import format_points
from evaluations.intake.views.dossiers import DossierMixin
from evaluations.models import Dossier, LevelResult
from ocop.core.enums import UnitLevel
from ocop.core.excel import Column, ExcelDownloadMixin
from ocop.core.mixins import PermissionOr404Mixin
from ocop.core.selectors import unit_at_level

# The potential list: below this score the largest gaps are shown (the product is far off).
FAR_OFF_SCORE = 50
FAR_OFF_GAPS = 5


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
        # An imported dossier has no scoring form: its published result, without the means.
        specs = FormSpecs([dossier.scoring_form]) if dossier.scoring_form_id else None
        entries = []
        for result in final_results(dossier):
            result.dossier = dossier
            if specs is None:
                report = ResultReport(parts=(), failed_minimums=(), gaps=())
            else:
                report = result_report(specs.for_result(result), result.details)
            entries.append(ResultEntry(result, report))
        context.update(dossier=dossier, entries=entries)
        return context


# --- the province office's potential list -------------------------------------------------


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


def potential_rows(results) -> list[PotentialRow]:
    """Each result with the minimums it failed and, far off, its largest gaps (each scoring
    form's spec read once)."""
    results = list(results)
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
    return rows


def held_back(row: PotentialRow) -> str:
    """What held the product back, as the page lists it, in lines of text."""
    lines = [row.result.get_outcome_display()]
    for f in row.failed:
        needs = _("needs %(needed)s for %(stars)s★, mean %(mean)s") % {
            "needed": format_points(f.points, short=True),
            "stars": f.stars,
            "mean": format_points(f.mean_shown) or "—",
        }
        lines.append(f"{f.key} {f.label}: {needs}")
    if row.gaps:
        lines.append(
            _("Below %(score)s points; the largest gaps:")
            % {"score": format_points(FAR_OFF_SCORE, short=True)}
        )
        for g in row.gaps:
            shown = f"{format_points(g.shown)} / {format_points(g.max_points, short=True)}"
            lines.append(f"{g.key} {g.label}: {shown}")
    return "\n".join(lines)


class PotentialListView(PermissionOr404Mixin, ExcelDownloadMixin, ListView):
    """Products of the province that were not recognised or failed a mandatory minimum,
    with what held them back. For the province's OCOP office only. `?format=xlsx`: all of
    them in Excel."""

    template_name = "evaluations/results/potential.html"
    context_object_name = "results"
    paginate_by = 50
    excel_title = gettext_lazy("Potential list")
    excel_columns = (
        Column(gettext_lazy("Product"), width=30),
        Column(gettext_lazy("Product set"), width=22),
        Column(gettext_lazy("Producer"), width=28),
        Column(gettext_lazy("District"), width=18),
        Column(gettext_lazy("Round"), width=16),
        Column(gettext_lazy("Score"), width=8, number_format="0.00"),
        Column(gettext_lazy("Stars"), width=7),
        Column(gettext_lazy("Level"), width=10),
        Column(gettext_lazy("What held it back"), width=60),
    )

    # A rule, not a permission: a superuser needs the role and the province too.
    rule_required = "evaluations.view_potential_list"

    def dispatch(self, request, *args, **kwargs):
        self.province = getattr(request.user, "jurisdiction", None)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.filterset = PotentialFilter(
            self.request.GET or None,
            queryset=province_final_results(self.province),
            province=self.province,
        )
        return potential_results(self.filterset.qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rows=potential_rows(context["results"]),
            province=self.province,
            filter=self.filterset,
            selected_round=self.filterset.selected_round,
            far_off_score=FAR_OFF_SCORE,
        )
        return context

    def excel_rows(self):
        for row in potential_rows(self.get_queryset()):
            result, dossier = row.result, row.dossier
            yield (
                dossier.product.name,
                str(dossier.scoring_form.product_set),
                dossier.product.producer.name,
                str(row.district),
                str(dossier.round),
                result.display_mean,
                result.stars,
                result.get_level_display(),
                held_back(row),
            )

    def excel_filters(self):
        return [(_("Province"), self.province.name), *super().excel_filters()]


# --- leniency -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LeniencyRow:
    member: object
    figures: object


class LeniencyView(SessionMixin, TemplateView):
    """Per scoring member: the final products they scored in the session and how far their
    totals were from the council's means. For the council's chair and secretary."""

    permission_required = "evaluations.consolidate_session"
    template_name = "evaluations/results/leniency.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.session
        members = [m for m in council_members(session.council) if m.scores]
        totals, means = final_sheet_totals(session)
        figures = {f.member: f for f in leniency(totals, means, members=[m.pk for m in members])}
        context.update(
            rows=[LeniencyRow(m, figures[m.pk]) for m in members],
            final_count=len(means),
        )
        return context
