"""The funnel of a province's year (issue 14, first slice): exact counts per stage on the
results world (Tân Lạc, Hòa Bình, a 2025 round under 148/2023), by the old code and by the
code of the province that absorbed it, and the stats API's contract."""

import pytest
from django.utils import timezone

from evaluations.reports.funnel import funnel, province_of_year
from ocop.core.enums import Role
from tests.factories import UnitFactory, user_with_role
from tests.fixtures.results_world import *  # noqa: F403
from tests.xlsx import read_xlsx, rows_and_queries, speak

pytestmark = pytest.mark.django_db

EXPECTED = {
    "evaluated_first_level": 3,
    "forwarded": 1,
    "recognised": {"3": 2, "4": 1, "5": 0},
    "recognised_total": 3,
    "not_recognised": 0,
    "producers_recognised": 3,
}


def test_the_funnel_counts_each_stage_of_the_round(results, round_148, units):
    hoa_binh = province_of_year("17", round_148.year)

    data = funnel(hoa_binh, round_148.year)

    assert hoa_binh == units["province"]
    assert (data.evaluated_first_level, data.forwarded) == (3, 1)
    assert data.recognised == {3: 2, 4: 1, 5: 0}
    assert (data.recognised_total, data.not_recognised, data.producers_recognised) == (3, 0, 3)
    assert data.producers_by_kind == {"cooperative": 3}
    assert data.units_participating == 1  # Tân Lạc received the three dossiers


def test_the_stats_api_answers_an_officer_of_the_province(client, results, round_148, units):
    officer = user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hb")
    client.force_login(officer)

    response = client.get("/api/v1/stats/funnel/", {"province": "17", "year": round_148.year})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "province",
        "year",
        "districts_total",
        "districts_participating",
        "evaluated_first_level",
        "forwarded",
        "recognised",
        "recognised_total",
        "not_recognised",
        "producers_recognised",
    }
    assert {k: body[k] for k in EXPECTED} == EXPECTED
    assert (body["province"], body["year"], body["districts_participating"]) == (
        "17",
        round_148.year,
        1,
    )
    assert body["districts_total"] >= body["districts_participating"]
    one_round = client.get(
        "/api/v1/stats/funnel/",
        {"province": "17", "year": round_148.year, "round": round_148.pk},
    ).json()
    assert one_round["recognised_total"] == 3


def test_todays_province_counts_the_old_provinces_it_absorbed(client, results, round_148, units):
    """Phú Thọ (25) in 2025 is also the first half-year of Hòa Bình (17)."""
    officer = user_with_role(Role.PROVINCE_OFFICER, units["new_province"], username="pt")
    client.force_login(officer)

    body = client.get(
        "/api/v1/stats/funnel/", {"province": units["new_province"].code, "year": 2025}
    ).json()

    assert round_148.year == 2025
    assert {k: body[k] for k in EXPECTED} == EXPECTED


def test_the_stats_api_refuses_the_anonymous_and_other_areas(client, results, round_148, units):
    params = {"province": "17", "year": round_148.year}
    assert client.get("/api/v1/stats/funnel/", params).status_code == 401
    producer = results["district"][0].dossier.product.producer
    client.force_login(producer.members.first().user)
    assert client.get("/api/v1/stats/funnel/", params).status_code == 401
    thai_nguyen = UnitFactory(code="19", name="Tỉnh Thái Nguyên", short_name="Thái Nguyên")
    other = user_with_role(Role.PROVINCE_OFFICER, thai_nguyen, username="tn")
    client.force_login(other)
    assert client.get("/api/v1/stats/funnel/", params).status_code == 404
    client.force_login(user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hb"))
    assert client.get("/api/v1/stats/funnel/", {"province": "99", "year": 2025}).status_code == 404
    assert client.get("/api/v1/stats/funnel/", {"province": "17"}).status_code == 422


def test_the_funnel_costs_the_same_with_more_rounds_and_dossiers(
    client, results, round_148, units, producers, forms
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.evaluations.councils.conftest import accepted_dossier
    from tests.evaluations.intake.conftest import open_round
    from tests.factories import product_for

    officer = user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hb")
    client.force_login(officer)
    params = {"province": "17", "year": round_148.year}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/stats/funnel/", params).status_code == 200
        return len(captured)

    before = queries()
    second = open_round(officer, units["province"], number=2)
    for producer, owner in producers:
        accepted_dossier(second, product_for(producer, number=26, name="Du lịch"), owner)
    after = queries()

    assert after == before


def test_the_first_level_units_are_the_communes_on_todays_map(units):
    from ocop.core.models import AdministrativeUnit

    phu_tho = units["new_province"]
    communes = AdministrativeUnit.objects.filter(parent=phu_tho, level="commune").count()

    data = funnel(phu_tho, 2026)

    assert data.provinces == [phu_tho]
    assert communes >= 1
    assert data.units_total == communes
    assert (data.evaluated_first_level, data.recognised_total) == (0, 0)
    # In 2025 today's Phú Thọ also stands for Hòa Bình, in force until 30 June.
    assert units["province"] in funnel(phu_tho, 2025).provinces


def test_the_report_page_shows_each_unit_and_the_totals(client, results, round_148, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hb")
    client.force_login(officer)

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/reports/funnel/", {"year": round_148.year})

    assert response.status_code == 200
    [row] = response.context["rows"]
    assert row["first_level_unit__name"] == units["district"].name
    assert (row["registered"], row["submitted"], row["evaluated_first_level"]) == (3, 3, 3)
    assert (row["forwarded_up"], row["stars_3"], row["stars_4"], row["stars_5"]) == (1, 2, 1, 0)
    assert response.context["sums"] == {"registered": 3, "submitted": 3, "checked": 3}
    page = response.content.decode()
    assert 'data-testid="funnel-total"' in page
    assert len(captured) <= 30  # the menu and session included; the funnel costs a fixed few


# --- the Excel download of the report ------------------------------------------------------


def test_the_report_downloads_its_rows_and_totals_in_excel(client, results, round_148, units):
    officer = user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hb")
    client.force_login(officer)
    speak(client, "vi")
    year = round_148.year
    data = funnel(units["province"], year)

    whole = read_xlsx(client.get("/reports/funnel/", {"year": year, "format": "xlsx"}))
    one_round = read_xlsx(
        client.get("/reports/funnel/", {"year": year, "round": round_148.pk, "format": "xlsx"})
    )

    assert whole.title == "Tổng hợp kết quả đánh giá trong năm"
    assert whole.headers == [
        "Đơn vị tiếp nhận",
        "Mã địa bàn",
        "Đã đăng ký",
        "Đã nộp",
        "Qua kiểm tra hồ sơ",
        "Đã chấm ở cấp đầu tiên",
        "Chuyển cấp trên",
        "3★",
        "4★",
        "5★",
        "Không công nhận",
    ]
    assert whole.rows == [("Huyện Tân Lạc", "155", 3, 3, 3, 3, 1, 2, 1, 0, 0)]
    assert whole.totals == [("Tổng", None, 3, 3, 3, 3, 1, 2, 1, 0, 0)]
    assert [c.data_type for c in whole.cells("Đã đăng ký")] == ["n"]
    assert whole.lines == [
        f"Ngày xuất: {timezone.localdate():%d/%m/%Y}",
        "Tỉnh: Tỉnh Hoà Bình",
        f"Năm: {year}",
        "Đợt đánh giá: Tất cả đợt đánh giá",
        f"Đơn vị cấp cơ sở tham gia: 1 / {data.units_total}",
        "Chủ thể có sản phẩm được công nhận: 3",
        "Chủ thể: Hợp tác xã (HTX): 3",
    ]
    assert one_round.lines[3] == f"Đợt đánh giá: {round_148} · Hoà Bình"
    assert one_round.rows == whole.rows
    assert whole.sheet.page_setup.orientation == "landscape"


def test_another_provinces_office_downloads_none_of_it(client, results, round_148):
    thai_nguyen = UnitFactory(code="19", name="Tỉnh Thái Nguyên", short_name="Thái Nguyên")
    client.force_login(user_with_role(Role.PROVINCE_OFFICER, thai_nguyen, username="tn"))

    download = read_xlsx(client.get("/reports/funnel/", {"year": round_148.year, "format": "xlsx"}))

    assert (download.rows, download.totals) == ([], [])
    assert download.lines[1:] == ["Province: Tỉnh Thái Nguyên"]


def test_the_report_download_is_refused_like_the_page(client, results, round_148, units):
    params = {"year": round_148.year, "format": "xlsx"}
    assert client.get("/reports/funnel/", params).status_code == 302
    district = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="tl")
    producer = results["district"][0].dossier.product.producer
    for user in (district, producer.members.first().user):
        client.force_login(user)
        assert client.get("/reports/funnel/", params).status_code == 404


def test_the_report_links_its_excel_download_with_its_choices(client, results, round_148, units):
    client.force_login(user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hb"))

    body = client.get("/reports/funnel/", {"year": round_148.year}).content.decode()

    assert f'href="?year={round_148.year}&amp;format=xlsx"' in body


def test_the_report_download_costs_the_same_with_more_units(
    client, results, round_148, units, forms
):
    from ocop.core.enums import UnitLevel
    from tests.evaluations.councils.conftest import accepted_dossier
    from tests.factories import producer_with_owner, product_for

    client.force_login(user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hb"))
    params = {"year": round_148.year}

    one = rows_and_queries(client, "/reports/funnel/", params)
    lac_son = UnitFactory(
        level=UnitLevel.DISTRICT, code="156", name="Huyện Lạc Sơn", parent=units["province"]
    )
    for district, code in ((units["other_district"], "04900"), (lac_son, "05200")):
        commune = UnitFactory(level=UnitLevel.COMMUNE, code=code, parent=district)
        producer, owner = producer_with_owner(commune=commune, username=code)
        accepted_dossier(round_148, product_for(producer, number=1), owner)
    three = rows_and_queries(client, "/reports/funnel/", params)

    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1]
