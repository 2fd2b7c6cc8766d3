from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.engine.scoring import score_sheet
from evaluations.engine.stars import (
    DEFAULT_BANDS_148,
    CappedStars,
    Requirement,
    StarBands,
    cap_by_minimums,
    minimum_requirements,
    stars_for_score,
    truncate_2dp,
)
from tests.evaluations.engine.forms import best_answers, form, tiny_form

SCORES = st.decimals(min_value=0, max_value=100, places=6, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("score", "stars"),
    [
        ("0", 1),
        ("29.99", 1),
        ("30", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("69.71", 3),
        ("70", 4),
        ("89.99", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_stars_for_score_band_edges(score, stars):
    assert stars_for_score(score=Decimal(score), bands=DEFAULT_BANDS_148) == stars


def test_stars_for_score_uses_the_bands_given():
    bands = StarBands(((Decimal(80), 5), (Decimal(0), 1)))

    found = [stars_for_score(score=Decimal(s), bands=bands) for s in ("79.99", "80")]

    assert found == [1, 5]


def test_stars_for_score_refuses_float():
    with pytest.raises(TypeError):
        stars_for_score(score=69.99, bands=DEFAULT_BANDS_148)


def test_stars_for_score_below_every_band_raises():
    with pytest.raises(ValueError):
        stars_for_score(score=Decimal("-0.01"), bands=DEFAULT_BANDS_148)


@pytest.mark.parametrize(
    "thresholds",
    [
        (),
        ((Decimal(50), 3), (Decimal(70), 4)),
        ((Decimal(70), 3), (Decimal(50), 3)),
    ],
)
def test_star_bands_must_strictly_descend(thresholds):
    with pytest.raises(ValueError):
        StarBands(thresholds)


@pytest.mark.parametrize(
    ("value", "truncated"),
    [
        ("69.996", "69.99"),
        ("69.999999", "69.99"),
        ("69.71", "69.71"),
        ("70", "70.00"),
        ("33.3333333333", "33.33"),
    ],
)
def test_truncate_2dp_never_rounds_up(value, truncated):
    assert str(truncate_2dp(Decimal(value))) == truncated


@settings(max_examples=100, deadline=None)
@given(low=SCORES, high=SCORES)
def test_stars_for_score_monotonic(low, high):
    low, high = sorted((low, high))

    assert stars_for_score(score=low, bands=DEFAULT_BANDS_148) <= stars_for_score(
        score=high, bands=DEFAULT_BANDS_148
    )


@settings(max_examples=100, deadline=None)
@given(score=SCORES | st.sampled_from([Decimal("69.995"), Decimal("69.9999"), Decimal("89.999")]))
def test_stars_same_on_exact_and_truncated_score(score):
    exact = stars_for_score(score=score, bands=DEFAULT_BANDS_148)

    assert stars_for_score(score=truncate_2dp(score), bands=DEFAULT_BANDS_148) == exact


EDGE_SCORES = [
    Decimal(threshold) + Decimal(offset)
    for threshold in (0, 30, 50, 70, 90)
    for offset in ("-0.000001", "-0.005", "0", "0.004", "0.009999")
    if Decimal(threshold) + Decimal(offset) >= 0
]


@pytest.mark.parametrize("score", EDGE_SCORES, ids=str)
def test_stars_same_on_exact_and_truncated_score_at_every_edge(score):
    exact = stars_for_score(score=score, bands=DEFAULT_BANDS_148)

    assert stars_for_score(score=truncate_2dp(score), bands=DEFAULT_BANDS_148) == exact


def test_minimum_requirements_of_form_01():
    requirements = minimum_requirements(form("01"))

    summary = {
        level: [(r.criterion_key, r.points) for r in found] for level, found in requirements.items()
    }
    assert summary == {
        3: [("B.5.b", 3), ("C.9.a", 2), ("C.10.a", 2)],
        4: [
            ("A.1.c", 2), ("A.1.d", 2), ("A.1.đ", 1), ("A.2.a", 4), ("A.2.c", 3), ("A.3.d", 2),
            ("A.3.e", 1), ("B.5.b", 5), ("C.6.a", 2), ("C.6.b", 3), ("C.8.a", 3), ("C.10.a", 3),
        ],
        5: [
            ("A.1.b", 3), ("A.1.c", 3), ("A.1.d", 3), ("A.2.b", 3), ("B.4.a", 5), ("B.5.c", 2),
            ("C.10.a", 5), ("C.11.a", 2),
        ],
    }  # fmt: skip


def test_minimum_requirements_criterion_mark_needs_its_lowest_option():
    requirements = minimum_requirements(form("01"))

    ip = next(r for r in requirements[4] if r.criterion_key == "A.3.e")

    assert ip == Requirement("A.3.e", 4, Decimal(1), "row 60", option_key=None)


def form_01_sheet(**overrides):
    spec = form("01")
    return spec, score_sheet(form=spec, answers=best_answers(spec) | overrides)


def test_cap_4_star_band_failing_a_4_star_minimum_drops_to_3():
    # Below the 5★ marks on A.1.b, A.2.b and B.4.a, and below the 4★ mark on A.1.c.
    spec, sheet = form_01_sheet(
        **{"A.1.b": "A.1.b.1", "A.2.b": "A.2.b.1", "B.4.a": "B.4.a.1", "A.1.c": "A.1.c.1"}
    )
    band = stars_for_score(score=sheet.total, bands=DEFAULT_BANDS_148)

    capped = cap_by_minimums(form=spec, band_stars=band, criterion_points=sheet.criteria)

    assert (sheet.total, band) == (Decimal(89), 4)
    assert capped == CappedStars(
        stars=3, failed=[Requirement("A.1.c", 4, Decimal(2), "row 14", "A.1.c.2")]
    )


def test_cap_5_star_band_failing_5_star_minimums_drops_to_4():
    spec, sheet = form_01_sheet(**{"A.1.b": "A.1.b.1", "A.2.b": "A.2.b.1", "B.4.a": "B.4.a.1"})
    band = stars_for_score(score=sheet.total, bands=DEFAULT_BANDS_148)

    capped = cap_by_minimums(form=spec, band_stars=band, criterion_points=sheet.criteria)

    assert (sheet.total, band, capped.stars) == (Decimal(91), 5, 4)
    assert [(r.criterion_key, r.option_key) for r in capped.failed] == [
        ("A.1.b", "A.1.b.3"),
        ("A.2.b", "A.2.b.4"),
        ("B.4.a", "B.4.a.4"),
    ]


def test_cap_failing_a_3_star_minimum_drops_to_2():
    spec, sheet = form_01_sheet(**{"C.9.a": "C.9.a.1"})

    capped = cap_by_minimums(form=spec, band_stars=5, criterion_points=sheet.criteria)

    assert (sheet.total, capped.stars) == (Decimal(98), 2)
    assert capped.failed == [Requirement("C.9.a", 3, Decimal(2), "row 135", "C.9.a.3")]


def test_cap_reports_only_the_lowest_failing_level():
    spec, sheet = form_01_sheet(**{"A.1.c": "A.1.c.1"})  # fails both the 4★ and 5★ marks

    capped = cap_by_minimums(form=spec, band_stars=5, criterion_points=sheet.criteria)

    assert capped == CappedStars(
        stars=3, failed=[Requirement("A.1.c", 4, Decimal(2), "row 14", "A.1.c.2")]
    )


def test_cap_ignores_minimums_above_the_band():
    spec, sheet = form_01_sheet(**{"A.1.c": "A.1.c.1"})

    capped = cap_by_minimums(form=spec, band_stars=3, criterion_points=sheet.criteria)

    assert capped == CappedStars(stars=3, failed=[])


def test_cap_skips_requirements_of_a_case_not_chosen():
    spec = tiny_form()
    sheet = score_sheet(
        form=spec,
        answers={
            "A.1.a.1": "A.1.a.1.3",
            "A.1.a.2": "A.1.a.2.2",
            "B.2.a": "B.2.a.2",
            "C.3.a": "C.3.a.4",
        },
    )

    capped = cap_by_minimums(form=spec, band_stars=5, criterion_points=sheet.criteria)

    assert capped == CappedStars(stars=5, failed=[])


def test_cap_applies_requirements_of_the_chosen_case():
    spec = tiny_form()
    sheet = score_sheet(
        form=spec,
        answers={
            "A.1.a.1": "A.1.a.1.3",
            "A.1.a.2": "A.1.a.2.2",
            "B.2.b": "B.2.b.1",
            "C.3.a": "C.3.a.4",
        },
    )

    capped = cap_by_minimums(form=spec, band_stars=4, criterion_points=sheet.criteria)

    assert capped == CappedStars(
        stars=3, failed=[Requirement("B.2.b", 4, Decimal(15), "B.2.b.2", "B.2.b.2")]
    )


def test_cap_missing_points_of_an_ordinary_criterion_raise():
    with pytest.raises(ValueError):
        cap_by_minimums(form=tiny_form(), band_stars=3, criterion_points={})
