from decimal import Decimal

import pytest

from evaluations.engine.regimes import (
    REGIME_148_2023,
    REGIME_1048_2019,
    REGIME_1489_2025,
    REGIMES,
    LevelSpec,
    Outcome,
    OutcomeKind,
    RegimeSpec,
    level_outcome,
)

FORWARDED = OutcomeKind.FORWARDED
RECOGNISED = OutcomeKind.RECOGNISED
REFERRED_DOWN = OutcomeKind.REFERRED_DOWN
NOT_RECOGNISED = OutcomeKind.NOT_RECOGNISED


def table(regime):
    return [
        (level.level, level.scores, sorted(level.recognises), level.forward_threshold)
        for level in regime.levels
    ]


def test_regime_1048_levels():
    assert table(REGIME_1048_2019) == [
        ("commune", False, [], None),
        ("district", True, [], Decimal(50)),
        ("province", True, [3, 4], Decimal(90)),
        ("central", True, [5], None),
    ]


def test_regime_148_levels():
    assert table(REGIME_148_2023) == [
        ("commune", False, [], None),
        ("district", True, [3], Decimal(70)),
        ("province", True, [4], Decimal(90)),
        ("central", True, [5], None),
    ]


def test_regime_1489_levels():
    assert table(REGIME_1489_2025) == [
        ("commune", False, [], None),
        ("province", True, [3, 4], Decimal(90)),
        ("central", True, [5], None),
    ]


def test_regimes_by_code():
    assert list(REGIMES) == ["1048/2019", "148/2023", "1489/2025"]


CASES = [
    # 1048/2019: the district only scores and forwards from 50.
    (REGIME_1048_2019, "district", "49.99", 2, NOT_RECOGNISED, None),
    (REGIME_1048_2019, "district", "50", 3, FORWARDED, "province"),
    (REGIME_1048_2019, "district", "89.99", 4, FORWARDED, "province"),
    (REGIME_1048_2019, "district", "55", 2, NOT_RECOGNISED, None),  # capped below 3★
    (REGIME_1048_2019, "province", "60", 3, RECOGNISED, None),
    (REGIME_1048_2019, "province", "89.99", 4, RECOGNISED, None),
    (REGIME_1048_2019, "province", "90", 5, FORWARDED, "central"),
    (REGIME_1048_2019, "province", "92", 4, RECOGNISED, None),  # capped at 4★
    (REGIME_1048_2019, "province", "45", 2, NOT_RECOGNISED, None),
    (REGIME_1048_2019, "central", "95", 5, RECOGNISED, None),
    (REGIME_1048_2019, "central", "88", 4, REFERRED_DOWN, "province"),
    (REGIME_1048_2019, "central", "40", 2, NOT_RECOGNISED, None),
    # 148/2023: the district recognises 3★, the province 4★.
    (REGIME_148_2023, "district", "29.99", 1, NOT_RECOGNISED, None),
    (REGIME_148_2023, "district", "49.99", 2, NOT_RECOGNISED, None),
    (REGIME_148_2023, "district", "50", 3, RECOGNISED, None),
    (REGIME_148_2023, "district", "69.99", 3, RECOGNISED, None),
    (REGIME_148_2023, "district", "70", 4, FORWARDED, "province"),
    (REGIME_148_2023, "district", "75", 3, RECOGNISED, None),  # capped at 3★
    (REGIME_148_2023, "province", "89.99", 4, RECOGNISED, None),
    (REGIME_148_2023, "province", "90", 5, FORWARDED, "central"),
    (REGIME_148_2023, "province", "95", 4, RECOGNISED, None),  # capped at 4★
    (REGIME_148_2023, "province", "65", 3, REFERRED_DOWN, "district"),
    (REGIME_148_2023, "province", "40", 2, NOT_RECOGNISED, None),
    (REGIME_148_2023, "central", "90", 5, RECOGNISED, None),
    (REGIME_148_2023, "central", "85", 4, REFERRED_DOWN, "province"),
    (REGIME_148_2023, "central", "60", 3, REFERRED_DOWN, "district"),
    # 1489/2025: no district; the province recognises 3★ and 4★.
    (REGIME_1489_2025, "province", "49.99", 2, NOT_RECOGNISED, None),
    (REGIME_1489_2025, "province", "50", 3, RECOGNISED, None),
    (REGIME_1489_2025, "province", "89.99", 4, RECOGNISED, None),
    (REGIME_1489_2025, "province", "90", 5, FORWARDED, "central"),
    (REGIME_1489_2025, "central", "80", 4, REFERRED_DOWN, "province"),
    (REGIME_1489_2025, "central", "55", 3, REFERRED_DOWN, "province"),
    (REGIME_1489_2025, "central", "92", 5, RECOGNISED, None),
]


@pytest.mark.parametrize(
    ("regime", "level", "mean", "stars", "kind", "to_level"),
    CASES,
    ids=[f"{c[0].code}-{c[1]}-{c[2]}-{c[3]}" for c in CASES],
)
def test_level_outcome(regime, level, mean, stars, kind, to_level):
    outcome = level_outcome(regime=regime, level=level, stars=stars, mean=Decimal(mean))

    assert (outcome.kind, outcome.to_level) == (kind, to_level)


def test_level_outcome_forwarded_reason_names_the_numbers():
    outcome = level_outcome(regime=REGIME_148_2023, level="district", stars=4, mean=Decimal(70))

    assert outcome == Outcome(
        FORWARDED,
        "Mean 70.00 reaches the forwarding threshold 70 and 4★ is recognised higher up: "
        "forwarded to the province level.",
        "province",
    )


def test_level_outcome_capped_reason_explains_why_not_forwarded():
    outcome = level_outcome(
        regime=REGIME_148_2023, level="district", stars=3, mean=Decimal("75.456")
    )

    assert outcome.reason == (
        "Mean 75.46 reaches the forwarding threshold 70, but with the mandatory minimums it "
        "holds 3★, recognised at the district level."
    )


def test_level_outcome_referred_down_reason():
    outcome = level_outcome(regime=REGIME_148_2023, level="province", stars=3, mean=Decimal(65))

    assert outcome.reason == (
        "3★ (mean 65.00) is not recognised at the province level but at the district level: "
        "referred down."
    )


def test_level_outcome_not_recognised_reason():
    outcome = level_outcome(
        regime=REGIME_148_2023, level="district", stars=2, mean=Decimal("49.999")
    )

    # The mean is shown rounded half-up (50.00); the stars come from the exact 49.999.
    assert outcome.reason == (
        "2★ (mean 50.00) is recognised by no level up to the district level: not recognised."
    )


def test_level_outcome_3_stars_recognised_by_nobody_below():
    regime = RegimeSpec(
        "test",
        (
            LevelSpec("district", 2, True, frozenset(), Decimal(70)),
            LevelSpec("province", 3, True, frozenset({4, 5}), None),
        ),
    )

    outcome = level_outcome(regime=regime, level="district", stars=3, mean=Decimal(60))

    assert outcome.kind == NOT_RECOGNISED


def test_level_outcome_at_a_level_that_does_not_score_raises():
    with pytest.raises(ValueError):
        level_outcome(regime=REGIME_1489_2025, level="commune", stars=3, mean=Decimal(60))


def test_level_outcome_at_a_level_the_regime_lacks_raises():
    with pytest.raises(ValueError):
        level_outcome(regime=REGIME_1489_2025, level="district", stars=3, mean=Decimal(60))


def test_regime_levels_must_ascend():
    with pytest.raises(ValueError):
        RegimeSpec("bad", tuple(reversed(REGIME_148_2023.levels)))
