"""Consolidating a product's score sheets into the council's result (through the engine).

`consolidate` reads nothing from the database: the caller hands it the item's members,
declarations and sheets (see `selectors.session_items`), so a session page with any number
of products costs the same few queries.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from evaluations.engine.council import CouncilResult, MemberSheet, council_result
from evaluations.engine.regimes import Outcome, RegimeSpec, level_outcome
from evaluations.engine.scoring import score_sheet
from evaluations.engine.spec import FormSpec
from evaluations.engine.stars import StarBands, truncate_2dp
from evaluations.enums import SheetState
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
    def status(self) -> str:
        """One of: recused, submitted, draft, not_declared."""
        if self.recused:
            return "recused"
        if self.submitted:
            return "submitted"
        if self.sheet is not None:
            return "draft"
        return "not_declared"


@dataclass
class ItemConsolidation:
    item: SessionItem
    members: list[MemberStatus]
    result: CouncilResult | None
    outcome: Outcome | None
    blockers: list[str] = field(default_factory=list)
    spread_threshold: Decimal = Decimal(10)

    @property
    def can_finalise(self) -> bool:
        return self.result is not None and not self.blockers

    @property
    def submitted(self) -> list[MemberStatus]:
        return [m for m in self.members if m.submitted and not m.recused]

    @property
    def recused(self) -> list[MemberStatus]:
        return [m for m in self.members if m.recused]

    @property
    def pending(self) -> list[MemberStatus]:
        return [m for m in self.members if not m.recused and not m.submitted]

    @property
    def discussion_needed(self) -> bool:
        return bool(self.result and self.result.spread_exceeded and not self.discussion_valid)

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
    )
    if not counted:
        consolidation.blockers.append(_("No member has submitted a score sheet yet."))
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
    blockers = consolidation.blockers
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
        blockers.append(
            _(
                "The members' totals differ by %(spread)s points, more than %(threshold)s: "
                "reopen sheets for re-scoring or record the council's discussion conclusion."
            )
            % {"spread": truncate_2dp(result.spread), "threshold": spread_threshold}
        )
    return consolidation


def _needed(quorum: Decimal, eligible: int) -> int:
    """The smallest whole number of sheets that meets the quorum."""
    needed = quorum * eligible
    whole = int(needed)
    return whole if whole == needed else whole + 1


def member_totals(consolidation: ItemConsolidation) -> dict[int, Decimal]:
    """Member pk → total, for the sheets counted."""
    return {m.member.pk: m.sheet.total for m in consolidation.submitted}
