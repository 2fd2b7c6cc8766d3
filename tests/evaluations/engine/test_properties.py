"""Properties over random complete answer sets of every verified QĐ 148 form."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.engine.scoring import score_sheet
from evaluations.engine.stars import DEFAULT_BANDS_148, cap_by_minimums, stars_for_score
from tests.evaluations.engine.forms import VERIFIED_FORMS, answer_sets, form


def test_verified_forms_are_the_22_consistent_ones():
    assert len(VERIFIED_FORMS) == 22


@pytest.mark.parametrize("number", VERIFIED_FORMS)
@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_sheet_points_add_up_within_maxima(number, data):
    spec = form(number)
    answers = data.draw(answer_sets(spec))

    score = score_sheet(form=spec, answers=answers)

    assert Decimal(0) <= score.total <= Decimal(100)
    assert score.total == sum(score.parts.values()) == sum(score.groups.values())
    for part in spec.parts:
        assert score.parts[part.key] <= part.max_points
        assert score.parts[part.key] == sum(score.groups[g.key] for g in part.groups)
        for group in part.groups:
            assert Decimal(0) <= score.groups[group.key] <= group.max_points
    for criterion in spec.criteria():
        if criterion.key in score.criteria:
            assert score.criteria[criterion.key] <= criterion.effective_max


@pytest.mark.parametrize("number", VERIFIED_FORMS)
@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_capping_never_raises_stars(number, data):
    spec = form(number)
    score = score_sheet(form=spec, answers=data.draw(answer_sets(spec)))
    band = stars_for_score(score=score.total, bands=DEFAULT_BANDS_148)

    capped = cap_by_minimums(form=spec, band_stars=band, criterion_points=score.criteria)

    assert capped.stars <= band
    assert (capped.stars == band) == (capped.failed == [])
    assert all(r.min_stars == capped.stars + 1 for r in capped.failed)
