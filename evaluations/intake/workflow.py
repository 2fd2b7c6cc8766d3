"""Transition table of dossiers. Pure data and functions, no database, except
`dossier_actions`, which asks the user's permissions.

The table drives the buttons shown (`dossier_actions`), the form choices and the service
guards (`evaluations.intake.services.dossiers`).
"""

from evaluations.enums import DOSSIER_EDITABLE
from evaluations.enums import DossierState as S
from ocop.core.workflow import Transitions

DOSSIER_TRANSITIONS = Transitions(
    S,
    {
        S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
        S.SUBMITTED: {S.RETURNED, S.ACCEPTED, S.WITHDRAWN},
        S.RETURNED: {S.RESUBMITTED, S.WITHDRAWN},
        S.RESUBMITTED: {S.RETURNED, S.ACCEPTED, S.WITHDRAWN},
        # A council session takes it up (dossier_start_evaluation, from session_add_dossiers).
        S.ACCEPTED: {S.UNDER_EVALUATION},
        # A council's final result moves the dossier on (dossier_apply_result, from
        # councils.services.scoring.item_finalise).
        S.UNDER_EVALUATION: {S.FORWARDED, S.RECOGNISED, S.NOT_RECOGNISED},
        # The next level's working group puts it on its council's agenda; at the central
        # level, whose council sits outside the registry, the province's office records its
        # result (certificates.central.record_central_result).
        S.FORWARDED: {S.UNDER_EVALUATION, S.RECOGNISED, S.NOT_RECOGNISED},
        S.RECOGNISED: set(),
        S.NOT_RECOGNISED: set(),
        S.WITHDRAWN: set(),
    },
)


def dossier_can_move(current: str, target: str) -> bool:
    return DOSSIER_TRANSITIONS.can_move(current, target)


def dossier_actions(user, dossier) -> dict[str, bool]:
    """Which buttons to show: what the transition table allows from the current state, for
    what this user may do."""
    state = dossier.state
    producer = user.has_perm("evaluations.submit_dossier", dossier)
    checker = user.has_perm("evaluations.check_dossier", dossier)
    return {
        "edit": state in DOSSIER_EDITABLE and user.has_perm("evaluations.change_dossier", dossier),
        "submit": producer and dossier_can_move(state, S.SUBMITTED),
        "resubmit": producer and dossier_can_move(state, S.RESUBMITTED),
        "withdraw": user.has_perm("evaluations.withdraw_dossier", dossier)
        and dossier_can_move(state, S.WITHDRAWN),
        "check": checker,
        "return": checker and dossier_can_move(state, S.RETURNED),
        "accept": checker and dossier_can_move(state, S.ACCEPTED),
        "extend": state in DOSSIER_EDITABLE
        and user.has_perm("evaluations.extend_deadline", dossier),
    }
