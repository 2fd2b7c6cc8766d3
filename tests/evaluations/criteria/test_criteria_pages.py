from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.enums import FormStatus
from evaluations.models import Option, ScoringForm
from ocop.core.enums import Role

pytestmark = pytest.mark.django_db


def test_index_lists_the_forms_by_sector_for_anyone(client, imported_forms):
    response = client.get("/criteria/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "I. Thực phẩm" in body
    assert "26. Dịch vụ du lịch cộng đồng" in body
    assert body.count('data-testid="unverified"') == 4


def test_index_query_count_does_not_grow_with_forms(client, imported_forms):
    with CaptureQueriesContext(connection) as all_forms:
        client.get("/criteria/")
    ScoringForm.objects.exclude(product_set__number__in=[1, 2, 3]).delete()
    with CaptureQueriesContext(connection) as three_forms:
        client.get("/criteria/")
    ScoringForm.objects.exclude(product_set__number=1).delete()
    with CaptureQueriesContext(connection) as one_form:
        client.get("/criteria/")

    assert len(one_form) == len(three_forms) == len(all_forms)


def test_detail_shows_the_form_like_the_paper_one(client, imported_forms):
    response = client.get("/criteria/148-2023/1/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Phần A: SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG" in body
    assert "a) Nguồn gốc sản phẩm" in body
    assert "★★★★★" in body


def test_detail_query_count_is_constant(client, imported_forms):
    with CaptureQueriesContext(connection) as small:
        client.get("/criteria/148-2023/26/")
    with CaptureQueriesContext(connection) as large:
        client.get("/criteria/148-2023/11/")

    assert len(small) == len(large)


def test_detail_of_an_unknown_form_is_404(client, imported_forms):
    assert client.get("/criteria/148-2023/27/").status_code == 404
    assert client.get("/criteria/999-2030/1/").status_code == 404


@pytest.mark.parametrize("role", [Role.PROVINCE_OFFICER, Role.PRODUCER_MEMBER])
def test_correct_page_is_404_for_non_administrators(client, role_users, imported_forms, role):
    client.force_login(role_users[role])

    assert client.get("/criteria/148-2023/7/correct/").status_code == 404
    assert client.post("/criteria/148-2023/7/correct/", {}).status_code == 404


def _post_data(client):
    page = client.get("/criteria/148-2023/7/correct/")
    form = page.context["form"]
    return {name: ("" if v is None else v) for name, v in form.initial.items()}


def test_administrator_corrects_form_07(client, role_users, imported_forms):
    client.force_login(role_users[Role.ADMINISTRATOR])
    data = _post_data(client)
    best = Option.objects.filter(
        criterion__group__part__form__product_set__number=7,
        criterion__label__startswith="d) Mùi",
    ).order_by("-order")[0]
    data[f"option|{best.key}|points"] = "4"

    response = client.post("/criteria/148-2023/7/correct/", {**data, "action": "save"})

    assert response.status_code == 302
    assert ScoringForm.objects.get(product_set__number=7).status == FormStatus.VERIFIED


def test_live_check_reports_defects_without_saving(client, role_users, imported_forms):
    client.force_login(role_users[Role.ADMINISTRATOR])
    data = _post_data(client)
    key = next(k for k in data if k.startswith("part|A|"))
    data[key] = "41"

    response = client.post("/criteria/148-2023/7/correct/", data, headers={"hx-request": "true"})

    assert response.status_code == 200
    assert 'data-testid="defect"' in response.content.decode()
    assert ScoringForm.objects.get(product_set__number=7).parts.get(key="A").max_points == 40


def test_bad_points_keep_the_input_and_save_nothing(client, role_users, imported_forms):
    client.force_login(role_users[Role.ADMINISTRATOR])
    data = _post_data(client)
    key = next(k for k in data if k.startswith("option|"))
    data[key] = "abc"

    response = client.post("/criteria/148-2023/7/correct/", {**data, "action": "save"})

    assert response.status_code == 400
    assert 'value="abc"' in response.content.decode()
    option_key = key.split("|")[1]
    assert Option.objects.get(
        key=option_key, criterion__group__part__form__product_set__number=7
    ).points != Decimal("0")
