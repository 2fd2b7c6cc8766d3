"""Regimes: which administrative level scores, recognises and forwards (OCOP.md, "Levels").

After a level's council has scored a product (mean and capped stars), `level_outcome` says what
happens to it there, in this order:

1. FORWARDED: a higher level scores, the mean reaches this level's forwarding threshold, and the
   stars are at least the lowest any higher level recognises;
2. RECOGNISED: this level recognises those stars;
3. REFERRED_DOWN: a lower level of the regime recognises them (nearest such level);
4. NOT_RECOGNISED: nobody up to here recognises them (below 3★, typically).
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from .display import format_points


@dataclass(frozen=True)
class LevelSpec:
    level: str  # "commune", "district", "province", "central"
    order: int  # higher is higher up
    scores: bool
    recognises: frozenset[int]
    forward_threshold: Decimal | None


@dataclass(frozen=True)
class RegimeSpec:
    code: str
    levels: tuple[LevelSpec, ...]

    def __post_init__(self) -> None:
        orders = [level.order for level in self.levels]
        if orders != sorted(set(orders)):
            raise ValueError("A regime's levels must be listed by strictly ascending order.")

    def get(self, level: str) -> LevelSpec:
        for spec in self.levels:
            if spec.level == level:
                return spec
        raise ValueError(f"Regime {self.code} has no {level} level.")


class OutcomeKind(StrEnum):
    RECOGNISED = "recognised"
    FORWARDED = "forwarded"
    REFERRED_DOWN = "referred_down"
    NOT_RECOGNISED = "not_recognised"


@dataclass(frozen=True)
class Outcome:
    kind: OutcomeKind
    reason: str
    # The level the product goes to: forwarded to, or referred down to.
    to_level: str | None = None


def level_name(level: str) -> str:
    """The level's name in the active language, for sentences ("the district level")."""
    names = {
        "commune": _("commune"),
        "district": _("district"),
        "province": _("province"),
        "central": _("central"),
    }
    return names.get(level, level)


def level_outcome(*, regime: RegimeSpec, level: str, stars: int, mean: Decimal) -> Outcome:
    here = regime.get(level)
    if not here.scores:
        raise ValueError(f"The {level} level does not score under regime {regime.code}.")
    higher = [spec for spec in regime.levels if spec.order > here.order]
    lower = [spec for spec in regime.levels if spec.order < here.order]
    # The mean as published (2 decimals, half-up, in the active language's format); the
    # decisions below are taken on the exact mean.
    values = {"stars": stars, "mean": format_points(mean), "level": level_name(level)}
    next_scoring = next((spec for spec in higher if spec.scores), None)
    recognised_above = set().union(*(spec.recognises for spec in higher))
    reaches = here.forward_threshold is not None and mean >= here.forward_threshold
    if next_scoring and reaches and recognised_above and stars >= min(recognised_above):
        return Outcome(
            OutcomeKind.FORWARDED,
            _(
                "Mean %(mean)s reaches the forwarding threshold %(threshold)s and %(stars)d★ is "
                "recognised higher up: forwarded to the %(to)s level."
            )
            % {
                **values,
                "threshold": format_points(here.forward_threshold, short=True),
                "to": level_name(next_scoring.level),
            },
            next_scoring.level,
        )
    if stars in here.recognises:
        reason = _("%(stars)d★ (mean %(mean)s) is recognised at the %(level)s level.") % values
        if next_scoring and reaches:
            reason = _(
                "Mean %(mean)s reaches the forwarding threshold %(threshold)s, but with the "
                "mandatory minimums it holds %(stars)d★, recognised at the %(level)s level."
            ) % {**values, "threshold": format_points(here.forward_threshold, short=True)}
        return Outcome(OutcomeKind.RECOGNISED, reason)
    below = next((spec for spec in reversed(lower) if stars in spec.recognises), None)
    if below is not None:
        return Outcome(
            OutcomeKind.REFERRED_DOWN,
            _(
                "%(stars)d★ (mean %(mean)s) is not recognised at the %(level)s level but at the "
                "%(to)s level: referred down."
            )
            % {**values, "to": level_name(below.level)},
            below.level,
        )
    return Outcome(
        OutcomeKind.NOT_RECOGNISED,
        _(
            "%(stars)d★ (mean %(mean)s) is recognised by no level up to the %(level)s level: "
            "not recognised."
        )
        % values,
    )


def level_spec(
    level: str,
    order: int,
    scores: bool,
    min_stars: int | None,
    max_stars: int | None,
    forward_threshold: Decimal | None,
) -> LevelSpec:
    recognises = frozenset(range(min_stars, max_stars + 1)) if min_stars else frozenset()
    return LevelSpec(level, order, scores, recognises, forward_threshold)


def _from_reference(code: str) -> RegimeSpec:
    """The regimes as stated once, in `evaluations.criteria.reference_data` (also in the DB)."""
    from evaluations.criteria.reference_data import REGIMES as ROWS

    for row_code, _name, _effective, levels in ROWS:
        if row_code == code:
            return RegimeSpec(
                code,
                tuple(
                    level_spec(level, order, scores, lo, hi, threshold)
                    for level, order, scores, _role, lo, hi, threshold in levels
                ),
            )
    raise LookupError(code)


REGIME_1048_2019 = _from_reference("1048/2019")
REGIME_148_2023 = _from_reference("148/2023")
REGIME_1489_2025 = _from_reference("1489/2025")

REGIMES: dict[str, RegimeSpec] = {
    regime.code: regime for regime in (REGIME_1048_2019, REGIME_148_2023, REGIME_1489_2025)
}
