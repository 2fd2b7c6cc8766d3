from decimal import Decimal

import pytest

from evaluations.engine.council import MemberSheet, council_result
from evaluations.engine.scoring import SheetScore, score_sheet
from evaluations.engine.stars import DEFAULT_BANDS_148, Requirement, truncate_2dp
from tests.evaluations.engine.forms import best_answers, form, tiny_form


def sheet(member_key: str, total: str) -> MemberSheet:
    """A sheet reduced to its total, for the arithmetic; its criteria meet the tiny form's
    minimums, so the stars are the band's."""
    criteria = {"A.1.a.1": Decimal(20), "A.1.a.2": Decimal(20), "C.3.a": Decimal(35)}
    return MemberSheet(member_key, SheetScore(Decimal(total), {}, {}, criteria, {}))


def result(sheets, *, member_count=None, chair_recused=False, recused_count=0, **options):
    return council_result(
        form=tiny_form(),
        sheets=sheets,
        member_count=len(sheets) if member_count is None else member_count,
        chair_key="chair",
        chair_recused=chair_recused,
        recused_count=recused_count,
        bands=DEFAULT_BANDS_148,
        **options,
    )


def test_council_mean_of_three_totals_is_3_stars():
    found = result([sheet("chair", "69.5"), sheet("m1", "70"), sheet("m2", "69.75")])

    assert (found.mean, found.display_mean, found.band_stars, found.stars) == (
        Decimal("69.75"),
        Decimal("69.75"),
        3,
        3,
    )


def test_council_mean_just_below_70_is_3_stars_and_displays_rounded_half_up():
    found = result([sheet("chair", "70"), sheet("m1", "70"), sheet("m2", "69.99")])

    assert (found.mean, str(found.display_mean), found.band_stars) == (
        Decimal("69.99666666666666666666666666"),
        "70.00",
        3,
    )


def test_council_mean_never_exceeds_the_true_mean():
    found = result([sheet("chair", "0"), sheet("m1", "0"), sheet("m2", "0.02")])

    # Rounded half-even it would end in ...667, above the true mean.
    assert found.mean == Decimal("0.006666666666666666666666666666")


def test_council_quorum_three_quarters_with_chair_met():
    sheets = [sheet("chair", "80"), *(sheet(f"m{i}", "80") for i in range(5))]

    found = result(sheets, member_count=8)

    assert (found.submitted_count, found.eligible_count, found.quorum_met) == (6, 8, True)


def test_council_quorum_below_three_quarters_not_met():
    sheets = [sheet("chair", "80"), *(sheet(f"m{i}", "80") for i in range(4))]

    found = result(sheets, member_count=7)

    assert (found.submitted_count, found.quorum_met) == (5, False)


def test_council_quorum_without_chair_not_met():
    sheets = [sheet(f"m{i}", "80") for i in range(7)]

    found = result(sheets, member_count=8)

    assert (found.chair_submitted, found.quorum_met) == (False, False)


def test_council_quorum_counts_eligible_members_only():
    sheets = [sheet("chair", "80"), *(sheet(f"m{i}", "80") for i in range(5))]

    found = result(sheets, member_count=9, recused_count=1)

    assert (found.eligible_count, found.quorum_met) == (8, True)


def test_council_quorum_with_recused_chair_needs_no_chair():
    sheets = [sheet(f"m{i}", "80") for i in range(6)]

    found = result(sheets, member_count=8, chair_recused=True, recused_count=1)

    assert (found.eligible_count, found.chair_submitted, found.quorum_met) == (7, False, True)


def test_council_quorum_setting_is_applied():
    sheets = [sheet("chair", "80"), sheet("m1", "80")]

    found = result(sheets, member_count=3, quorum=Decimal("0.5"))

    assert found.quorum_met is True


def test_council_spread_of_exactly_10_is_accepted():
    found = result([sheet("chair", "60"), sheet("m1", "70")])

    assert (found.spread, found.spread_exceeded, found.stands) == (Decimal(10), False, True)


def test_council_spread_over_10_must_be_rescored():
    found = result([sheet("chair", "60"), sheet("m1", "70.5")])

    assert (found.spread, found.spread_exceeded, found.stands) == (Decimal("10.5"), True, False)


def test_council_spread_threshold_setting_is_applied():
    found = result([sheet("chair", "60"), sheet("m1", "66")], spread_threshold=Decimal(5))

    assert found.spread_exceeded is True


@pytest.mark.parametrize(
    ("kwargs", "sheets"),
    [
        pytest.param({}, [], id="no-sheets"),
        pytest.param({}, [sheet("chair", "80"), sheet("chair", "70")], id="duplicate-member"),
        pytest.param({"member_count": 1}, [sheet("chair", "80"), sheet("m1", "70")], id="too-many"),
        pytest.param(
            {"member_count": 3, "chair_recused": True, "recused_count": 1},
            [sheet("chair", "80")],
            id="recused-chair-sheet",
        ),
        pytest.param({"chair_recused": True}, [sheet("m1", "80")], id="chair-not-counted"),
        pytest.param({"member_count": 2, "recused_count": 3}, [sheet("m1", "80")], id="recused"),
    ],
)
def test_council_inconsistent_input_raises(kwargs, sheets):
    with pytest.raises(ValueError):
        result(sheets, **kwargs)


def form_01_members(*overrides):
    spec = form("01")
    return spec, [
        MemberSheet(key, score_sheet(form=spec, answers=best_answers(spec) | changes))
        for key, changes in zip(("chair", "m1", "m2"), overrides, strict=True)
    ]


def council_of(spec, sheets):
    return council_result(
        form=spec,
        sheets=sheets,
        member_count=3,
        chair_key="chair",
        chair_recused=False,
        recused_count=0,
        bands=DEFAULT_BANDS_148,
    )


BELOW_5_STAR_MARKS = {"A.1.b": "A.1.b.1", "A.2.b": "A.2.b.1", "B.4.a": "B.4.a.1"}
BELOW_4_STAR_MARK = BELOW_5_STAR_MARKS | {"A.1.c": "A.1.c.1"}  # A.1.c gives 1, needs 2


def test_council_caps_by_the_mean_of_each_criterion():
    spec, sheets = form_01_members(BELOW_4_STAR_MARK, BELOW_4_STAR_MARK, BELOW_5_STAR_MARKS)

    found = council_of(spec, sheets)

    assert [s.score.total for s in sheets] == [89, 89, 91]
    assert (found.display_mean, found.band_stars, found.stars) == (Decimal("89.67"), 4, 3)
    assert truncate_2dp(found.criterion_means["A.1.c"]) == Decimal("1.66")
    assert found.failed_minimums == [Requirement("A.1.c", 4, Decimal(2), "row 14", "A.1.c.2")]


def test_council_criterion_mean_meeting_a_minimum_is_not_capped_by_one_member():
    spec, sheets = form_01_members(BELOW_4_STAR_MARK, BELOW_5_STAR_MARKS, BELOW_5_STAR_MARKS)

    found = council_of(spec, sheets)

    assert (found.display_mean, found.band_stars, found.stars) == (Decimal("90.33"), 5, 4)
    assert [(r.criterion_key, r.min_stars) for r in found.failed_minimums] == [
        ("A.1.b", 5),
        ("A.1.c", 5),
        ("A.2.b", 5),
        ("B.4.a", 5),
    ]


def test_council_criterion_means_of_cases_count_only_members_who_chose_them():
    spec = form("26")
    sheets = [
        MemberSheet("chair", score_sheet(form=spec, answers=best_answers(spec, case_index=0))),
        MemberSheet(
            "m1",
            score_sheet(form=spec, answers=best_answers(spec, case_index=1) | {"C.8.b": "C.8.b.1"}),
        ),
    ]

    found = council_result(
        form=spec,
        sheets=sheets,
        member_count=2,
        chair_key="chair",
        chair_recused=False,
        recused_count=0,
        bands=DEFAULT_BANDS_148,
    )

    assert (found.criterion_means["C.8.a"], found.criterion_means["C.8.b"]) == (
        Decimal(3),
        Decimal(1),
    )
    assert found.group_means["C.8"] == Decimal(2)
    assert found.case_disagreements == ("C.8", "C.9", "C.15")
    assert (found.mean, found.stars) == (Decimal(99), 5)
