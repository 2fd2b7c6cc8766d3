"""The reports over the imported history (issue 14): the years side by side, one year by
product set, the certificates ending in the next six months, and the funnel of a constructed
1489/2025 year on today's map (communes as the first-level units), with their Excel files."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import LevelResult
from evaluations.reports.funnel import funnel, funnel_by_unit
from evaluations.reports.years import by_product_set, years_side_by_side
from ocop.core.enums import Role, UnitScheme
from tests.evaluations.history.test_import import HEADER, run
from tests.factories import user_with_role
from tests.fixtures.clock import on_day
from tests.xlsx import read_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(importer, sample_bytes, sample_map):
    assert run(sample_bytes, importer).imported
    return sample_map


def office(sample_map, code: str, username: str):
    return user_with_role(
        Role.PROVINCE_OFFICER, sample_map[(UnitScheme.TWO_TIER, code)], username=username
    )


def test_hues_years_side_by_side(imported):
    hue = imported[(UnitScheme.TWO_TIER, "46")]

    rows = years_side_by_side(hue)

    assert [(r.year, r.registered, r.stars, r.imported) for r in rows] == [
        (2022, 3, {3: 0, 4: 0, 5: 0}, True),  # proposed to the central level
        (2020, 11, {3: 10, 4: 1, 5: 0}, True),
    ]


def test_a_year_by_product_set(imported):
    hue = imported[(UnitScheme.TWO_TIER, "46")]

    rows = {r.number: (r.registered, r.stars[3], r.stars[4]) for r in by_product_set(hue, 2020)}

    assert rows == {1: (1, 1, 0), 3: (2, 1, 1), 9: (5, 5, 0), 14: (2, 2, 0), 20: (1, 1, 0)}


def test_the_page_and_its_three_excel_tables(client, imported):
    client.force_login(office(imported, "46", "ocop.hue"))

    page = client.get("/reports/years/", {"year": 2020})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="year-row"') == 2
    assert 'data-testid="years-chart"' in html and 'data-testid="sets-chart"' in html

    years = read_xlsx(client.get("/reports/years/", {"table": "years", "format": "xlsx"}))
    assert years.title == "Kết quả OCOP theo năm"
    assert years.headers[:2] == ["Năm", "Đã đăng ký"]
    assert [tuple(r[:2]) for r in years.rows] == [(2022, 3), (2020, 11)]
    sets = read_xlsx(
        client.get("/reports/years/", {"table": "sets", "year": 2020, "format": "xlsx"})
    )
    assert [r[1] for r in sets.rows] == [1, 3, 9, 14, 20]
    assert any("2020" in line for line in sets.lines)


def test_the_certificates_ending_in_six_months(client, imported):
    """Yên Bái's 2585/QĐ-UBND of 28/12/2023: its six 4★ certificates end on 28/12/2026; Lào
    Cai's office (which absorbed Yên Bái) sees them on 01/12/2026, not on 29/12/2026."""
    lao_cai = office(imported, "15", "ocop.lc")
    with on_day(datetime.date(2026, 12, 1)):
        client.force_login(lao_cai)
        page = client.get("/reports/years/")
        download = read_xlsx(client.get("/reports/years/", {"table": "expiring", "format": "xlsx"}))
    assert len(page.context["expiring"]) == 6
    assert {r[4] for r in download.rows} == {datetime.datetime(2026, 12, 28)}
    with on_day(datetime.date(2026, 12, 29)):
        client.force_login(lao_cai)
        assert client.get("/reports/years/").context["expiring"] == []


def test_imported_certificates_ask_for_no_yearly_self_report(imported):
    """Yên Bái's certificates of 28/12/2023 are in force on 01/12/2026, past two anniversaries:
    the registry did not follow them up, so none reads as a missed self-report."""
    from evaluations.followup.selectors import missed_reports, periods_of
    from evaluations.models import Certificate

    lao_cai = office(imported, "15", "ocop.lc")
    in_force = Certificate.objects.filter(decision__number="2585/QĐ-UBND")
    assert in_force.count() == 6
    assert all(periods_of(c) == [] for c in in_force.select_related("decision"))
    with on_day(datetime.date(2026, 12, 1)):
        assert missed_reports(lao_cai, datetime.date(2026, 12, 1)) == []


def test_the_pages_queries_do_not_depend_on_the_years(client, imported):
    def count(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/reports/years/").status_code == 200
        return len(queries)

    assert count(office(imported, "46", "ocop.hue")) == count(office(imported, "38", "ocop.th"))


ROWS_1489 = (
    HEADER.strip() + ",level,outcome\n"
    # Phường Hàm Rồng: 3★ and 4★ recognised by the province, one not recognised.
    "Thanh Hóa,101/QĐ-UBND,2025-10-15,Nem chua Hàm Rồng,HTX Hàm Rồng,Hàm Rồng,,3,,,\n"
    "Thanh Hóa,101/QĐ-UBND,2025-10-15,Bánh răng bừa Hàm Rồng,HTX Hàm Rồng,Hàm Rồng,,4,,,\n"
    "Thanh Hóa,,2025-10-15,Chè lam Hàm Rồng,,Hàm Rồng,,,48.5,province,not_recognised\n"
    # Xã Mường Lát: one 3★ and one forwarded to the central level.
    "Thanh Hóa,101/QĐ-UBND,2025-10-15,Gạo nương Mường Lát,,Mường Lát,,3,,,\n"
    "Thanh Hóa,101/QĐ-UBND,2025-10-15,Mật ong Mường Lát,HTX Mường Lát,Mường Lát,,,91.25,,\n"
)


def test_the_funnel_of_a_1489_year_counts_per_commune(imported, importer):
    report = run(ROWS_1489.encode(), importer)
    assert report.imported, report.errors
    thanh_hoa = imported[(UnitScheme.TWO_TIER, "38")]

    rows = {r["first_level_unit__name"]: r for r in funnel_by_unit(thanh_hoa, 2025)}
    data = funnel(thanh_hoa, 2025)

    assert set(rows) == {"Phường Hàm Rồng", "Xã Mường Lát"}
    ham_rong, muong_lat = rows["Phường Hàm Rồng"], rows["Xã Mường Lát"]
    assert (ham_rong["registered"], ham_rong["stars_3"], ham_rong["stars_4"]) == (3, 1, 1)
    assert (ham_rong["not_recognised"], ham_rong["forwarded_up"]) == (1, 0)
    assert (muong_lat["registered"], muong_lat["stars_3"], muong_lat["forwarded_up"]) == (2, 1, 1)
    # Under 1489 the province is the first level that scores: every result counts there.
    assert (data.evaluated_first_level, data.forwarded) == (5, 1)
    assert data.recognised == {3: 2, 4: 1, 5: 0}
    assert data.not_recognised == 1
    assert data.units_participating == 2
    assert data.units_total > 100  # Thanh Hóa's communes of today's map
    assert data.producers_recognised == 1  # HTX Hàm Rồng; Mường Lát's 3★ producer not named
    assert data.producers_by_kind == {"cooperative": 2}  # the two HTX named
    honey = LevelResult.objects.get(dossier__product__name="Mật ong Mường Lát")
    assert (honey.display_mean, honey.outcome, honey.to_level) == (
        Decimal("91.25"),
        "forwarded",
        "central",
    )
