"""An officer of today's Phú Thọ works with the history of Hòa Bình, merged into it on
01/07/2025 (issue 12): it finds Hòa Bình's certificates, producers and dossiers by the old and
by the new codes, and the pages that now cross both maps keep their query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocop.core.enums import Role
from ocop.core.search import fold
from tests.evaluations.certificates.conftest import issued
from tests.evaluations.councils.conftest import accepted_dossier
from tests.evaluations.intake.conftest import open_round
from tests.factories import UnitFactory, producer_with_owner, product_for, user_with_role
from tests.fixtures.results_world import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def phu_tho_officer(units):
    return user_with_role(Role.PROVINCE_OFFICER, units["new_province"], username="phutho")


def _numbers(response) -> set[str]:
    return {c.number for c in response.context["certificates"]}


def test_phu_tho_finds_hoa_binhs_certificates_by_old_and_new_codes(
    client, certificates, units, phu_tho_officer
):
    old_numbers = {c.number for c in certificates}
    elsewhere = UnitFactory(code="19", short_name="Thái Nguyên")
    client.force_login(phu_tho_officer)

    everything = client.get("/certificates/")
    by_code = {
        code: client.get("/certificates/", {"unit": code})
        for code in ("17", "155", "25", "05128", elsewhere.code)
    }
    unknown = client.get("/certificates/", {"unit": "99999"})

    assert _numbers(everything) == old_numbers
    # Old Hòa Bình (17), old Tân Lạc (155), today's Phú Thọ (25), the commune code shared by
    # old Mãn Đức and today's Xã Tân Lạc (05128): each finds them; Thái Nguyên does not.
    for code in ("17", "155", "25", "05128"):
        assert _numbers(by_code[code]) == old_numbers, code
    assert _numbers(by_code[elsewhere.code]) == set()
    assert unknown.status_code == 200
    assert "99999" in unknown.context["filter"].form.errors["unit"][0]
    for certificate in certificates:
        assert client.get(f"/certificates/{certificate.number}/").status_code == 200


def test_phu_tho_finds_hoa_binhs_producers_and_dossiers_by_either_code(
    client, dossiers, units, phu_tho_officer
):
    client.force_login(phu_tho_officer)

    producers = {code: client.get("/producers/", {"unit": code}) for code in ("17", "25", "19")}
    inbox = {
        code: client.get("/inbox/", {"unit": code, "state": "all"})
        for code in ("155", "25", "05128")
    }

    expected = {d.product.producer_id for d in dossiers}
    assert {p.pk for p in producers["17"].context["producers"]} >= expected
    assert {p.pk for p in producers["25"].context["producers"]} >= expected
    assert "19" in producers["19"].context["filter"].form.errors["unit"][0]
    assert {d.pk for d in inbox["155"].context["dossiers"]} == {d.pk for d in dossiers}
    assert {d.pk for d in inbox["25"].context["dossiers"]} == {d.pk for d in dossiers}
    # A dossier of the old map was received by the district, not by a commune.
    assert list(inbox["05128"].context["dossiers"]) == []


def test_the_lists_phu_tho_reads_across_both_maps_keep_their_query_counts(
    client, results, round_148, units, district_officer, province_officer, phu_tho_officer
):
    """Each list grows between the two measurements, by rows of both maps."""
    pages = {
        "/certificates/": "certificates",
        "/certificates/?unit=25": "certificates",
        "/rounds/": "rounds",
        "/producers/": "producers",
        "/inbox/?state=all": "dossiers",
    }
    client.force_login(phu_tho_officer)
    issued(units["district"], "1/QĐ-UBND", results["district"][:1], district_officer)

    def measure() -> tuple[dict, dict]:
        queries, rows = {}, {}
        for page, name in pages.items():
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page)
            queries[page], rows[page] = len(captured), len(response.context[name])
        return queries, rows

    before, rows_before = measure()
    issued(units["district"], "2/QĐ-UBND", results["district"][1:], district_officer)
    issued(units["province"], "3/QĐ-UBND", results["province"], province_officer)
    open_round(phu_tho_officer, units["new_province"], regime="1489/2025", number=2)
    open_round(phu_tho_officer, units["province"], historical=True, year=2024, number=3)
    for index in range(2):
        producer, owner = producer_with_owner(commune=units["commune"], username=f"more{index}")
        accepted_dossier(round_148, product_for(producer, number=1), owner)
    producer_with_owner(commune=units["new_commune"], username="today")
    after, rows_after = measure()

    assert all(rows_after[page] > rows_before[page] for page in pages), (rows_before, rows_after)
    assert after == before


def test_certificates_are_found_by_number_product_or_producer_without_tone_marks(
    client, certificates, phu_tho_officer
):
    client.force_login(phu_tho_officer)
    first = certificates[0]

    def found(q):
        return _numbers(client.get("/certificates/", {"q": q}))

    assert found(first.number) == {first.number}
    assert found(first.number.lower().replace("-", " ")) == {first.number}
    # A part of the number, as on a list printed by the office ("2025-0001").
    assert first.number in found(first.number[-9:])
    assert first.number in found(fold(first.product_name).upper())
    assert first.number in found(fold(first.producer_name))
    assert found("khong co san pham nay") == set()
