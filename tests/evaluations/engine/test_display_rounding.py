"""The mean shown is the exact mean rounded half-up to 2 decimals (published decisions print
67.13 for 537/8); the stars are decided on the exact mean (69.995 shows 70.00 and is 3★).
The figure is written in the active language's format: 69,71 in Vietnamese, 69.71 in
English."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.engine.council import MemberSheet, council_result
from evaluations.engine.display import format_points
from evaluations.engine.regimes import REGIME_148_2023, level_outcome
from evaluations.engine.scoring import SheetScore
from evaluations.engine.stars import DEFAULT_BANDS_148, round_half_up_2dp
from evaluations.templatetags.score_tags import score
from tests.evaluations.engine.forms import tiny_form

# Criteria meeting the tiny form's minimums: the stars are the band's.
CRITERIA = {"A.1.a.1": Decimal(20), "A.1.a.2": Decimal(20), "C.3.a": Decimal(35)}


def council_of(totals):
    sheets = [
        MemberSheet(f"m{i}", SheetScore(Decimal(total), {}, {}, CRITERIA, {}))
        for i, total in enumerate(totals)
    ]
    return council_result(
        form=tiny_form(),
        sheets=sheets,
        member_count=len(sheets),
        chair_key="m0",
        chair_recused=False,
        recused_count=0,
        bands=DEFAULT_BANDS_148,
    )


def half_up_cents(value: Fraction) -> Decimal:
    """The exact rational rounded half-up to cents (values are not negative)."""
    cents = (value * 100 + Fraction(1, 2)).__floor__()
    return Decimal(cents) / 100


def band_of(value: Fraction) -> int:
    return next(stars for threshold, stars in DEFAULT_BANDS_148.thresholds if value >= threshold)


def test_537_over_8_is_shown_as_67_13():
    found = council_of(["67"] * 7 + ["68"])

    assert found.mean == Decimal("67.125")
    assert str(found.display_mean) == "67.13"


def test_69_995_is_shown_as_70_00_and_is_3_stars():
    found = council_of(["69.99", "70.00"])

    assert found.mean == Decimal("69.995")
    assert str(found.display_mean) == "70.00"
    assert (found.band_stars, found.stars) == (3, 3)


def test_a_mean_just_below_a_band_edge_in_thirds_is_shown_rounded_and_banded_exactly():
    found = council_of(["70", "70", "69.99"])  # 69.99666…

    assert str(found.display_mean) == "70.00"
    assert found.stars == 3


TOTALS = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(totals=st.lists(TOTALS, min_size=1, max_size=12))
def test_the_mean_shown_is_the_exact_mean_rounded_half_up_and_stars_use_the_exact_mean(totals):
    exact = sum((Fraction(t) for t in totals), Fraction(0)) / len(totals)

    found = council_of(totals)

    assert found.display_mean == half_up_cents(exact)
    assert found.band_stars == band_of(exact)


@settings(max_examples=300, deadline=None)
@given(
    value=st.decimals(min_value=0, max_value=100, places=6, allow_nan=False, allow_infinity=False)
)
def test_round_half_up_2dp_matches_rational_rounding(value):
    assert round_half_up_2dp(value) == half_up_cents(Fraction(value))


@pytest.mark.parametrize(
    ("value", "shown"),
    [("67.125", "67.13"), ("69.995", "70.00"), ("69.994999", "69.99"), ("70", "70.00")],
)
def test_round_half_up_2dp(value, shown):
    assert str(round_half_up_2dp(Decimal(value))) == shown


def test_round_half_up_2dp_needs_a_decimal():
    with pytest.raises(TypeError):
        round_half_up_2dp(67.125)


@pytest.mark.parametrize(
    ("language", "value", "short", "text"),
    [
        ("vi", "69.71", False, "69,71"),
        ("en", "69.71", False, "69.71"),
        ("vi", "67.125", False, "67,13"),
        ("en", "75.5", False, "75.50"),
        ("vi", "70", False, "70,00"),
        ("vi", "10.00", True, "10"),
        ("vi", "2.5", True, "2,5"),
        ("en", "100", True, "100"),
    ],
)
def test_points_are_written_one_way_per_language(language, value, short, text):
    with translation.override(language):
        assert format_points(Decimal(value), short=short) == text


def test_nothing_is_written_for_no_value():
    assert (format_points(None), format_points("")) == ("", "")


def test_the_outcome_reason_writes_the_mean_as_shown():
    mean = Decimal(537) / Decimal(8)
    with translation.override("vi"):
        vi = level_outcome(regime=REGIME_148_2023, level="district", stars=3, mean=mean)
    en = level_outcome(regime=REGIME_148_2023, level="district", stars=3, mean=mean)

    assert "67,13" in vi.reason
    assert "67.13" in en.reason


def test_the_score_filter_writes_points_and_nothing_for_what_is_not_a_number():
    with translation.override("vi"):
        assert (score("67.125"), score(Decimal(10), "short"), score("x"), score(None)) == (
            "67,13",
            "10",
            "",
            "",
        )
