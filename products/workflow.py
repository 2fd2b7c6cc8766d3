"""Transition tables of the products app. Pure data and functions, no database."""

from ocop.core.workflow import Transitions
from products.enums import ProducerState as S

PRODUCER_TRANSITIONS = Transitions(
    S,
    {
        S.PENDING: {S.VERIFIED, S.REJECTED},
        S.REJECTED: {S.PENDING},
        S.VERIFIED: set(),
    },
)


def producer_can_move(current: str, target: str) -> bool:
    return PRODUCER_TRANSITIONS.can_move(current, target)
