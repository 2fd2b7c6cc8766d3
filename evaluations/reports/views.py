"""The province office's reports: the funnel of a year, per first-level unit."""

from django.db.models import Q
from django.views.generic import TemplateView

from evaluations.models import Round
from evaluations.reports.funnel import RECOGNISED_STARS, funnel, funnel_by_unit, year_provinces
from ocop.core.mixins import PermissionOr404Mixin
from ocop.core.selectors import merged_into


class FunnelReportView(PermissionOr404Mixin, TemplateView):
    """`?year=` (the latest year with rounds by default) and `?round=`: the province's funnel,
    its units' rows and the totals."""

    template_name = "evaluations/reports/funnel.html"
    # The province's OCOP office (a rule: a superuser needs the role and the province too).
    rule_required = "evaluations.view_potential_list"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        province = self.request.user.jurisdiction
        # The years of the province's rounds and of the old provinces merged into it.
        years = sorted(
            set(
                Round.objects.filter(
                    Q(province=province) | Q(province_id__in=merged_into(province.pk))
                ).values_list("year", flat=True)
            ),
            reverse=True,
        )
        raw = self.request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and int(raw) in years else (years[0] if years else None)
        rounds, round_obj, data, rows = [], None, None, []
        if year is not None:
            rounds = list(
                Round.objects.filter(province__in=year_provinces(province, year), year=year)
                .select_related("province")
                .order_by("number", "pk")
            )
            raw_round = self.request.GET.get("round", "")
            round_obj = next((r for r in rounds if str(r.pk) == raw_round), None)
            data = funnel(province, year, round_obj)
            rows = funnel_by_unit(province, year, round_obj)
        context.update(
            # The first stages per dossier add up across units (the later ones are the funnel's).
            sums={
                key: sum(row[key] for row in rows) for key in ("registered", "submitted", "checked")
            },
            province=province,
            years=years,
            year=year,
            rounds=rounds,
            round_obj=round_obj,
            funnel=data,
            rows=rows,
            stars=RECOGNISED_STARS,
        )
        return context
