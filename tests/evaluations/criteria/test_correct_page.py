"""The administrator's correction page: what a save without changes, an earlier revision and
an unknown form answer."""

import pytest
from django.conf import settings

from evaluations.models import ScoringForm
from ocop.core.enums import Role

pytestmark = pytest.mark.django_db


def _unchanged(client) -> dict:
    form = client.get("/criteria/148-2023/7/correct/").context["form"]
    return {name: ("" if v is None else v) for name, v in form.initial.items()}


def test_saving_without_a_change_saves_nothing_and_says_so(client, role_users, imported_forms):
    client.force_login(role_users[Role.ADMINISTRATOR])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    revisions = list(ScoringForm.objects.values_list("pk", "revision"))

    response = client.post(
        "/criteria/148-2023/7/correct/", {**_unchanged(client), "action": "save"}, follow=True
    )

    assert response.redirect_chain == [("/criteria/148-2023/7/correct/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Nothing was changed."]
    assert list(ScoringForm.objects.values_list("pk", "revision")) == revisions


def test_correct_page_of_an_unknown_form_is_404_for_administrators(
    client, role_users, imported_forms
):
    client.force_login(role_users[Role.ADMINISTRATOR])

    assert client.get("/criteria/148-2023/27/correct/").status_code == 404
    assert client.post("/criteria/148-2023/27/correct/", {}).status_code == 404


def test_detail_of_an_unknown_revision_is_404(client, imported_forms):
    assert client.get("/criteria/148-2023/7/?revision=99").status_code == 404
