"""Issue 10, part 5: bad input to the OCOP office's pages gives a form error, never a 500
or a half-saved object."""

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.forms.certificates import DecisionForm
from evaluations.models import Decision, DecisionItem, LevelResult

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def decision_post(chosen, **overrides):
    data = {
        "number": "1521/QĐ-UBND",
        "date": timezone.localdate().isoformat(),
        "signer_name": "Bùi Văn Cường",
        "signer_title": "Phó Chủ tịch UBND huyện Tân Lạc",
        "results": [r.pk for r in chosen],
    }
    return data | overrides


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "9223372036854775808", "1e400"])
def test_drafting_refuses_an_id_out_of_range(client, results, district_officer, value):
    client.force_login(district_officer)
    chosen = results["district"][:1]

    response = client.post(
        reverse("evaluations:decision_create"),
        decision_post(chosen, results=[chosen[0].pk, value]),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["results"] == [
        "A chosen product cannot go on this decision."
    ]
    assert 'value="Bùi Văn Cường"' in response.content.decode()
    assert Decision.objects.count() == 0
    assert DecisionItem.objects.count() == 0


def test_decision_form_refuses_a_huge_id_without_a_query(results, django_assert_num_queries):
    form = DecisionForm(data=decision_post([], results=[HUGE]), results=LevelResult.objects.all())

    with django_assert_num_queries(0):
        valid = form.is_valid()

    assert not valid
    assert form.errors["results"] == ["A chosen product cannot go on this decision."]
