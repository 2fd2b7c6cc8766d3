"""The province office's reports: the funnel of a year and the progress of a round, per
first-level unit; the years side by side, by product set, and the certificates ending soon."""

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from evaluations.certificates.selectors import certificates_visible_to
from evaluations.certificates.validity import add_months
from evaluations.intake.selectors import rounds_visible_to
from evaluations.models import Round
from evaluations.reports.funnel import RECOGNISED_STARS, funnel, funnel_by_unit, year_provinces
from evaluations.reports.progress import STAGES, round_progress
from evaluations.reports.years import (
    EXPIRING_MONTHS,
    by_product_set,
    expiring_certificates,
    rounds_with_merged,
    years_side_by_side,
)
from ocop.core.charts import bar_chart
from ocop.core.excel import Column, ExcelDownloadMixin
from ocop.core.mixins import PermissionOr404Mixin
from products.enums import ProducerKind

# The first stages per dossier add up across units (the later ones are the funnel's).
SUMMED = ("registered", "submitted", "checked")


class ReportView(PermissionOr404Mixin, ExcelDownloadMixin, TemplateView):
    """A report of the province's OCOP office: `report` (what the page and its Excel file
    show, computed once) and `charts(report)` (the SVG charts beside its tables)."""

    # The province's OCOP office (a rule: a superuser needs the role and the province too).
    rule_required = "evaluations.view_province_reports"

    @cached_property
    def report(self) -> dict:
        raise NotImplementedError

    def charts(self, report: dict) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        context.update(report)
        context.update(self.charts(report))
        return context


class FunnelReportView(ReportView):
    """`?year=` (the latest year with rounds by default) and `?round=`: the province's funnel,
    its units' rows and the totals; `?format=xlsx`: the same in Excel."""

    template_name = "evaluations/reports/funnel.html"
    excel_title = gettext_lazy("Funnel of the year")
    excel_columns = (
        Column(gettext_lazy("Received by"), width=28),
        Column(gettext_lazy("Area code"), width=10),
        Column(gettext_lazy("Registered"), width=11),
        Column(gettext_lazy("Submitted"), width=11),
        Column(gettext_lazy("Past the check"), width=11),
        Column(gettext_lazy("Evaluated at the first level"), width=13),
        Column(gettext_lazy("Forwarded"), width=11),
        *(Column(f"{n}★", width=7) for n in RECOGNISED_STARS),
        Column(gettext_lazy("Not recognised"), width=11),
    )

    @cached_property
    def report(self) -> dict:
        province = self.request.user.jurisdiction
        # The years of the province's rounds and of the old provinces merged into it.
        years = sorted(
            set(rounds_with_merged(province).values_list("year", flat=True)), reverse=True
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
        return {
            "sums": {key: sum(row[key] for row in rows) for key in SUMMED},
            "province": province,
            "years": years,
            "year": year,
            "rounds": rounds,
            "round_obj": round_obj,
            "funnel": data,
            "rows": rows,
            "stars": RECOGNISED_STARS,
        }

    def charts(self, report: dict) -> dict:
        data, sums = report["funnel"], report["sums"]
        if data is None:
            return {}
        return {
            "kinds": _kinds(data.producers_by_kind),
            "chart": bar_chart(
                [
                    (_("Registered"), [sums["registered"]]),
                    (_("Submitted"), [sums["submitted"]]),
                    (_("Past the check"), [sums["checked"]]),
                    (_("Evaluated at the first level"), [data.evaluated_first_level]),
                    (_("Forwarded"), [data.forwarded]),
                    (_("Recognised"), [data.recognised_total]),
                    (_("Not recognised"), [data.not_recognised]),
                ],
                [(_("Dossiers"), "ocop")],
            ),
        }

    def excel_rows(self):
        for row in self.report["rows"]:
            yield (
                row["first_level_unit__name"],
                row["first_level_unit__code"],
                row["registered"],
                row["submitted"],
                row["checked"],
                row["evaluated_first_level"],
                row["forwarded_up"],
                *(row[f"stars_{n}"] for n in RECOGNISED_STARS),
                row["not_recognised"],
            )

    def excel_totals(self):
        report = self.report
        data, sums = report["funnel"], report["sums"]
        if data is None:
            return []
        return [
            (
                _("Total"),
                None,
                *(sums[key] for key in SUMMED),
                data.evaluated_first_level,
                data.forwarded,
                *(data.recognised[n] for n in RECOGNISED_STARS),
                data.not_recognised,
            )
        ]

    def excel_filters(self):
        report = self.report
        province, data, round_obj = report["province"], report["funnel"], report["round_obj"]
        lines = [(_("Province"), province.name)]
        if data is None:
            return lines
        return [
            *lines,
            (_("Year"), report["year"]),
            (_("Round"), _round_label(round_obj) if round_obj else _("All rounds")),
            (
                _("First-level units taking part"),
                f"{data.units_participating} / {data.units_total}",
            ),
            (_("Producers with a recognised product"), data.producers_recognised),
            *(
                (_("Producers: %(kind)s") % {"kind": label}, count)
                for label, count in _kinds(data.producers_by_kind)
            ),
        ]


def _kinds(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(the kind's label, count) in the kinds' order; a kind not published last."""
    labels = dict(ProducerKind.choices)
    known = [(str(labels[k]), counts[k]) for k in ProducerKind.values if counts.get(k)]
    if counts.get(""):
        known.append((_("kind not published"), counts[""]))
    return known


def _round_label(round_obj: Round) -> str:
    """As the page's choice names it: the round and its province."""
    province = round_obj.province
    return f"{round_obj} · {province.short_name or province.name}"


# The stages' colours in the progress chart, in the order of STAGES.
STAGE_COLOURS = ("secondary", "warning", "info", "primary", "ocop", "success", "star3")


class ProgressReportView(ReportView):
    """`?round=` (by default the running round whose province deadline comes first): per
    first-level unit, what waits at which stage, since when, and what is late; the late
    dossiers listed; `?format=xlsx`: the units' table in Excel."""

    template_name = "evaluations/reports/progress.html"
    excel_title = gettext_lazy("Progress of the round")

    @cached_property
    def report(self) -> dict:
        today = timezone.localdate()
        rounds = list(rounds_visible_to(self.request.user).filter(historical=False))
        raw = self.request.GET.get("round", "")
        chosen = next((r for r in rounds if str(r.pk) == raw), None)
        if chosen is None and rounds:
            running = [r for r in rounds if r.province_deadline >= today]
            chosen = min(running, key=lambda r: (r.province_deadline, r.pk)) if running else None
            chosen = chosen or rounds[0]
        deadlines = []
        if chosen is not None:
            deadlines = [
                (label, day, (day - today).days)
                for label, day in (
                    (_("Submission deadline"), chosen.submission_deadline),
                    (_("First-level evaluation deadline"), chosen.first_level_deadline),
                    (_("Province evaluation deadline"), chosen.province_deadline),
                )
            ]
        return {
            "rounds": rounds,
            "round_obj": chosen,
            "deadlines": deadlines,
            "progress": round_progress(chosen, today) if chosen else None,
            "stages": STAGES,
            "today": today,
        }

    def charts(self, report: dict) -> dict:
        progress = report["progress"]
        if progress is None or not progress.rows:
            return {}
        return {
            "chart": bar_chart(
                [
                    (row.name, [cell.count for _key, _label, cell in row.ordered])
                    for row in progress.rows
                ],
                [
                    (label, colour)
                    for (_key, label), colour in zip(STAGES, STAGE_COLOURS, strict=True)
                ],
            )
        }

    @property
    def excel_columns(self):
        return (
            Column(gettext_lazy("Received by"), width=28),
            Column(gettext_lazy("Area code"), width=10),
            *(Column(label, width=12) for _key, label in STAGES),
            Column(gettext_lazy("Late"), width=9),
            Column(gettext_lazy("Waiting since"), width=16),
        )

    def excel_rows(self):
        progress = self.report["progress"]
        for row in progress.rows if progress else []:
            yield _progress_row(row)

    def excel_totals(self):
        progress = self.report["progress"]
        return [_progress_row(progress.totals)] if progress and progress.rows else []

    def excel_filters(self):
        round_obj = self.report["round_obj"]
        if round_obj is None:
            return []
        return [
            (_("Round"), _round_label(round_obj)),
            (_("Submission deadline"), round_obj.submission_deadline),
            (_("First-level evaluation deadline"), round_obj.first_level_deadline),
            (_("Province evaluation deadline"), round_obj.province_deadline),
        ]


def _progress_row(row) -> tuple:
    oldest = [cell.oldest for _key, _label, cell in row.ordered if cell.oldest]
    return (
        row.name,
        row.code or None,
        *(cell.count for _key, _label, cell in row.ordered),
        row.late,
        min(oldest) if oldest else None,
    )


class YearsReportView(ReportView):
    """The province's years side by side, one year (`?year=`, the latest by default) by
    sector and product set, and the certificates ending in the next six months, each table
    with its chart; `?format=xlsx&table=years|sets|expiring`: that table in Excel."""

    template_name = "evaluations/reports/years.html"
    TABLES = ("years", "sets", "expiring")

    @cached_property
    def report(self) -> dict:
        today = timezone.localdate()
        province = self.request.user.jurisdiction
        years = years_side_by_side(province)
        raw = self.request.GET.get("year", "")
        known = [row.year for row in years]
        year = int(raw) if raw.isdigit() and int(raw) in known else (known[0] if known else None)
        sets = by_product_set(province, year) if year else []
        expiring = expiring_certificates(certificates_visible_to(self.request.user, today), today)
        return {
            "province": province,
            "today": today,
            "years": years,
            "year": year,
            "sets": sets,
            "expiring": expiring,
            "expiring_until": add_months(today, EXPIRING_MONTHS),
            "stars": RECOGNISED_STARS,
        }

    def charts(self, report: dict) -> dict:
        star_series = [(f"{n}★", f"star{n}") for n in RECOGNISED_STARS]
        by_month: dict[str, int] = {}
        for certificate in report["expiring"]:
            key = certificate.valid_until.strftime("%m/%Y")
            by_month[key] = by_month.get(key, 0) + 1
        return {
            "years_chart": bar_chart(
                [(row.year, [row.stars[n] for n in RECOGNISED_STARS]) for row in report["years"]],
                star_series,
            ),
            "sets_chart": bar_chart(
                [
                    (
                        f"{row.number}. {row.name}",
                        [row.stars[n] for n in RECOGNISED_STARS]
                        + [row.registered - row.recognised],
                    )
                    for row in report["sets"]
                ],
                [*star_series, (_("Other dossiers"), "secondary")],
            ),
            "expiring_chart": bar_chart(
                [(month, [count]) for month, count in by_month.items()],
                [(_("Certificates"), "warning")],
            ),
        }

    @property
    def table(self) -> str:
        table = self.request.GET.get("table", "")
        return table if table in self.TABLES else "years"

    @property
    def excel_title(self):
        return {
            "years": _("OCOP results by year"),
            "sets": _("OCOP results by product set"),
            "expiring": _("Certificates ending in the next 6 months"),
        }[self.table]

    @property
    def excel_columns(self):
        stars = [Column(f"{n}★", width=7) for n in RECOGNISED_STARS]
        if self.table == "years":
            return (
                Column(gettext_lazy("Year"), width=8),
                Column(gettext_lazy("Registered"), width=11),
                Column(gettext_lazy("Submitted"), width=11),
                Column(gettext_lazy("Past the check"), width=11),
                *stars,
                Column(gettext_lazy("Recognised"), width=11),
                Column(gettext_lazy("Not recognised"), width=11),
                Column(gettext_lazy("Imported"), width=10),
            )
        if self.table == "sets":
            return (
                Column(gettext_lazy("Sector"), width=22),
                Column(gettext_lazy("Product set"), width=8),
                Column(gettext_lazy("Name"), width=40),
                Column(gettext_lazy("Registered"), width=11),
                *stars,
                Column(gettext_lazy("Not recognised"), width=11),
            )
        return (
            Column(gettext_lazy("Certificate number"), width=22),
            Column(gettext_lazy("Product"), width=36),
            Column(gettext_lazy("Producer"), width=32),
            Column(gettext_lazy("Stars"), width=7),
            Column(gettext_lazy("Valid until"), width=12),
        )

    def excel_rows(self):
        report = self.report
        if self.table == "years":
            for row in report["years"]:
                yield (
                    row.year,
                    row.registered,
                    row.submitted,
                    row.checked,
                    *(row.stars[n] for n in RECOGNISED_STARS),
                    row.recognised,
                    row.not_recognised,
                    _("yes") if row.imported else "",
                )
        elif self.table == "sets":
            for row in report["sets"]:
                yield (
                    row.sector,
                    row.number,
                    row.name,
                    row.registered,
                    *(row.stars[n] for n in RECOGNISED_STARS),
                    row.not_recognised,
                )
        else:
            for certificate in report["expiring"]:
                yield (
                    certificate.number,
                    certificate.product_name,
                    certificate.producer_name,
                    certificate.stars,
                    certificate.valid_until,
                )

    def excel_filters(self):
        report = self.report
        lines = [(_("Province"), report["province"].name)]
        if self.table == "sets" and report["year"]:
            lines.append((_("Year"), report["year"]))
        if self.table == "expiring":
            lines.append((_("Valid until"), f"≤ {report['expiring_until']:%d/%m/%Y}"))
        return lines
