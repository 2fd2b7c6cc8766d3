"""Transition tables of a council session's agenda items and score sheets. Pure data and
functions, no database, except the `*_actions` functions, which ask who the user is on the
council.

The tables drive the service guards (`evaluations.councils.services.scoring`) and the
buttons the session pages show (`item_actions`, `sheet_actions`).
"""

from evaluations.enums import CouncilRole, ItemState, SheetState
from ocop.core.workflow import Transitions

# An agenda item (a product on a session's agenda) is scored until the chair finalises its
# result (item_finalise); a final result never changes.
ITEM_TRANSITIONS = Transitions(
    ItemState,
    {
        ItemState.SCORING: {ItemState.FINAL},
        ItemState.FINAL: set(),
    },
)

# A member's score sheet is a draft until submitted (sheet_submit); the chair may send a
# submitted sheet back for re-scoring (sheets_reopen), which makes it a draft again.
SHEET_TRANSITIONS = Transitions(
    SheetState,
    {
        SheetState.DRAFT: {SheetState.SUBMITTED},
        SheetState.SUBMITTED: {SheetState.DRAFT},
    },
)


def item_can_move(current: str, target: str) -> bool:
    return ITEM_TRANSITIONS.can_move(current, target)


def item_is_open(state: str) -> bool:
    """Whether the item's result is still to come: declarations, sheets, re-scoring and the
    discussion may change only then."""
    return item_can_move(state, ItemState.FINAL)


def sheet_can_move(current: str, target: str) -> bool:
    return SHEET_TRANSITIONS.can_move(current, target)


def _membership(user, item, member):
    if member is not None:
        return member
    from evaluations.rules import council_membership

    return council_membership(user, item)


def item_actions(user, item, *, member=None) -> dict[str, bool]:
    """The chair's buttons on an agenda item's page: re-scoring, excusing a member, the
    discussion and the result, while the item is open. `member`: the user's membership of
    the item's council, when the caller has it already."""
    member = _membership(user, item, member)
    chair = member is not None and member.role == CouncilRole.CHAIR
    open_ = item_is_open(item.state)
    return {
        "reopen": chair and open_,
        "excuse": chair and open_,
        "discuss": chair and open_,
        "finalise": chair and item_can_move(item.state, ItemState.FINAL),
    }


def sheet_actions(user, sheet, *, item=None, member=None, excused: bool = False) -> dict[str, bool]:
    """The buttons of a member's own score sheet: save and submit a draft while the item is
    open and the chair has not excused the member from re-scoring (`excused`); the chair may
    reopen a submitted one. `item` and `member` (the user's membership of the item's
    council): when the caller has them already."""
    item = item or sheet.item
    open_ = item_is_open(item.state)
    own = sheet.member.user_id == getattr(user, "pk", None)
    editable = own and open_ and not excused and sheet_can_move(sheet.state, SheetState.SUBMITTED)
    member = _membership(user, item, member) if open_ else None
    chair = member is not None and member.role == CouncilRole.CHAIR
    return {
        "save": editable,
        "submit": editable,
        "reopen": chair and sheet_can_move(sheet.state, SheetState.DRAFT),
    }
