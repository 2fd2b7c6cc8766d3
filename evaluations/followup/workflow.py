"""Transition tables of commitments, self-reports and plan items. Pure data and functions, no
database, except the `*_actions` functions, which ask the user's permissions.

The tables drive the service guards (`evaluations.followup.services`) and the buttons the
pages show.
"""

from evaluations.enums import CommitmentState, PlanItemState, SelfReportState
from ocop.core.workflow import Transitions

# A commitment is open until the office finds it met or missed; the office may reopen it
# (a finding corrected). The producer edits it only while it is open.
COMMITMENT_TRANSITIONS = Transitions(
    CommitmentState,
    {
        CommitmentState.OPEN: {CommitmentState.MET, CommitmentState.MISSED},
        CommitmentState.MET: {CommitmentState.OPEN},
        CommitmentState.MISSED: {CommitmentState.OPEN},
    },
)

# A self-report is a draft until the producer submits it; then it is locked.
SELF_REPORT_TRANSITIONS = Transitions(
    SelfReportState,
    {
        SelfReportState.DRAFT: {SelfReportState.SUBMITTED},
        SelfReportState.SUBMITTED: set(),
    },
)

# A plan item is planned until its inspection is recorded (done) or the office cancels it; a
# cancelled one may be planned again.
PLAN_ITEM_TRANSITIONS = Transitions(
    PlanItemState,
    {
        PlanItemState.PLANNED: {PlanItemState.DONE, PlanItemState.CANCELLED},
        PlanItemState.CANCELLED: {PlanItemState.PLANNED},
        PlanItemState.DONE: set(),
    },
)


def commitment_can_move(current: str, target: str) -> bool:
    return COMMITMENT_TRANSITIONS.can_move(current, target)


def self_report_can_move(current: str, target: str) -> bool:
    return SELF_REPORT_TRANSITIONS.can_move(current, target)


def plan_item_can_move(current: str, target: str) -> bool:
    return PLAN_ITEM_TRANSITIONS.can_move(current, target)


def commitment_targets(commitment) -> list[str]:
    """The states the office may set a commitment to, in the enum's order."""
    targets = COMMITMENT_TRANSITIONS.targets(commitment.state)
    return [state for state in CommitmentState if state in targets]
