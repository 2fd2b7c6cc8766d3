"""Follow-up after certification: commitments, yearly self-reports, their reminders, and the
province office's inspection plan.

Each function locks what it changes, checks who acts and that the move is legal now, and
writes its audit entries in the same transaction; mail goes out once it has committed.
"""

from dataclasses import dataclass, field
from datetime import date

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evaluations.enums import (
    AnswerStatus,
    CommitmentKind,
    CommitmentState,
    PlanItemState,
    ReminderKind,
    SelfReportState,
)
from evaluations.exceptions import FollowupError
from evaluations.followup.schedule import reminder_due
from evaluations.followup.selectors import (
    certificate_risk,
    commitments_to_answer,
    in_force_q,
    is_in_force,
    office_certificates,
    periods_of,
    plan_year_certificates,
)
from evaluations.followup.workflow import (
    commitment_can_move,
    plan_item_can_move,
    self_report_can_move,
)
from evaluations.models import (
    Certificate,
    Commitment,
    Inspection,
    InspectionPlan,
    PlanItem,
    SelfReport,
    SelfReportAnswer,
    SelfReportReminder,
)
from ocop.core.audit import audit_log
from ocop.core.limits import NOTE_MAX_LENGTH, text_length_error
from ocop.core.models import AdministrativeUnit
from ocop.core.selectors import province_of, working_group_users
from ocop.core.services.notifications import notify
from ocop.core.uploads import check_document
from products.selectors import producer_users

# The longest inspector's name a plan item keeps (its model field's length).
INSPECTOR_MAX_LENGTH = 200


def _date(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _require(actor, perm: str, obj) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this with this certificate."))


def _locked_certificate(certificate: Certificate) -> Certificate:
    return (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("decision__issuer", "product")
        .get(pk=certificate.pk)
    )


def _require_in_force(certificate: Certificate, today: date) -> None:
    if not is_in_force(certificate, today):
        raise FollowupError(
            _("Certificate %(number)s is no longer in force: its follow-up is closed.")
            % {"number": certificate.number}
        )


def self_report_url(certificate: Certificate, year: int) -> str:
    return reverse("evaluations:self_report", args=[certificate.number, year])


# --- commitments ----------------------------------------------------------------------------


def _check_commitment(certificate: Certificate, *, kind, text, due_on) -> dict:
    errors = {}
    if kind not in CommitmentKind.values:
        errors["kind"] = _("Choose the kind of commitment.")
    if not (text or "").strip():
        errors["text"] = _("Write what the producer commits to.")
    elif (too_long := text_length_error(text.strip(), NOTE_MAX_LENGTH)) is not None:
        errors["text"] = too_long
    if due_on is not None and not certificate.issued_on <= due_on <= certificate.valid_until:
        errors["due_on"] = _(
            "The due date must fall within the certificate's validity, from %(start)s to %(end)s."
        ) % {"start": _date(certificate.issued_on), "end": _date(certificate.valid_until)}
    return errors


def commitment_add(
    *, certificate: Certificate, kind: str, text: str, due_on: date | None = None, actor
) -> Commitment:
    """A commitment on a certificate in force, recorded by its producer's member or the
    office."""
    today = timezone.localdate()
    with transaction.atomic():
        certificate = _locked_certificate(certificate)
        _require(actor, "evaluations.keep_commitments", certificate)
        _require_in_force(certificate, today)
        errors = _check_commitment(certificate, kind=kind, text=text, due_on=due_on)
        if errors:
            raise ValidationError(errors)
        commitment = Commitment.objects.create(
            certificate=certificate,
            kind=kind,
            text=text.strip(),
            due_on=due_on,
            recorded_by=actor,
        )
        audit_log(
            actor=actor,
            action="commitment.add",
            obj=commitment,
            data={"certificate": certificate.number, "kind": kind, "due_on": due_on},
        )
    return commitment


def _locked_commitment(commitment: Commitment) -> Commitment:
    return (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("certificate__decision__issuer", "certificate__product")
        .get(pk=commitment.pk)
    )


def commitment_change(
    *, commitment: Commitment, kind: str, text: str, due_on: date | None = None, actor
) -> Commitment:
    """Correct an open commitment while its certificate is in force."""
    today = timezone.localdate()
    with transaction.atomic():
        Certificate.objects.select_for_update().get(pk=commitment.certificate_id)
        commitment = _locked_commitment(commitment)
        certificate = commitment.certificate
        _require(actor, "evaluations.keep_commitments", certificate)
        _require_in_force(certificate, today)
        if commitment.state != CommitmentState.OPEN:
            raise FollowupError(
                _("This commitment is %(state)s: it can no longer change.")
                % {"state": commitment.get_state_display().lower()}
            )
        errors = _check_commitment(certificate, kind=kind, text=text, due_on=due_on)
        if errors:
            raise ValidationError(errors)
        new = {"kind": kind, "text": text.strip(), "due_on": due_on}
        changed = {
            name: [getattr(commitment, name), value]
            for name, value in new.items()
            if getattr(commitment, name) != value
        }
        if not changed:
            return commitment
        for name, (_old, value) in changed.items():
            setattr(commitment, name, value)
        commitment.save(update_fields=[*changed, "changed_at"])
        audit_log(actor=actor, action="commitment.change", obj=commitment, data=changed)
    return commitment


def commitment_assess(*, commitment: Commitment, state: str, actor) -> Commitment:
    """The office finds a commitment met or missed, or reopens it; the producer is told when
    it is found missed."""
    with transaction.atomic():
        commitment = _locked_commitment(commitment)
        certificate = commitment.certificate
        _require(actor, "evaluations.assess_commitments", certificate)
        if state not in CommitmentState.values or not commitment_can_move(commitment.state, state):
            raise FollowupError(
                _("This commitment is %(state)s: it cannot become %(target)s.")
                % {
                    "state": commitment.get_state_display().lower(),
                    "target": CommitmentState.label_of(state).lower(),
                }
            )
        before = commitment.state
        commitment.state = state
        commitment.save(update_fields=["state", "changed_at"])
        audit_log(
            actor=actor,
            action="commitment.assess",
            obj=commitment,
            data={"from": before, "to": state, "certificate": certificate.number},
        )
        if state == CommitmentState.MISSED:
            notify(
                users=producer_users(certificate.producer_id),
                subject=_("OCOP commitment missed: %(product)s")
                % {"product": certificate.product.name},
                body=_(
                    "The OCOP office finds that %(product)s (certificate %(number)s) did not "
                    "keep this commitment: %(text)s"
                )
                % {
                    "product": certificate.product.name,
                    "number": certificate.number,
                    "text": commitment.text,
                },
                url=reverse("evaluations:certificate_detail", args=[certificate.number]),
            )
    return commitment


# --- yearly self-reports --------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerInput:
    """What the producer typed about one commitment: a status (blank while drafting), a note,
    and a new evidence file (None keeps the one already attached)."""

    status: str = ""
    note: str = ""
    evidence: object = None


def self_report_save(
    *,
    certificate: Certificate,
    year: int,
    answers: dict[int, AnswerInput],
    note: str = "",
    submit: bool = False,
    actor,
) -> SelfReport:
    """Save the producer's self-report of `year` (a draft, created the first time), and with
    `submit` check that every commitment is answered and lock it. Only while the certificate
    is in force, from the day the report opens; a report already submitted never changes."""
    today = timezone.localdate()
    errors = {}
    checked = {}
    for commitment_id, answer in answers.items():
        if answer.evidence is not None:
            try:
                checked[commitment_id] = check_document(answer.evidence)
            except ValidationError as error:
                errors[f"evidence_{commitment_id}"] = error.messages[0]
    if (too_long := text_length_error(note, NOTE_MAX_LENGTH)) is not None:
        errors["note"] = too_long
    with transaction.atomic():
        certificate = _locked_certificate(certificate)
        _require(actor, "evaluations.write_self_report", certificate)
        _require_in_force(certificate, today)
        period = next((p for p in periods_of(certificate) if p.year == year), None)
        if period is None:
            raise FollowupError(
                _("Certificate %(number)s asks for no self-report in %(year)s.")
                % {"number": certificate.number, "year": year}
            )
        if today < period.opens_on:
            raise FollowupError(
                _("The self-report of %(year)s opens on %(date)s.")
                % {"year": year, "date": _date(period.opens_on)}
            )
        report = (
            SelfReport.objects.select_for_update()
            .filter(certificate=certificate, year=year)
            .first()
        )
        if report is not None and not self_report_can_move(report.state, SelfReportState.SUBMITTED):
            raise FollowupError(
                _("The self-report of %(year)s is already submitted: it can no longer change.")
                % {"year": year}
            )
        commitments = commitments_to_answer(certificate, report)
        existing = {a.commitment_id: a for a in report.answers.all()} if report else {}
        for commitment in commitments:
            answer = answers.get(commitment.pk, AnswerInput())
            if answer.status and answer.status not in AnswerStatus.values:
                errors[f"status_{commitment.pk}"] = _("Choose met, not met or in progress.")
            elif (too_long := text_length_error(answer.note, NOTE_MAX_LENGTH)) is not None:
                errors[f"note_{commitment.pk}"] = too_long
            elif submit and not answer.status:
                errors[f"status_{commitment.pk}"] = _("Answer this commitment before submitting.")
        if submit and not commitments and not note.strip():
            errors["note"] = _(
                "No commitment is recorded on this certificate: write in the note how the "
                "product's quality is kept up, then submit."
            )
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        if report is None:
            report = SelfReport.objects.create(
                certificate=certificate, year=year, due_on=period.due_on, created_by=actor
            )
        report.note = note.strip()
        fields = ["note"]
        if submit:
            report.state = SelfReportState.SUBMITTED
            report.submitted_at = now
            report.submitted_by = actor
            fields += ["state", "submitted_at", "submitted_by"]
        report.save(update_fields=fields)
        statuses = {}
        for commitment in commitments:
            answer = answers.get(commitment.pk, AnswerInput())
            row = existing.get(commitment.pk)
            if row is None:
                if not (answer.status or answer.note.strip() or commitment.pk in checked):
                    continue  # nothing written about it yet
                row = SelfReportAnswer(report=report, commitment=commitment)
            row.status = answer.status
            row.note = answer.note.strip()
            if submit:
                row.commitment_kind = commitment.kind
                row.commitment_text = commitment.text
            if commitment.pk in checked:
                _attach(row, checked[commitment.pk])
            row.save()
            statuses[commitment.pk] = row.status
        audit_log(
            actor=actor,
            action="self_report.submit" if submit else "self_report.save",
            obj=report,
            data={
                "certificate": certificate.number,
                "year": year,
                "answers": statuses,
                "files": len(checked),
                "late": bool(submit and today > period.due_on),
            },
        )
    return report


def _attach(answer: SelfReportAnswer, item) -> None:
    """The checked file as the answer's evidence; the one it replaces is removed once the
    transaction has committed."""
    old = answer.evidence.name if answer.evidence else ""
    answer.evidence.save(item.original_name, item.content, save=False)
    answer.evidence_name = item.original_name
    answer.evidence_type = item.kind.content_type
    answer.evidence_size = item.size
    answer.evidence_sha256 = item.sha256
    if old:
        storage = answer.evidence.storage
        transaction.on_commit(lambda: storage.delete(old))


# --- reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    certificate: Certificate
    year: int
    due_on: date
    kind: str


@dataclass
class ReminderReport:
    sent: list[Reminder] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Reminder]:
        return [r for r in self.sent if r.kind == kind]


def followup_reminders(*, today: date | None = None, dry_run: bool = False) -> ReminderReport:
    """Mail the producers whose self-report is due in `OCOP_SELF_REPORT_REMINDER_DAYS` (the
    first and the last reminder), and the OCOP offices about reports past due and not
    submitted. Each reminder is sent once per certificate and year and recorded; safe to run
    more than once a day. With `dry_run`, says what it would send and records nothing."""
    today = today or timezone.localdate()
    days = tuple(settings.OCOP_SELF_REPORT_REMINDER_DAYS)
    missed_days = settings.OCOP_SELF_REPORT_MISSED_NOTICE_DAYS
    report = ReminderReport()
    with transaction.atomic():
        certificates = (
            Certificate.objects.filter(in_force_q(today))
            .select_related("product", "decision__issuer")
            .order_by("valid_until", "pk")
        )
        if not dry_run:
            certificates = certificates.select_for_update(of=("self",))
        certificates = list(certificates)
        ids = [c.pk for c in certificates]
        submitted = {
            (certificate_id, year): timezone.localdate(at)
            for certificate_id, year, at in SelfReport.objects.filter(
                certificate__in=ids, state=SelfReportState.SUBMITTED
            ).values_list("certificate_id", "year", "submitted_at")
        }
        sent = set(
            SelfReportReminder.objects.filter(certificate__in=ids).values_list(
                "certificate_id", "year", "kind"
            )
        )
        for certificate in certificates:
            for period in periods_of(certificate):
                if (certificate.pk, period.year) in submitted:
                    continue
                kind = reminder_due(period, today, days=days, missed_days=missed_days)
                if kind is None or (certificate.pk, period.year, kind) in sent:
                    continue
                report.sent.append(Reminder(certificate, period.year, period.due_on, kind))
        report.sent.sort(key=lambda r: (r.due_on, r.certificate.number, r.kind))
        if dry_run:
            return report
        SelfReportReminder.objects.bulk_create(
            SelfReportReminder(
                certificate=r.certificate,
                year=r.year,
                kind=r.kind,
                due_on=r.due_on,
                sent_on=today,
            )
            for r in report.sent
        )
        for reminder in report.sent:
            if reminder.kind != ReminderKind.MISSED:
                _remind_producer(reminder, today)
        _notify_missed(report.of_kind(ReminderKind.MISSED))
    return report


def _remind_producer(reminder: Reminder, today: date) -> None:
    certificate = reminder.certificate
    notify(
        users=producer_users(certificate.producer_id),
        subject=_("OCOP self-report due on %(date)s: %(product)s")
        % {"date": _date(reminder.due_on), "product": certificate.product.name},
        body=_(
            "The yearly self-report of %(product)s (certificate %(number)s) for %(year)s is due "
            "on %(date)s, in %(days)d days. Answer each of your commitments and submit it on "
            "the OCOP registry."
        )
        % {
            "product": certificate.product.name,
            "number": certificate.number,
            "year": reminder.year,
            "date": _date(reminder.due_on),
            "days": (reminder.due_on - today).days,
        },
        url=self_report_url(certificate, reminder.year),
    )


def _notify_missed(reminders: list[Reminder]) -> None:
    """One mail per province office listing its missed self-reports."""
    by_province: dict[int, list[str]] = {}
    for reminder in reminders:
        certificate = reminder.certificate
        province = province_of(certificate.decision.issuer)
        by_province.setdefault(province.pk, []).append(
            f"{certificate.number} · {certificate.product.name} · {certificate.producer_name} · "
            + _("due %(date)s") % {"date": _date(reminder.due_on)}
        )
    for province_id, lines in by_province.items():
        notify(
            users=working_group_users(AdministrativeUnit.objects.get(pk=province_id)),
            subject=_("OCOP self-reports missed: %(count)d") % {"count": len(lines)},
            body="\n".join(lines),
            url=reverse("evaluations:inspection_plan"),
        )


# --- the inspection plan --------------------------------------------------------------------


def _require_planner(actor, province: AdministrativeUnit) -> None:
    if not rules.test_rule("evaluations.plan_inspections", actor) or (
        actor.jurisdiction_id != province.pk
    ):
        raise PermissionDenied(_("Only the province's OCOP office plans its inspections."))


def plan_years(today: date) -> tuple[int, int]:
    """The years the office may plan: this one and the next."""
    return today.year, today.year + 1


def _check_plan_fields(*, month, inspector) -> dict:
    errors = {}
    if month is None or not 1 <= int(month) <= 12:
        errors["month"] = _("Choose the month of the inspection.")
    if not (inspector or "").strip():
        errors["inspector"] = _("Enter who will inspect: the team or the agency.")
    elif len(inspector.strip()) > INSPECTOR_MAX_LENGTH:
        errors["inspector"] = _("Write at most %(limit)d characters.") % {
            "limit": INSPECTOR_MAX_LENGTH
        }
    return errors


def _plan(province: AdministrativeUnit, year: int, actor) -> InspectionPlan:
    """The province's plan of `year`, created (and audited) the first time."""
    plan = InspectionPlan.objects.filter(province=province, year=year).first()
    if plan is not None:
        return plan
    try:
        with transaction.atomic():
            plan = InspectionPlan.objects.create(province=province, year=year, created_by=actor)
    except IntegrityError:  # created meanwhile by a colleague
        return InspectionPlan.objects.get(province=province, year=year)
    audit_log(actor=actor, action="inspection_plan.create", obj=plan, data={"year": year})
    return plan


def plan_item_add(
    *,
    province: AdministrativeUnit,
    year: int,
    certificate: Certificate,
    month: int,
    inspector: str,
    actor,
) -> PlanItem:
    """Put a certified product on the province's plan of `year` (this year or the next) with a
    month and an inspector; the reasons it was proposed are kept with it. A product taken off
    the plan may be put back."""
    today = timezone.localdate()
    _require_planner(actor, province)
    errors = _check_plan_fields(month=month, inspector=inspector)
    if year not in plan_years(today):
        raise FollowupError(
            _("Plan the inspections of %(this)s or %(next)s.")
            % dict(zip(("this", "next"), plan_years(today), strict=True))
        )
    with transaction.atomic():
        if not office_certificates(actor, today).filter(pk=certificate.pk).exists():
            raise PermissionDenied(_("This certificate is not one of your province's."))
        certificate = _locked_certificate(certificate)
        if not plan_year_certificates(actor, year, today).filter(pk=certificate.pk).exists():
            raise FollowupError(
                _("Certificate %(number)s is not in force in %(year)s: it cannot be planned.")
                % {"number": certificate.number, "year": year}
            )
        if errors:
            raise ValidationError(errors)
        plan = _plan(province, year, actor)
        item = PlanItem.objects.select_for_update().filter(plan=plan, certificate=certificate)
        item = item.first()
        reasons = certificate_risk(certificate, year, today).codes
        if item is not None:
            if not plan_item_can_move(item.state, PlanItemState.PLANNED):
                raise FollowupError(
                    _("%(product)s is already on the plan of %(year)s.")
                    % {"product": certificate.product_name, "year": year}
                )
            item.state = PlanItemState.PLANNED
            item.month, item.inspector, item.reasons = int(month), inspector.strip(), reasons
            item.save(update_fields=["state", "month", "inspector", "reasons"])
        else:
            item = PlanItem.objects.create(
                plan=plan,
                certificate=certificate,
                month=int(month),
                inspector=inspector.strip(),
                reasons=reasons,
                added_by=actor,
            )
        audit_log(
            actor=actor,
            action="plan_item.add",
            obj=item,
            data={
                "year": year,
                "certificate": certificate.number,
                "month": item.month,
                "inspector": item.inspector,
                "reasons": reasons,
            },
        )
    return item


def _locked_item(item: PlanItem, actor) -> PlanItem:
    item = (
        PlanItem.objects.select_for_update(of=("self",))
        .select_related("plan__province", "certificate")
        .get(pk=item.pk)
    )
    _require_planner(actor, item.plan.province)
    return item


def plan_item_change(*, item: PlanItem, month: int, inspector: str, actor) -> PlanItem:
    """Move a planned inspection to another month or inspector."""
    with transaction.atomic():
        item = _locked_item(item, actor)
        if item.state != PlanItemState.PLANNED:
            raise FollowupError(
                _("This inspection is %(state)s: its plan can no longer change.")
                % {"state": item.get_state_display().lower()}
            )
        errors = _check_plan_fields(month=month, inspector=inspector)
        if errors:
            raise ValidationError(errors)
        new = {"month": int(month), "inspector": inspector.strip()}
        changed = {k: [getattr(item, k), v] for k, v in new.items() if getattr(item, k) != v}
        if not changed:
            return item
        for name, (_old, value) in changed.items():
            setattr(item, name, value)
        item.save(update_fields=list(changed))
        audit_log(actor=actor, action="plan_item.change", obj=item, data=changed)
    return item


def plan_item_cancel(*, item: PlanItem, actor) -> PlanItem:
    """Take a planned inspection off the plan (it may be put back)."""
    with transaction.atomic():
        item = _locked_item(item, actor)
        if not plan_item_can_move(item.state, PlanItemState.CANCELLED):
            raise FollowupError(
                _("This inspection is %(state)s: it cannot be taken off the plan.")
                % {"state": item.get_state_display().lower()}
            )
        item.state = PlanItemState.CANCELLED
        item.save(update_fields=["state"])
        audit_log(
            actor=actor,
            action="plan_item.cancel",
            obj=item,
            data={"certificate": item.certificate.number, "year": item.plan.year},
        )
    return item


def plan_item_link_inspection(*, inspection: Inspection, actor) -> PlanItem | None:
    """The inspection of a certificate planned for its year marks the plan item done. Runs in
    the transaction of `inspection_record` (the `inspection_recorded` signal)."""
    item = (
        PlanItem.objects.select_for_update(of=("self",))
        .filter(
            certificate_id=inspection.certificate_id,
            plan__year=inspection.date.year,
            state=PlanItemState.PLANNED,
        )
        .select_related("plan")
        .order_by("pk")
        .first()
    )
    if item is None:
        return None
    item.state = PlanItemState.DONE
    item.inspection = inspection
    item.save(update_fields=["state", "inspection"])
    audit_log(
        actor=actor,
        action="plan_item.done",
        obj=item,
        data={"inspection": inspection.pk, "outcome": inspection.outcome},
    )
    return item


def on_inspection_recorded(sender, *, inspection: Inspection, actor, **kwargs) -> None:
    """The receiver of `evaluations.certificates.signals.inspection_recorded`."""
    plan_item_link_inspection(inspection=inspection, actor=actor)
