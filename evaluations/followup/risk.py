"""Why a certified product should be inspected this year, and how urgently: pure rules over
facts the selectors gather (no database).

Each reason has a weight (`OCOP_FOLLOWUP_RISK_WEIGHTS`, data, not code); a product's risk is
the sum of its reasons' weights, a missed or late self-report counting once per report. The
complaint signal is the last inspection's outcome: a warning, or a proposal to revoke.
"""

from dataclasses import dataclass, field
from datetime import date

from evaluations.enums import InspectionOutcome, RiskReason, SelfReportStanding


@dataclass(frozen=True)
class Reason:
    code: str
    weight: int
    # What the page shows beside the reason: a day (the inspection's, the certificate's end)
    # or the years of the self-reports concerned.
    on: date | None = None
    years: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return RiskReason(self.code).label


@dataclass(frozen=True)
class Risk:
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def score(self) -> int:
        return sum(r.weight * max(len(r.years), 1) for r in self.reasons)

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]


def assess(
    *,
    year: int,
    valid_until: date,
    last_outcome: str | None,
    last_inspected_on: date | None,
    standings: dict[int, str],
    weights: dict[str, int],
) -> Risk:
    """The risk of a certified product for the plan of `year`: its last inspection's outcome
    (or none ever), its self-reports' standings by year, and whether its certificate ends
    within the year."""
    reasons = []

    def add(code: str, **details) -> None:
        reasons.append(Reason(code=code, weight=int(weights.get(code, 0)), **details))

    if last_outcome == InspectionOutcome.PROPOSE_REVOCATION:
        add(RiskReason.PROPOSE_REVOCATION, on=last_inspected_on)
    elif last_outcome == InspectionOutcome.WARNING:
        add(RiskReason.WARNING, on=last_inspected_on)
    missed = tuple(y for y, s in sorted(standings.items()) if s == SelfReportStanding.MISSED)
    late = tuple(y for y, s in sorted(standings.items()) if s == SelfReportStanding.LATE)
    if missed:
        add(RiskReason.MISSED_SELF_REPORT, years=missed)
    if late:
        add(RiskReason.LATE_SELF_REPORT, years=late)
    if last_inspected_on is None:
        add(RiskReason.NEVER_INSPECTED)
    if valid_until <= date(year, 12, 31):
        add(RiskReason.EXPIRING, on=valid_until)
    return Risk(reasons=tuple(reasons))
