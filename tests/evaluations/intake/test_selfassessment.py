"""Partial scoring of a self-assessment: the engine's points for the criteria answered."""

from decimal import Decimal

import pytest

from evaluations.criteria.reference_data import CRITERIA_DIR_148
from evaluations.engine.csvform import parse_form_csv
from evaluations.engine.spec import PART_MAXIMA_148_2023
from evaluations.intake.selfassessment import keep_chosen_cases, missing, partial_score


def _form(number: int):
    path = next(CRITERIA_DIR_148.glob(f"{number:02d}-*.csv"))
    return parse_form_csv(
        text=path.read_text(encoding="utf-8"),
        key=f"148/2023:{number:02d}",
        label=path.stem,
        expected_part_maxima=PART_MAXIMA_148_2023,
    ).form


@pytest.fixture(scope="module")
def form_01():
    return _form(1)


@pytest.fixture(scope="module")
def form_26():
    return _form(26)


def test_nothing_answered_scores_nothing(form_01):
    score = partial_score(form_01, {})

    assert (score.total, score.answered, score.required) == (Decimal(0), 0, 32)
    assert score.parts == {"A": 0, "B": 0, "C": 0}
    assert not score.complete


def test_answered_criteria_count_with_their_points(form_01):
    score = partial_score(form_01, {"A.1.a": "A.1.a.3", "B.4.a": "B.4.a.1", "C.12.a": ""})

    assert score.criteria == {"A.1.a": Decimal(5), "B.4.a": Decimal(1)}
    assert score.parts == {"A": Decimal(5), "B": Decimal(1), "C": Decimal(0)}
    assert (score.total, score.answered) == (Decimal(6), 2)


def test_a_complete_sheet_equals_the_engines_total(form_01):
    best = {
        leaf.key: max(leaf.options, key=lambda o: o.points).key for leaf in form_01.leaf_criteria()
    }

    score = partial_score(form_01, best)

    assert (score.total, score.answered, score.complete) == (Decimal(100), 32, True)
    assert missing(form_01, best) == []


def test_a_choose_one_group_counts_the_chosen_case(form_26):
    score = partial_score(form_26, {"C.8.b": "C.8.b.3"})

    assert score.chosen_cases == {"C.8": "C.8.b"}
    assert score.groups["C.8"] == Decimal(3)
    assert score.answered == 1
    assert score.required == len(list(form_26.leaf_criteria())) - 3


def test_missing_names_groups_whose_case_is_not_chosen(form_26):
    left = missing(form_26, {"C.8.a": "C.8.a.1"})

    groups = [m.key for m in left if m.is_group]
    assert groups == ["C.9", "C.15"]
    assert "C.8.b" not in [m.key for m in left]


def test_keep_chosen_cases_drops_the_other_case(form_26):
    answers = {"C.8.a": "C.8.a.1", "C.8.b": "C.8.b.2", "A.1.a": "A.1.a.1"}

    assert keep_chosen_cases(form_26, answers, {"C.8": "C.8.b"}) == {
        "C.8.b": "C.8.b.2",
        "A.1.a": "A.1.a.1",
    }
