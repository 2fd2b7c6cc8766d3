"""Transition tables of the OCOP cycle. Pure data and functions, no database.

The table drives the buttons shown, the form choices and the service guards.
"""

from evaluations.enums import DossierState as S

DOSSIER_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.RETURNED, S.ACCEPTED, S.WITHDRAWN}),
    S.RETURNED: frozenset({S.RESUBMITTED, S.WITHDRAWN}),
    S.RESUBMITTED: frozenset({S.RETURNED, S.ACCEPTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.UNDER_EVALUATION}),
    # A council's final result moves the dossier on (services.sessions.item_finalise).
    S.UNDER_EVALUATION: frozenset({S.FORWARDED, S.RECOGNISED, S.NOT_RECOGNISED}),
    # The next level's working group puts it on its council's agenda.
    S.FORWARDED: frozenset({S.UNDER_EVALUATION}),
    S.RECOGNISED: frozenset(),
    S.NOT_RECOGNISED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


def dossier_can_move(current: str, target: str) -> bool:
    return target in DOSSIER_TRANSITIONS.get(current, frozenset())
