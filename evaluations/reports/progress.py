"""A round's progress against its deadlines, per first-level unit (issue 14): what waits at
which stage, since when, and what is late; and the reminders sent before each deadline.

A dossier waits at one stage, by its state and level:

- not submitted (a draft) and returned to the producer: until the submission deadline (or
  the dossier's extension);
- waiting for the working group's check, and at the first level's council: until the
  first-level deadline;
- at the province (checked by a commune and sent up under 1489/2025, or forwarded by a
  district's council): until the province deadline;
- recognised and waiting for the decision, and at the central level: no deadline of the
  round.

"Since" is the moment it entered that stage (its latest event). Late: today is past the
stage's deadline.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.enums import DossierState, Level
from evaluations.models import Certificate, Dossier, DossierEvent, Round
from ocop.core.models import AdministrativeUnit, Notification
from ocop.core.selectors import working_group_users
from ocop.core.services.notifications import notify
from products.selectors import producer_users

# (key, label): the stages in the order a dossier goes through them.
STAGES = (
    ("draft", gettext_lazy("Not submitted")),
    ("returned", gettext_lazy("Returned to the producer")),
    ("check", gettext_lazy("Waiting for the check")),
    ("first_level", gettext_lazy("At the first-level council")),
    ("province", gettext_lazy("At the province")),
    ("decision", gettext_lazy("Waiting for the decision")),
    ("central", gettext_lazy("At the central level")),
)
STAGE_LABELS = dict(STAGES)
# The days before a deadline on which the reminders go out.
REMINDER_DAYS = (7, 1)


def stage_of(state: str, level: str, certified: bool) -> str | None:
    """The stage a dossier waits at, or None when it waits for nothing (withdrawn, not
    recognised, recognised with its certificate)."""
    if state == DossierState.DRAFT:
        return "draft"
    if state == DossierState.RETURNED:
        return "returned"
    if state in (DossierState.SUBMITTED, DossierState.RESUBMITTED):
        return "check"
    if state in (DossierState.ACCEPTED, DossierState.UNDER_EVALUATION, DossierState.FORWARDED):
        if level == Level.CENTRAL:
            return "central"
        return "province" if level == Level.PROVINCE else "first_level"
    if state == DossierState.RECOGNISED and not certified:
        return "decision"
    return None


def stage_deadline(stage: str, round_: Round, extended_to: datetime.date | None):
    if stage in ("draft", "returned"):
        return extended_to or round_.submission_deadline
    if stage in ("check", "first_level"):
        return round_.first_level_deadline
    if stage == "province":
        return round_.province_deadline
    return None


@dataclass
class Waiting:
    """A dossier waiting at a stage."""

    pk: int
    product: str
    producer: str
    producer_id: int
    unit_id: int
    unit_code: str
    unit_name: str
    stage: str
    since: datetime.datetime | None
    deadline: datetime.date | None
    late_days: int

    @property
    def late(self) -> bool:
        return self.late_days > 0

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS[self.stage])


@dataclass
class Cell:
    count: int = 0
    late: int = 0
    oldest: datetime.datetime | None = None
    deadline: datetime.date | None = None

    def add(self, item: Waiting) -> None:
        self.count += 1
        self.late += item.late
        if item.since and (self.oldest is None or item.since < self.oldest):
            self.oldest = item.since
        if item.deadline and (self.deadline is None or item.deadline < self.deadline):
            self.deadline = item.deadline


@dataclass
class UnitRow:
    unit_id: int
    code: str
    name: str
    cells: dict[str, Cell] = field(default_factory=lambda: {k: Cell() for k, _ in STAGES})

    @property
    def late(self) -> int:
        return sum(cell.late for cell in self.cells.values())

    @property
    def waiting(self) -> int:
        return sum(cell.count for cell in self.cells.values())

    @property
    def ordered(self) -> list[tuple[str, str, Cell]]:
        """(key, label, cell) of each stage, in the stages' order."""
        return [(key, label, self.cells[key]) for key, label in STAGES]


@dataclass
class Progress:
    round: Round
    today: datetime.date
    rows: list[UnitRow]
    waiting: list[Waiting]

    @property
    def late_items(self) -> list[Waiting]:
        return sorted((w for w in self.waiting if w.late), key=lambda w: (-w.late_days, w.product))

    @property
    def late_units(self) -> int:
        return sum(1 for row in self.rows if row.late)

    @property
    def totals(self) -> UnitRow:
        total = UnitRow(unit_id=0, code="", name=_("Total"))
        for item in self.waiting:
            total.cells[item.stage].add(item)
        return total


def waiting_dossiers(round_: Round, today: datetime.date) -> list[Waiting]:
    """The round's dossiers that wait at a stage (one query)."""
    latest_event = (
        DossierEvent.objects.filter(dossier=OuterRef("pk")).order_by("-at", "-pk").values("at")
    )
    rows = (
        Dossier.objects.filter(round=round_)
        .exclude(state__in=[DossierState.WITHDRAWN, DossierState.NOT_RECOGNISED])
        .annotate(
            since=Subquery(latest_event[:1]),
            certified=Exists(Certificate.objects.filter(dossier=OuterRef("pk"))),
        )
        .values(
            "pk",
            "state",
            "level",
            "certified",
            "since",
            "created_at",
            "deadline_extended_to",
            "first_level_unit_id",
            "first_level_unit__code",
            "first_level_unit__name",
            "product__name",
            "product__producer_id",
            "product__producer__name",
        )
    )
    waiting = []
    for row in rows:
        stage = stage_of(row["state"], row["level"], row["certified"])
        if stage is None:
            continue
        deadline = stage_deadline(stage, round_, row["deadline_extended_to"])
        waiting.append(
            Waiting(
                pk=row["pk"],
                product=row["product__name"],
                producer=row["product__producer__name"],
                producer_id=row["product__producer_id"],
                unit_id=row["first_level_unit_id"],
                unit_code=row["first_level_unit__code"],
                unit_name=row["first_level_unit__name"],
                stage=stage,
                since=row["since"] or row["created_at"],
                deadline=deadline,
                late_days=max((today - deadline).days, 0) if deadline else 0,
            )
        )
    return waiting


def round_progress(round_: Round, today: datetime.date) -> Progress:
    """Per first-level unit holding dossiers, each stage's count, late count, oldest "since"
    and deadline; late units first, then by code."""
    waiting = waiting_dossiers(round_, today)
    rows: dict[int, UnitRow] = {}
    for item in waiting:
        row = rows.setdefault(
            item.unit_id,
            UnitRow(unit_id=item.unit_id, code=item.unit_code, name=item.unit_name),
        )
        row.cells[item.stage].add(item)
    ordered = sorted(rows.values(), key=lambda r: (-r.late, r.code))
    return Progress(round=round_, today=today, rows=ordered, waiting=waiting)


# --- reminders before the deadlines ---------------------------------------------------------


@dataclass
class Reminder:
    users: list
    subject: str
    body: str
    url: str


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def deadline_reminders(round_: Round, today: datetime.date) -> list[Reminder]:
    """What to send today for this round: on each of REMINDER_DAYS before a deadline, the
    producers whose dossiers are not (re)submitted, the working groups holding dossiers, the
    province's office holding dossiers at its level."""
    reminders = []
    by_stage: dict[str, list[Waiting]] = {}
    for item in waiting_dossiers(round_, today):
        if item.deadline and (item.deadline - today).days in REMINDER_DAYS:
            by_stage.setdefault(item.stage, []).append(item)
    for item in by_stage.get("draft", []) + by_stage.get("returned", []):
        reminders.append(
            Reminder(
                users=list(producer_users(item.producer_id)),
                subject=_("Dossier of %(product)s: submit it by %(deadline)s")
                % {"product": item.product, "deadline": _day(item.deadline)},
                body=_(
                    "The dossier of %(product)s in round %(round)s is not submitted yet. The "
                    "submission deadline is %(deadline)s: after it, the dossier can no longer "
                    "be sent."
                )
                % {"product": item.product, "round": round_, "deadline": _day(item.deadline)},
                url=reverse("evaluations:dossier_detail", args=[item.pk]),
            )
        )
    held: dict[int, list[Waiting]] = {}
    for item in by_stage.get("check", []) + by_stage.get("first_level", []):
        held.setdefault(item.unit_id, []).append(item)
    units = AdministrativeUnit.objects.in_bulk(held)
    for items in held.values():
        deadline, name = items[0].deadline, items[0].unit_name
        reminders.append(
            Reminder(
                users=list(working_group_users(units[items[0].unit_id])),
                subject=_("%(count)d dossiers to finish by %(deadline)s (round %(round)s)")
                % {"count": len(items), "deadline": _day(deadline), "round": round_},
                body=_(
                    "%(unit)s still holds %(count)d dossiers of round %(round)s (%(products)s). "
                    "The first-level deadline is %(deadline)s."
                )
                % {
                    "unit": name,
                    "count": len(items),
                    "round": round_,
                    "products": ", ".join(i.product for i in items),
                    "deadline": _day(deadline),
                },
                url=reverse("evaluations:inbox"),
            )
        )
    at_province = by_stage.get("province", [])
    if at_province:
        deadline = at_province[0].deadline
        reminders.append(
            Reminder(
                users=list(working_group_users(round_.province)),
                subject=_("%(count)d dossiers to finish by %(deadline)s (round %(round)s)")
                % {"count": len(at_province), "deadline": _day(deadline), "round": round_},
                body=_(
                    "%(count)d dossiers of round %(round)s wait at the province (%(products)s). "
                    "The province deadline is %(deadline)s."
                )
                % {
                    "count": len(at_province),
                    "round": round_,
                    "products": ", ".join(i.product for i in at_province),
                    "deadline": _day(deadline),
                },
                url=reverse("evaluations:report_progress") + f"?round={round_.pk}",
            )
        )
    return [r for r in reminders if r.users]


def send_deadline_reminders(rounds, today: datetime.date, *, dry_run: bool = False):
    """Send today's reminders of these rounds; a reminder already sent today (same subject
    to the same person) is not sent twice, so cron may run it more than once a day. Returns
    the reminders (sent or, on a dry run, to send)."""
    due = []
    for round_ in rounds:
        for reminder in deadline_reminders(round_, today):
            already = set(
                Notification.objects.filter(
                    user__in=reminder.users,
                    subject=reminder.subject[:200],
                    created_at__date=today,
                ).values_list("user_id", flat=True)
            )
            reminder.users = [u for u in reminder.users if u.pk not in already]
            if reminder.users:
                due.append(reminder)
                if not dry_run:
                    notify(
                        users=reminder.users,
                        subject=reminder.subject,
                        body=reminder.body,
                        url=reminder.url,
                    )
    return due
