"""Reads of the follow-up after certification: a certificate's commitments and self-reports,
the self-reports due or missed, the certificates proposed for the year's inspection plan
(ranked by risk) and the plan itself. Who sees which certificate comes from
`evaluations.certificates.selectors`; each read costs a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

import rules
from django.conf import settings
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from evaluations.certificates.selectors import certificates_visible_to
from evaluations.enums import (
    CertificateStatus,
    CommitmentState,
    PlanItemState,
    SelfReportStanding,
    SelfReportState,
)
from evaluations.followup.risk import Risk, assess
from evaluations.followup.schedule import ReportPeriod, report_periods, standing
from evaluations.models import (
    Certificate,
    Commitment,
    Inspection,
    InspectionPlan,
    PlanItem,
    SelfReport,
    SelfReportAnswer,
)
from products.selectors import member_producer_ids


def in_force_q(today: date, prefix: str = "") -> Q:
    """Certificates standing today: stored valid, not past their last day."""
    return Q(**{f"{prefix}status": CertificateStatus.VALID, f"{prefix}valid_until__gte": today})


def is_in_force(certificate: Certificate, today: date) -> bool:
    return certificate.status == CertificateStatus.VALID and certificate.valid_until >= today


def ended_on(certificate: Certificate) -> date | None:
    """The day a revoked or superseded certificate stopped standing (its revoking decision,
    its successor's issue), else None. Reads `revocation` and `superseded_by`: select them."""
    if certificate.status == CertificateStatus.REVOKED:
        revocation = getattr(certificate, "revocation", None)
        return revocation.decision_date if revocation is not None else certificate.valid_until
    if certificate.status == CertificateStatus.SUPERSEDED and certificate.superseded_by_id:
        return certificate.superseded_by.issued_on
    return None


def periods_of(certificate: Certificate) -> list[ReportPeriod]:
    """The yearly self-reports the certificate asks for (`schedule.report_periods`); none for
    a certificate of an imported decision, which the registry did not follow up (it has no
    members to report, and its past years would all read as missed). Reads `decision`."""
    if certificate.decision.import_batch_id:
        return []
    return report_periods(certificate.issued_on, certificate.valid_until, ended_on(certificate))


def submitted_on(report: SelfReport | None) -> date | None:
    if report is None or report.state != SelfReportState.SUBMITTED:
        return None
    return timezone.localdate(report.submitted_at)


# --- a certificate's page -------------------------------------------------------------------


def certificate_commitments(certificate: Certificate) -> list[Commitment]:
    return list(Commitment.objects.filter(certificate=certificate).select_related("recorded_by"))


@dataclass(frozen=True)
class ReportRow:
    """One year's self-report of a certificate, as its page lists it."""

    period: ReportPeriod
    report: SelfReport | None
    standing: str

    @property
    def year(self) -> int:
        return self.period.year


def certificate_report_rows(certificate: Certificate, today: date) -> list[ReportRow]:
    """Every self-report the certificate asks for, with the report written so far (one
    query; two for a revoked or superseded certificate)."""
    if certificate.status == CertificateStatus.REVOKED:
        certificate = Certificate.objects.select_related("revocation").get(pk=certificate.pk)
    reports = {r.year: r for r in SelfReport.objects.filter(certificate=certificate)}
    return [
        ReportRow(p, reports.get(p.year), standing(p, submitted_on(reports.get(p.year)), today))
        for p in periods_of(certificate)
    ]


def self_report_of(certificate: Certificate, year: int) -> SelfReport | None:
    """The certificate's report of `year` with its answers and their commitments."""
    return (
        SelfReport.objects.filter(certificate=certificate, year=year)
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=SelfReportAnswer.objects.select_related("commitment").order_by(
                    "commitment__due_on", "commitment_id"
                ),
            )
        )
        .first()
    )


def commitments_to_answer(certificate: Certificate, report: SelfReport | None) -> list[Commitment]:
    """What a draft report answers: the certificate's open commitments and those it already
    answers (one query)."""
    q = Q(state=CommitmentState.OPEN)
    if report is not None and report.pk:
        q |= Q(answers__report=report)
    return list(Commitment.objects.filter(q, certificate=certificate).distinct())


def evidence_answer(certificate: Certificate, year: int, answer_id: int) -> QuerySet:
    """The answer of the certificate's report of `year`, if it holds a file."""
    return SelfReportAnswer.objects.filter(
        pk=answer_id, report__certificate=certificate, report__year=year
    ).exclude(evidence="")


# --- self-reports due, late and missed ------------------------------------------------------


@dataclass(frozen=True)
class DueReport:
    certificate: Certificate
    period: ReportPeriod
    standing: str


def _due_reports(certificates: QuerySet[Certificate], today: date, keep) -> list[DueReport]:
    """The periods of `certificates` (in force) that `keep(period, standing)` keeps, by due
    date (two queries)."""
    certificates = list(certificates.filter(in_force_q(today)))
    submitted = {
        (certificate_id, year): timezone.localdate(at)
        for certificate_id, year, at in SelfReport.objects.filter(
            certificate__in=[c.pk for c in certificates], state=SelfReportState.SUBMITTED
        ).values_list("certificate_id", "year", "submitted_at")
    }
    found = []
    for certificate in certificates:
        for period in periods_of(certificate):
            state = standing(period, submitted.get((certificate.pk, period.year)), today)
            if keep(period, state):
                found.append(DueReport(certificate, period, state))
    return sorted(found, key=lambda d: (d.period.due_on, d.certificate.number))


def first_reminder_days() -> int:
    return max(settings.OCOP_SELF_REPORT_REMINDER_DAYS)


def producer_reports_due(user, today: date) -> list[DueReport]:
    """The self-reports the user's producers must write now: open and within the first
    reminder's days of their due date, or missed and still to send."""
    producer_ids = member_producer_ids(user)
    if not producer_ids:
        return []
    days = first_reminder_days()

    def keep(period: ReportPeriod, state: str) -> bool:
        if state == SelfReportStanding.MISSED:
            return True
        return state == SelfReportStanding.OPEN and (period.due_on - today).days <= days

    return _due_reports(
        certificates_visible_to(user, today).filter(producer_id__in=producer_ids), today, keep
    )


def missed_reports(user, today: date) -> list[DueReport]:
    """The self-reports of the office's certificates in force that are past due and not
    submitted."""
    return _due_reports(
        office_certificates(user, today),
        today,
        lambda period, state: state == SelfReportStanding.MISSED,
    )


# --- the province office's plan -------------------------------------------------------------


def office_certificates(user, today: date) -> QuerySet[Certificate]:
    """The certificates of the province's OCOP office (none for anyone else)."""
    if not rules.test_rule("evaluations.plan_inspections", user):
        return Certificate.objects.none()
    return certificates_visible_to(user, today)


def plan_of(user, year: int) -> InspectionPlan | None:
    if not rules.test_rule("evaluations.plan_inspections", user):
        return None
    return InspectionPlan.objects.filter(province_id=user.jurisdiction_id, year=year).first()


def plan_items_visible_to(user) -> QuerySet[PlanItem]:
    """The items of the plans of the user's province (the province's OCOP office only)."""
    if not rules.test_rule("evaluations.plan_inspections", user):
        return PlanItem.objects.none()
    return PlanItem.objects.filter(plan__province_id=user.jurisdiction_id).select_related(
        "plan", "certificate__dossier__first_level_unit", "inspection"
    )


def plan_items(user, year: int) -> QuerySet[PlanItem]:
    """The plan of `year`, by month."""
    return (
        plan_items_visible_to(user)
        .filter(plan__year=year)
        .order_by("month", "certificate__product_name", "pk")
    )


def plan_items_due(user, today: date) -> QuerySet[PlanItem]:
    """This year's planned inspections of this month or earlier, not recorded yet."""
    return plan_items(user, today.year).filter(state=PlanItemState.PLANNED, month__lte=today.month)


@dataclass(frozen=True)
class Candidate:
    certificate: Certificate
    risk: Risk

    @property
    def score(self) -> int:
        return self.risk.score


def _with_last_inspection(certificates: QuerySet[Certificate]) -> QuerySet[Certificate]:
    latest = Inspection.objects.filter(certificate=OuterRef("pk")).order_by("-date", "-pk")
    return certificates.annotate(
        last_outcome=Subquery(latest.values("outcome")[:1]),
        last_inspected_on=Subquery(latest.values("date")[:1]),
    )


def plan_year_certificates(user, year: int, today: date) -> QuerySet[Certificate]:
    """The office's certificates the plan of `year` may inspect: standing today and still
    valid in that year."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return office_certificates(user, today).filter(
        in_force_q(max(today, start)), issued_on__lte=end
    )


def rank(certificates: QuerySet[Certificate], year: int, today: date) -> list[Candidate]:
    """The certificates with their risk for the plan of `year`, riskiest first, then by their
    end (two queries, whatever their number)."""
    certificates = list(
        _with_last_inspection(certificates).select_related("dossier__first_level_unit")
    )
    submitted = {
        (certificate_id, report_year): timezone.localdate(at)
        for certificate_id, report_year, at in SelfReport.objects.filter(
            certificate__in=[c.pk for c in certificates], state=SelfReportState.SUBMITTED
        ).values_list("certificate_id", "year", "submitted_at")
    }
    weights = settings.OCOP_FOLLOWUP_RISK_WEIGHTS
    candidates = []
    for certificate in certificates:
        standings = {
            p.year: standing(p, submitted.get((certificate.pk, p.year)), today)
            for p in periods_of(certificate)
        }
        risk = assess(
            year=year,
            valid_until=certificate.valid_until,
            last_outcome=certificate.last_outcome,
            last_inspected_on=certificate.last_inspected_on,
            standings=standings,
            weights=weights,
        )
        candidates.append(Candidate(certificate, risk))
    return sorted(
        candidates,
        key=lambda c: (-c.score, c.certificate.valid_until, c.certificate.number),
    )


def plan_candidates(user, year: int, today: date) -> list[Candidate]:
    """The certificates proposed for the plan of `year` (those not on it yet), riskiest
    first, each with the reasons."""
    on_plan = PlanItem.objects.filter(
        plan__province_id=user.jurisdiction_id, plan__year=year
    ).values("certificate_id")
    return rank(plan_year_certificates(user, year, today).exclude(pk__in=on_plan), year, today)


def certificate_risk(certificate: Certificate, year: int, today: date) -> Risk:
    """One certificate's risk for the plan of `year`."""
    found = rank(Certificate.objects.filter(pk=certificate.pk), year, today)
    return found[0].risk if found else Risk()
