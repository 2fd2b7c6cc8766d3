"""Consolidating a product's score sheets into the council's result (through the engine).

`consolidate` reads nothing from the database: the caller hands it the item's members,
declarations and sheets (see `selectors.session_items`), so a session page with any number
of products costs the same few queries.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from evaluations.councils.models import SheetReopening
from evaluations.engine.council import CouncilResult, MemberSheet, council_result
from evaluations.engine.display import format_points
from evaluations.engine.regimes import Outcome, RegimeSpec, level_outcome
from evaluations.engine.scoring import score_sheet
from evaluations.engine.spec import FormSpec
from evaluations.engine.stars import StarBands
from evaluations.enums import ItemState, SheetState
from evaluations.models import ConflictDeclaration, CouncilMember, ScoreSheet, SessionItem


@dataclass(frozen=True)
class MemberStatus:
    member: CouncilMember
    declaration: ConflictDeclaration | None
    sheet: ScoreSheet | None

    @property
    def recused(self) -> bool:
        return self.declaration is not None and self.declaration.has_conflict

    @property
    def declared(self) -> bool:
        return self.declaration is not None

    @property
    def submitted(self) -> bool:
        return self.sheet is not None and self.sheet.state == SheetState.SUBMITTED

    @property
    def reopenings(self) -> list[SheetReopening]:
        """The sheet's re-scorings, oldest first."""
        if self.sheet is None:
            return []
        return sorted(self.sheet.reopenings.all(), key=lambda r: r.number)

    @property
    def last_reopening(self) -> SheetReopening | None:
        reopenings = self.reopenings
        return reopenings[-1] if reopenings else None

    @property
    def excused(self) -> bool:
        """The chair excused the member from re-scoring a reopened sheet."""
        last = self.last_reopening
        return (
            not self.recused
            and not self.submitted
            and last is not None
            and last.excused_at is not None
        )

    @property
    def rescoring(self) -> bool:
        """The sheet was reopened and is neither resubmitted nor excused yet."""
        last = self.last_reopening
        return not self.recused and not self.submitted and last is not None and last.open

    @property
    def status(self) -> str:
        """One of: recused, submitted, excused, reopened, draft, not_declared."""
        if self.recused:
            return "recused"
        if self.submitted:
            return "submitted"
        if self.excused:
            return "excused"
        if self.rescoring:
            return "reopened"
        if self.sheet is not None:
            return "draft"
        return "not_declared"


@dataclass
class ItemConsolidation:
    item: SessionItem
    members: list[MemberStatus]
    result: CouncilResult | None
    outcome: Outcome | None
    # What stops the result, in words that reveal nothing of the members' totals...
    blockers: list[str] = field(default_factory=list)
    # ...and what does (the spread): shown only to who may see the totals.
    derived_blockers: list[str] = field(default_factory=list)
    spread_threshold: Decimal = Decimal(10)
    discussion_clears_spread: bool = False

    @property
    def can_finalise(self) -> bool:
        return self.result is not None and not self.blockers and not self.derived_blockers

    def totals_visible_to(self, member: CouncilMember | None) -> bool:
        """Independence: nobody sees anything derived from others' totals (totals, mean,
        spread, stars) before their own sheet is in. A member who scores: once their sheet
        is submitted (or they are recused or excused); the secretary, who does not score:
        once nobody is left to score; everybody once the result is final."""
        if self.item.state == ItemState.FINAL:
            return True
        if member is None:
            return False
        if not member.scores:
            return not self.pending
        own = next((m for m in self.members if m.member.pk == member.pk), None)
        return own is not None and (own.submitted or own.recused or own.excused)

    def blockers_for(self, member: CouncilMember | None) -> list[str]:
        """The blockers this member may read."""
        if self.totals_visible_to(member):
            return self.blockers + self.derived_blockers
        return list(self.blockers)

    @property
    def submitted(self) -> list[MemberStatus]:
        return [m for m in self.members if m.submitted and not m.recused]

    @property
    def recused(self) -> list[MemberStatus]:
        return [m for m in self.members if m.recused]

    @property
    def pending(self) -> list[MemberStatus]:
        """The members still expected to submit (neither recused nor excused)."""
        return [m for m in self.members if not m.recused and not m.submitted and not m.excused]

    @property
    def reopened(self) -> list[MemberStatus]:
        """Members whose reopened sheet is neither resubmitted nor excused."""
        return [m for m in self.members if m.rescoring]

    @property
    def rescored(self) -> bool:
        """Some member re-scored: a reopened sheet of this product was resubmitted."""
        return any(r.resubmitted_at for m in self.members for r in m.reopenings)

    @property
    def discussion_needed(self) -> bool:
        """The spread is above the threshold and not cleared: by the council's rules, a
        discussion conclusion recorded after the last sheet, and (unless the council lets a
        discussion alone clear it) the members' re-scoring."""
        if not (self.result and self.result.spread_exceeded):
            return False
        if not self.discussion_valid:
            return True
        return not (self.discussion_clears_spread or self.rescored)

    @property
    def discussion_valid(self) -> bool:
        """A discussion conclusion counts if recorded after the last sheet was submitted."""
        item = self.item
        if not item.discussion or item.discussion_at is None:
            return False
        last = max((m.sheet.submitted_at for m in self.submitted), default=None)
        return last is None or item.discussion_at >= last


def consolidate(
    *,
    item: SessionItem,
    members: Iterable[CouncilMember],
    declarations: Iterable[ConflictDeclaration],
    sheets: Iterable[ScoreSheet],
    spec: FormSpec,
    regime: RegimeSpec,
    bands: StarBands,
    level: str,
    quorum: Decimal,
    spread_threshold: Decimal,
    discussion_clears_spread: bool = False,
    session_date: date | None = None,
    today: date | None = None,
) -> ItemConsolidation:
    by_member_decl = {d.member_id: d for d in declarations}
    by_member_sheet = {s.member_id: s for s in sheets}
    scoring = [m for m in members if m.scores]
    statuses = [
        MemberStatus(m, by_member_decl.get(m.pk), by_member_sheet.get(m.pk)) for m in scoring
    ]
    chair = next((m for m in scoring if m.is_chair), None)
    counted = [
        MemberSheet(str(s.member.pk), score_sheet(form=spec, answers=s.sheet.answers))
        for s in statuses
        if s.submitted and not s.recused
    ]
    recused_count = sum(1 for s in statuses if s.recused)
    chair_recused = any(s.recused and s.member.is_chair for s in statuses)
    consolidation = ItemConsolidation(
        item=item,
        members=statuses,
        result=None,
        outcome=None,
        spread_threshold=spread_threshold,
        discussion_clears_spread=discussion_clears_spread,
    )
    blockers = consolidation.blockers
    if session_date is not None and today is not None and today < session_date:
        blockers.append(
            _("A result can be finalised from the session's date, %(date)s.")
            % {"date": formats.date_format(session_date, "SHORT_DATE_FORMAT")}
        )
    for status in statuses:
        if status.rescoring:
            blockers.append(
                _(
                    "%(name)s's sheet was reopened for re-scoring and is not resubmitted: "
                    "wait for it, or excuse the member with a reason."
                )
                % {"name": status.member.name}
            )
    if not counted:
        blockers.append(_("No member has submitted a score sheet yet."))
        return consolidation
    result = council_result(
        form=spec,
        sheets=counted,
        member_count=len(scoring),
        chair_key=str(chair.pk) if chair else "",
        chair_recused=chair_recused,
        recused_count=recused_count,
        quorum=quorum,
        spread_threshold=spread_threshold,
        bands=bands,
    )
    consolidation.result = result
    consolidation.outcome = level_outcome(
        regime=regime, level=level, stars=result.stars, mean=result.mean
    )
    if chair is None:
        blockers.append(_("The council has no chair."))
    if not result.quorum_met:
        if not (result.chair_submitted or chair_recused):
            blockers.append(_("The chair has not submitted a score sheet."))
        blockers.append(
            _(
                "Quorum not met: %(submitted)d of %(eligible)d members who may score have "
                "submitted; at least %(needed)s are needed."
            )
            % {
                "submitted": result.submitted_count,
                "eligible": result.eligible_count,
                "needed": _needed(quorum, result.eligible_count),
            }
        )
    if consolidation.discussion_needed:
        figures = {
            "spread": format_points(result.spread),
            "threshold": format_points(spread_threshold, short=True),
        }
        if discussion_clears_spread:
            text = _(
                "The members' totals differ by %(spread)s points, more than %(threshold)s: "
                "reopen sheets for re-scoring or record the council's discussion conclusion."
            )
        else:
            text = _(
                "The members' totals differ by %(spread)s points, more than %(threshold)s: "
                "the council discusses and the members re-score; reopen sheets for re-scoring, "
                "then record the council's discussion conclusion."
            )
        consolidation.derived_blockers.append(text % figures)
    return consolidation


def _needed(quorum: Decimal, eligible: int) -> int:
    """The smallest whole number of sheets that meets the quorum."""
    needed = quorum * eligible
    whole = int(needed)
    return whole if whole == needed else whole + 1


def member_totals(consolidation: ItemConsolidation) -> dict[int, Decimal]:
    """Member pk → total, for the sheets counted."""
    return {m.member.pk: m.sheet.total for m in consolidation.submitted}
