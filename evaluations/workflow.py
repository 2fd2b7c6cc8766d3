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
    S.UNDER_EVALUATION: frozenset(),
    S.WITHDRAWN: frozenset(),
}


def dossier_can_move(current: str, target: str) -> bool:
    return target in DOSSIER_TRANSITIONS.get(current, frozenset())
