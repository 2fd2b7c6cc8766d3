"""Transition tables of the products app. Pure data and functions, no database."""

from products.enums import ProducerState

PRODUCER_TRANSITIONS: dict[str, frozenset[str]] = {
    ProducerState.PENDING: frozenset({ProducerState.VERIFIED, ProducerState.REJECTED}),
    ProducerState.REJECTED: frozenset({ProducerState.PENDING}),
    ProducerState.VERIFIED: frozenset(),
}


def producer_can_move(current: str, target: str) -> bool:
    return target in PRODUCER_TRANSITIONS.get(current, frozenset())
