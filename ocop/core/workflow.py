"""A state machine's transition table: state -> the states it may move to next.

Pure data, no database. Each package's `workflow.py` declares its tables with `Transitions`;
the services guard their moves with `can_move`, the pages show the buttons of the moves
`can_move` allows, and the transition-matrix tests try every (from, to) pair.
"""

from collections.abc import Iterable, Iterator, Mapping

from django.db import models


class Transitions(Mapping[str, frozenset[str]]):
    """An immutable `{state: frozenset(next states)}` over the states of one choices class.

    Every state of the table is a member of `states`, and every next state is itself a state
    of the table (checked at import). A table may leave out members that are never stored
    (a certificate's "expiring" is computed from its dates).
    """

    def __init__(self, states: type[models.TextChoices], table: Mapping[str, Iterable[str]]):
        self.states = states
        self._table = {
            states(state): frozenset(states(t) for t in nxt) for state, nxt in table.items()
        }
        strays = {t for nxt in self._table.values() for t in nxt} - set(self._table)
        if strays:
            raise ValueError(
                f"{states.__name__} transitions lead to states not in the table: {sorted(strays)}"
            )

    def __getitem__(self, state: str) -> frozenset[str]:
        return self._table[state]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        return f"Transitions({self.states.__name__}, {self._table!r})"

    def can_move(self, current: str, target: str) -> bool:
        """Whether the table allows a move from `current` to `target`."""
        return target in self._table.get(current, frozenset())

    def targets(self, current: str) -> frozenset[str]:
        """The states `current` may move to (none for a state out of the table)."""
        return self._table.get(current, frozenset())

    def sources(self, target: str) -> frozenset[str]:
        """The states that may move to `target`."""
        return frozenset(state for state, nxt in self._table.items() if target in nxt)

    def pairs(self) -> list[tuple[str, str]]:
        """Every (from, to) pair of the table's states, allowed or not, for the tests."""
        return [(source, target) for source in self._table for target in self._table]
