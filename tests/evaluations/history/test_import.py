"""The historical import (issue 14): the shared sample of published results, the refusals
with their line numbers, idempotence, the dry run, XLSX files, who may import."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from evaluations.certificates.validity import add_months
from evaluations.enums import CertificateStatus, DossierState, Level
from evaluations.history.services import results_import
from evaluations.models import Certificate, Decision, Dossier, LevelResult, ResultImport, Round
from ocop.core.enums import Role, UnitScheme
from ocop.core.models import AuditEntry
from products.models import Producer, Product
from tests.evaluations.history.conftest import IMPORT_DAY, SAMPLE
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

HEADER = "province,decision,decision_date,product,producer,commune,district,stars,score\n"


def run(content, actor, *, name="results.csv", dry_run=False, today=IMPORT_DAY):
    if isinstance(content, str):
        content = (HEADER + content).encode()
    return results_import(
        file_name=name, content=content, actor=actor, dry_run=dry_run, today=today
    )


def test_the_shared_sample_imports_whole(importer, sample_bytes):
    report = run(sample_bytes, importer, name=SAMPLE.name)

    assert report.ok and report.imported, report.errors
    assert report.rows == 30
    assert Product.objects.filter(imported=True).count() == 30
    # 2919/QĐ-UBND (Huế 2020), 5445/QĐ-UBND (Thanh Hóa 2019), 2585/QĐ-UBND (Yên Bái 2023);
    # 1810/QĐ-UBND (Huế 2022) proposed its three products to the central level: no certificate.
    assert sorted(Decision.objects.values_list("number", flat=True)) == [
        "2585/QĐ-UBND",
        "2919/QĐ-UBND",
        "5445/QĐ-UBND",
    ]
    by_stars = {stars: Certificate.objects.filter(stars=stars).count() for stars in (3, 4, 5)}
    assert by_stars == {3: 18, 4: 9, 5: 0}
    forwarded = Dossier.objects.filter(state=DossierState.FORWARDED, level=Level.CENTRAL)
    assert sorted(forwarded.values_list("product__name", flat=True)) == [
        "Bộ sản phẩm đèn trang trí, rổ, rá",
        "Nước mắm Lú Huế",
        "Nước mắm Quảng Công",
    ]
    assert sorted(
        LevelResult.objects.filter(dossier__in=forwarded).values_list("display_mean", flat=True)
    ) == [Decimal("90.00"), Decimal("94.00"), Decimal("96.00")]
    # Everything is marked as imported; rounds are historical, one per province, year and regime.
    assert Round.objects.filter(historical=True, import_batch=report.batch).count() == 4
    assert Dossier.objects.exclude(import_batch=report.batch).count() == 0
    assert Decision.objects.exclude(import_batch=report.batch).count() == 0
    assert not Producer.objects.filter(imported=False).exists()
    # Named producers are matched by name; the others share their unit's placeholder.
    named = Producer.objects.filter(name_published=True)
    assert sorted(named.values_list("kind", flat=True)) == ["cooperative"] * 4
    assert ResultImport.objects.get().summary["created"]["certificates"] == 27


def test_scores_left_unpublished_stay_unknown(importer, sample_bytes):
    run(sample_bytes, importer)

    gao = Certificate.objects.get(product__name="Gạo hữu cơ An Lỗ")
    assert (gao.stars, gao.score) == (4, None)
    assert gao.producer_name == "HTX SX-KD-DV NN An Lỗ"
    assert gao.decision.signer_name == ""  # not published either
    result = gao.item.result
    assert (result.mean, result.band_stars, result.stars) == (None, None, 4)


def test_certificates_last_36_months_from_the_decision(importer, sample_bytes):
    run(sample_bytes, importer)

    yen_bai = Certificate.objects.filter(decision__number="2585/QĐ-UBND")
    assert {c.valid_until for c in yen_bai} == {datetime.date(2026, 12, 28)}
    assert {c.status for c in yen_bai} == {CertificateStatus.VALID}
    # "2020-11": only the month is known; dated the 1st, expired long before the import.
    hue = Certificate.objects.filter(decision__number="2919/QĐ-UBND")
    assert {c.issued_on for c in hue} == {datetime.date(2020, 11, 1)}
    assert {c.valid_until for c in hue} == {add_months(datetime.date(2020, 11, 1), 36)}
    assert {c.status for c in hue} == {CertificateStatus.EXPIRED}
    expired_product = hue.first().product
    assert (expired_product.ocop_stars, expired_product.certificate_number) == (None, "")


def test_units_are_matched_on_the_map_of_the_rows_date(importer, sample_bytes, sample_map):
    run(sample_bytes, importer)

    gao = Product.objects.get(name="Gạo hữu cơ An Lỗ")
    # Phong Hiền, Phong Điền, Thừa Thiên Huế: the old map (Huế's code, 46), its commune.
    assert gao.producer.address_unit.scheme == UnitScheme.THREE_TIER
    assert gao.producer.address_unit.short_name == "Phong Hiền"
    assert gao.dossiers.get().first_level_unit.short_name == "Phong Điền"
    assert gao.dossiers.get().round.province == sample_map[(UnitScheme.THREE_TIER, "46")]
    # Suối Giàng has no district in the file: found in Yên Bái, received by Văn Chấn.
    tea = Product.objects.get(name__startswith="Lục Bách Niên")
    assert tea.dossiers.get().first_level_unit.short_name == "Văn Chấn"
    # Neither commune nor district (Rượu Chi Nê): the province.
    ruou = Product.objects.get(name="Rượu Chi Nê")
    assert ruou.producer.address_unit == sample_map[(UnitScheme.THREE_TIER, "38")]


def test_the_report_notes_what_it_read_rather_than_found(importer, sample_bytes):
    report = run(sample_bytes, importer)

    notes = dict.fromkeys(line for line, _message in report.warnings)
    assert 2 in notes  # "2020-11": the month only; the product set read from "Gạo ..."
    assert any("Nam Đông" in message for line, message in report.warnings if line == 10)
    assert any("Hải Dương" in message for line, message in report.warnings if line == 9)


def test_importing_again_creates_nothing(importer, sample_bytes):
    run(sample_bytes, importer)
    entries = AuditEntry.objects.count()
    counts = [m.objects.count() for m in (Producer, Product, Dossier, Decision, Certificate)]

    again = run(sample_bytes, importer)

    assert again.ok and not again.created
    assert again.matched["certificates"] == 27 and again.matched["products"] == 30
    assert [m.objects.count() for m in (Producer, Product, Dossier, Decision, Certificate)] == (
        counts
    )
    assert AuditEntry.objects.count() == entries
    assert ResultImport.objects.count() == 1


def test_a_dry_run_counts_and_keeps_nothing(importer, sample_bytes):
    report = run(sample_bytes, importer, dry_run=True)

    assert report.ok and not report.imported
    assert report.created["certificates"] == 27 and report.created["products"] == 30
    assert report.certificates_by_stars == {3: 18, 4: 9}
    assert not Product.objects.exists() and not ResultImport.objects.exists()
    assert not AuditEntry.objects.filter(action__endswith=".import").exists()


BAD_ROWS = [
    ("Tỉnh Không Có,1/QĐ-UBND,2023-05-02,Chè A,,,,3,", "Unknown province"),
    ("Thanh Hóa,1/QĐ-UBND,2023-05-02,Chè A,,,,6,", "Stars must be 3, 4 or 5"),
    ("Thanh Hóa,1/QĐ-UBND,2023-05-02,Chè A,,,,2,", "Stars must be 3, 4 or 5"),
    ("Thanh Hóa,1/QĐ-UBND,31/02/2023,Chè A,,,,3,", "is not a date"),
    ("Thanh Hóa,1/QĐ-UBND,hôm qua,Chè A,,,,3,", "is not a date"),
    ("Thanh Hóa,1/QĐ-UBND,2099-01-01,Chè A,,,,3,", "in the future"),
    ("Thanh Hóa,1/QĐ-UBND,2023-05-02,Chè A,,,,3,120", "between 0 and 100"),
    ("Thanh Hóa,1/QĐ-UBND,2023-05-02,Chè A,,,,3,NaN", "is not a number"),
    # Districts were abolished on 01/07/2025: a 2026 row naming one names what did not exist.
    ("Thanh Hóa,1/QĐ-UBND,2026-03-02,Chè A,,,Thọ Xuân,4,", "did not exist on 02/03/2026"),
    # Yên Bái was merged into Lào Cai on 01/07/2025.
    ("Yên Bái,1/QĐ-UBND,2026-03-02,Chè A,,,,4,", "did not exist on 02/03/2026"),
    ("Thanh Hóa,,2023-05-02,Chè A,,,,4,", "The decision that recognised the product is empty"),
    ("Thanh Hóa,1/QĐ-UBND,2018-05-02,Chè A,,,,3,", "No OCOP regime"),
    ("Thanh Hóa,1/QĐ-UBND,2023-05-02,Sản phẩm lạ,,,,4,", "product set"),
    ("Thanh Hóa,1/QĐ-UBND,2023-05-02,Chè A,,,,,", "Give the stars, or the outcome"),
    # Under 148/2023 the district recognises 3★: the row must say which district.
    ("Thanh Hóa,1/QĐ-UBND,2023-05-02,Chè A,,,,3,", "needs its unit"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS, ids=[r for _, r in BAD_ROWS])
def test_a_bad_row_refuses_the_whole_file_with_its_line_and_reason(
    importer, sample_map, row, reason
):
    good = "Thanh Hóa,5445/QĐ-UBND,2019-12-23,Bánh gai Lâm Thắm,,,Thọ Xuân,3,\n"

    report = run(good + row + "\n", importer)

    assert not report.ok
    assert [line for line, _ in report.errors] == [3]
    assert reason in report.errors[0][1]
    assert not Product.objects.exists() and not Certificate.objects.exists()


def test_a_level_that_does_not_recognise_those_stars_is_refused(importer, sample_map):
    content = (
        HEADER.strip() + ",level\n"
        "Thanh Hóa,7/QĐ-UBND,2024-03-04,Chè B,,,Thọ Xuân,3,,province\n"
        "Thanh Hóa,8/QĐ-UBND,2024-03-04,Chè C,,,,5,,province\n"
    ).encode()

    report = run(content, importer)

    assert [line for line, _ in report.errors] == [2, 3]
    assert "does not recognise 3★" in report.errors[0][1]
    assert "does not recognise 5★" in report.errors[1][1]


def test_duplicate_rows_are_refused(importer, sample_map):
    row = "Thanh Hóa,5445/QĐ-UBND,2019-12-23,Bánh gai Lâm Thắm,,,Thọ Xuân,3,\n"

    report = run(row + row.upper(), importer)

    assert [line for line, _ in report.errors] == [3]
    assert "Line 2 has the same product" in report.errors[0][1]


def test_names_are_matched_ignoring_case_diacritics_and_prefixes(importer, sample_map):
    rows = (
        "TỈNH THANH HOÁ,5445/QĐ-UBND,2019-12-23,Bánh gai A,,Xã Xuân Hoà,huyen tho xuan,3,\n"
        "thanh hoa,5445/QĐ-UBND,2019-12-23,Bánh gai B,,,Huyện Thọ Xuân,3,\n"
        "Thừa Thiên Huế,2919/QĐ-UBND,2020-11-02,Gạo C,,,,3,\n"
    )

    report = run(rows, importer)

    assert report.ok, report.errors
    units = {p.name: p.producer.address_unit.short_name for p in Product.objects.all()}
    assert units == {"Bánh gai A": "Xuân Hòa", "Bánh gai B": "Thọ Xuân", "Gạo C": "Huế"}


def test_an_xlsx_file_with_vietnamese_headers_and_date_cells(importer, sample_map):
    book = Workbook()
    sheet = book.active
    sheet.append(["Tỉnh", "Số quyết định", "Ngày quyết định", "Sản phẩm", "Chủ thể", "Số sao"])
    sheet.append(
        ["Thanh Hóa", "5445/QĐ-UBND", datetime.datetime(2019, 12, 23), "Kẹo lạc Đức Giang", "", 3]
    )
    buffer = io.BytesIO()
    book.save(buffer)

    report = run(buffer.getvalue(), importer, name="ket-qua.xlsx")

    assert report.ok, report.errors
    certificate = Certificate.objects.get()
    assert (certificate.issued_on, certificate.stars) == (datetime.date(2019, 12, 23), 3)


def test_a_file_that_is_not_a_table_is_refused(importer):
    assert "Upload a .csv or .xlsx" in run(b"x", importer, name="a.pdf").errors[0][1]
    assert "not an Excel workbook" in run(b"x", importer, name="a.xlsx").errors[0][1]
    assert "missing: province" in run(b"a,b\n1,2\n", importer).errors[0][1]
    assert "UTF-8" in run("tỉnh".encode("utf-16"), importer).errors[0][1]


def test_a_later_certificate_is_not_superseded_by_an_older_import(importer, sample_map):
    newer = "Thanh Hóa,9/QĐ-UBND,2022-06-01,Bánh gai Lâm Thắm,,,Thọ Xuân,4,\n"
    older = "Thanh Hóa,5445/QĐ-UBND,2019-12-23,Bánh gai Lâm Thắm,,,Thọ Xuân,3,\n"
    run(newer, importer)

    run(older, importer)

    old, new = Certificate.objects.order_by("issued_on")
    assert (old.status, old.superseded_by) == (CertificateStatus.SUPERSEDED, new)
    assert new.status == CertificateStatus.EXPIRED  # 06/2022 + 36 months < 01/12/2026
    # The catalogue's entry for the product stays the later certificate.
    assert (old.latest, new.latest) == (False, True)


def test_only_the_provinces_office_may_import(sample_map, sample_bytes):
    thanh_hoa = user_with_role(
        Role.PROVINCE_OFFICER, sample_map[(UnitScheme.TWO_TIER, "38")], username="th"
    )
    lao_cai = user_with_role(
        Role.PROVINCE_OFFICER, sample_map[(UnitScheme.TWO_TIER, "15")], username="lc"
    )
    yen_bai_row = "Yên Bái,2585/QĐ-UBND,2023-12-28,Quế điếu Phúc Long,,,,4,\n"

    with pytest.raises(PermissionDenied):
        run(sample_bytes, thanh_hoa)  # also Huế's and Yên Bái's rows
    assert not Product.objects.exists()
    # Lào Cai's office keeps Yên Bái's history (merged into it in 2025).
    assert run(yen_bai_row, lao_cai).imported


def test_the_command_imports_and_reports(importer, tmp_path, capsys):
    call_command("import_results", str(SAMPLE), "--user", importer.username, "--dry-run")
    assert "would create" in capsys.readouterr().out
    assert not Product.objects.exists()

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Thanh Hóa,1/QĐ-UBND,2023-05-02,Chè A,,,,7,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_results", str(bad), "--user", importer.username)
    assert "line 2: Stars must be 3, 4 or 5" in capsys.readouterr().err


def test_a_file_corrected_with_the_producers_name_adds_no_second_product(importer, sample_map):
    unnamed = "Thanh Hóa,5445/QĐ-UBND,2019-12-23,Bánh gai Lâm Thắm,,,Thọ Xuân,3,\n"
    named = "Thanh Hóa,5445/QĐ-UBND,2019-12-23,Bánh gai Lâm Thắm,Cơ sở Lâm Thắm,,Thọ Xuân,3,\n"
    run(unnamed, importer)

    report = run(named, importer)

    assert report.ok and not report.created
    assert Product.objects.count() == 1 and Certificate.objects.count() == 1
    assert any("without its producer's name" in message for _line, message in report.warnings)
