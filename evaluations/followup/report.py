"""The follow-up of a year, for the province's OCOP office (issue 14): how many certificates
were in force, how many the plan took up and how many were inspected, with what outcome, and
how the yearly self-reports went, per first-level unit (the dossier's: a district on the old
map, a commune on today's) and in total.

The province's certificates are those its office sees (`certificates_visible_to`: those its
People's Committees issued and those of dossiers received in its area, the old provinces merged
into it included), so that today's province reports the years of the old ones too. A
certificate counts as in force in the year when it was valid on at least one of its days; a
product re-certified during the year counts once per certificate. An inspection counts by the
certificate's last inspection of the year; a self-report of the year is due when the
certificate's anniversary falls in it (`schedule.report_periods`), and it is missed when that
day has passed and it is not submitted.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Min
from django.utils import timezone

from evaluations.enums import InspectionOutcome, PlanItemState, SelfReportStanding, SelfReportState
from evaluations.followup.schedule import standing
from evaluations.followup.selectors import ended_on, office_certificates, periods_of
from evaluations.models import Inspection, PlanItem, SelfReport

# The counts of a row, in the page's and the download's order.
COUNTS = (
    "in_force",
    "planned",
    "planned_done",
    "inspected",
    "compliant",
    "warning",
    "propose_revocation",
    "reports_due",
    "reports_submitted",
    "reports_late",
    "reports_missed",
)


@dataclass
class CoverageRow:
    code: str = ""
    name: str = ""
    in_force: int = 0
    planned: int = 0
    planned_done: int = 0
    inspected: int = 0
    compliant: int = 0
    warning: int = 0
    propose_revocation: int = 0
    reports_due: int = 0
    reports_submitted: int = 0
    reports_late: int = 0
    reports_missed: int = 0

    def counts(self) -> list[int]:
        return [getattr(self, name) for name in COUNTS]

    def add(self, other: "CoverageRow") -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Coverage:
    year: int
    rows: list[CoverageRow]
    total: CoverageRow


def report_years(user, today: date) -> list[int]:
    """The years the report may show, newest first: from the first certificate the office
    sees to this year (this year alone when it has none)."""
    first = office_certificates(user, today).aggregate(first=Min("issued_on"))["first"]
    start = first.year if first else today.year
    return list(range(today.year, start - 1, -1))


def coverage(user, year: int, today: date | None = None) -> Coverage:
    """The year's follow-up per first-level unit and in total (five queries, whatever the
    number of certificates)."""
    today = today or timezone.localdate()
    start, end = date(year, 1, 1), date(year, 12, 31)
    certificates = [
        c
        for c in office_certificates(user, today)
        .filter(issued_on__lte=end, valid_until__gte=start)
        .select_related("dossier__first_level_unit", "revocation", "superseded_by")
        .order_by("pk")
        if (ended := ended_on(c)) is None or ended >= start
    ]
    ids = [c.pk for c in certificates]
    last_outcome = dict(
        Inspection.objects.filter(certificate__in=ids, date__range=(start, end))
        .order_by("certificate_id", "date", "pk")
        .values_list("certificate_id", "outcome")
    )
    submitted = {
        certificate_id: timezone.localdate(at)
        for certificate_id, at in SelfReport.objects.filter(
            certificate__in=ids, year=year, state=SelfReportState.SUBMITTED
        ).values_list("certificate_id", "submitted_at")
    }
    rows: dict[str, CoverageRow] = {}

    def row(unit_code: str, unit_name: str) -> CoverageRow:
        return rows.setdefault(unit_code, CoverageRow(code=unit_code, name=unit_name))

    outcome_field = {
        InspectionOutcome.COMPLIANT: "compliant",
        InspectionOutcome.WARNING: "warning",
        InspectionOutcome.PROPOSE_REVOCATION: "propose_revocation",
    }
    for certificate in certificates:
        unit = certificate.dossier.first_level_unit
        line = row(unit.code, unit.name)
        line.in_force += 1
        if certificate.pk in last_outcome:
            line.inspected += 1
            name = outcome_field[last_outcome[certificate.pk]]
            setattr(line, name, getattr(line, name) + 1)
        period = next((p for p in periods_of(certificate) if p.year == year), None)
        if period is None:
            continue
        line.reports_due += 1
        state = standing(period, submitted.get(certificate.pk), today)
        if state in (SelfReportStanding.SUBMITTED, SelfReportStanding.LATE):
            line.reports_submitted += 1
            line.reports_late += state == SelfReportStanding.LATE
        elif state == SelfReportStanding.MISSED:
            line.reports_missed += 1
    items = (
        PlanItem.objects.filter(plan__province_id=user.jurisdiction_id, plan__year=year)
        .exclude(state=PlanItemState.CANCELLED)
        .values_list(
            "state",
            "certificate__dossier__first_level_unit__code",
            "certificate__dossier__first_level_unit__name",
        )
    )
    for state, unit_code, unit_name in items:
        line = row(unit_code, unit_name)
        line.planned += 1
        line.planned_done += state == PlanItemState.DONE
    ordered = [rows[code] for code in sorted(rows)]
    total = CoverageRow()
    for line in ordered:
        total.add(line)
    return Coverage(year=year, rows=ordered, total=total)
