from decimal import Decimal

import pytest

from evaluations.engine.scoring import AnswerError, UnverifiedFormError, score_sheet
from tests.evaluations.engine.forms import UNVERIFIED_FORMS, best_answers, form, tiny_form


def tiny_answers(**overrides):
    answers = {
        "A.1.a.1": "A.1.a.1.2",
        "A.1.a.2": "A.1.a.2.2",
        "B.2.b": "B.2.b.2",
        "C.3.a": "C.3.a.3",
    }
    answers.update(overrides)
    return answers


def test_score_tiny_form_sums_heading_group_part_total():
    score = score_sheet(form=tiny_form(), answers=tiny_answers())

    assert score.criteria == {
        "A.1.a.1": Decimal(10),
        "A.1.a.2": Decimal(20),
        "A.1.a": Decimal(30),
        "B.2.b": Decimal(15),
        "C.3.a": Decimal(30),
    }
    assert score.groups == {"A.1": Decimal(30), "B.2": Decimal(15), "C.3": Decimal(30)}
    assert score.parts == {"A": Decimal(30), "B": Decimal(15), "C": Decimal(30)}
    assert score.total == Decimal(75)
    assert score.chosen_cases == {"B.2": "B.2.b"}


def test_score_best_answers_of_form_01_give_100():
    spec = form("01")

    score = score_sheet(form=spec, answers=best_answers(spec))

    assert score.total == Decimal(100)
    assert score.parts == {"A": Decimal(40), "B": Decimal(25), "C": Decimal(35)}


def test_score_form_01_one_lower_answer():
    spec = form("01")
    answers = best_answers(spec) | {"A.1.a": "A.1.a.1"}

    score = score_sheet(form=spec, answers=answers)

    assert (score.total, score.criteria["A.1.a"], score.groups["A.1"]) == (
        Decimal(96),
        Decimal(1),
        Decimal(14),
    )


def test_score_form_03_criterion_with_empty_maximum():
    spec = form("03")
    answers = best_answers(spec) | {"C.7.a": "C.7.a.2"}

    score = score_sheet(form=spec, answers=answers)

    assert (score.criteria["C.7.a"], score.total) == (Decimal(1), Decimal(99))


def test_score_form_26_counts_only_the_chosen_case():
    spec = form("26")
    answers = best_answers(spec, case_index=1) | {"C.8.b": "C.8.b.1"}

    score = score_sheet(form=spec, answers=answers)

    assert score.chosen_cases == {"C.8": "C.8.b", "C.9": "C.9.b", "C.15": "C.15.b"}
    assert (score.groups["C.8"], score.criteria["C.8.b"], score.total) == (
        Decimal(1),
        Decimal(1),
        Decimal(98),
    )
    assert [key for key in score.criteria if key.startswith("C.8.")] == ["C.8.b"]


@pytest.mark.parametrize("number", UNVERIFIED_FORMS)
def test_score_unverified_form_is_refused(number):
    spec = form(number)

    with pytest.raises(UnverifiedFormError) as raised:
        score_sheet(form=spec, answers={})

    assert [d.code for d in raised.value.defects] == (
        ["criterion_max"] if number == "07" else ["part_sum"]
    )


def answer_error(spec, answers):
    with pytest.raises(AnswerError) as raised:
        score_sheet(form=spec, answers=answers)
    return raised.value.code, raised.value.key


def test_score_unknown_criterion_raises():
    found = answer_error(tiny_form(), tiny_answers(**{"Z.9.z": "Z.9.z.1"}))

    assert found == ("unknown_criterion", "Z.9.z")


def test_score_heading_cannot_be_answered():
    found = answer_error(tiny_form(), tiny_answers(**{"A.1.a": "A.1.a.1"}))

    assert found == ("unknown_criterion", "A.1.a")


def test_score_option_of_another_criterion_raises():
    found = answer_error(tiny_form(), tiny_answers(**{"C.3.a": "B.2.b.1"}))

    assert found == ("unknown_option", "C.3.a")


def test_score_missing_answer_raises():
    answers = tiny_answers()
    del answers["A.1.a.2"]

    found = answer_error(tiny_form(), answers)

    assert found == ("missing_answer", "A.1.a.2")


def test_score_missing_answer_in_real_form_raises():
    spec = form("01")
    answers = best_answers(spec)
    del answers["C.12.a"]

    found = answer_error(spec, answers)

    assert found == ("missing_answer", "C.12.a")


def test_score_answers_in_two_cases_raise():
    found = answer_error(tiny_form(), tiny_answers(**{"B.2.a": "B.2.a.1"}))

    assert found == ("several_cases", "B.2")


def test_score_no_case_answered_raises():
    answers = tiny_answers()
    del answers["B.2.b"]

    found = answer_error(tiny_form(), answers)

    assert found == ("no_case", "B.2")


def test_score_answer_error_message_is_readable():
    with pytest.raises(AnswerError) as raised:
        score_sheet(form=tiny_form(), answers=tiny_answers(**{"B.2.a": "B.2.a.1"}))

    assert str(raised.value) == "Group B.2: only one case may be answered, not B.2.a, B.2.b."
