"""The office's Word drafts of a decision (issue 14): the recognition decision with its annex
of products, and the list of an issued decision's certificates to print. Opened with
python-docx as Word would open them; in Vietnamese whatever the reader's language (these tests
ask in English)."""

import io
import re

import docx
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from evaluations.certificates.selectors import decision_detail
from evaluations.certificates.services import certificate_revoke, decision_create
from evaluations.certificates.word import certificates_docx, decision_docx
from evaluations.models import Decision
from ocop.core.enums import Role
from tests.evaluations.certificates.conftest import issued
from tests.factories import user_with_role

# `results` and what it is built from: built once for the module's tests that use it.
from tests.fixtures.results_world import *  # noqa: F403
from tests.word import lines, long_date, opened, table_rows, texts

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


def score_vi(value) -> str:
    return f"{value:.2f}".replace(".", ",")


@pytest.fixture
def other_district_officer(units):
    return user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="x")


@pytest.fixture
def owner(producers):
    return producers[0][1]


# --- the recognition decision ----------------------------------------------------------------


def test_decision_draft_is_an_administrative_document_with_its_annex(
    client, district_decision, district_officer
):
    client.force_login(district_officer)
    today = timezone.localdate()

    response = client.get(url("decision_docx", district_decision.pk))

    document = opened(response)
    assert response["Content-Disposition"] == (
        'attachment; filename="Du-thao-QD-1520-QD-UBND.docx"'
    )
    assert response["Cache-Control"] == "private, no-store"
    masthead, closing, annex = document.tables
    issuer, motto = masthead.rows[0].cells
    assert lines(issuer) == ["ỦY BAN NHÂN DÂN", "HUYỆN TÂN LẠC", "Số: 1520/QĐ-UBND"]
    assert lines(motto) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Tân Lạc, {long_date(today)}",
    ]
    body = texts(document)
    assert body[:3] == [
        "QUYẾT ĐỊNH",
        f"Về việc công nhận sản phẩm đạt chuẩn OCOP huyện Tân Lạc năm {today.year}",
        "ỦY BAN NHÂN DÂN HUYỆN TÂN LẠC",
    ]
    # The legal bases: the round's regime and criteria version (both 148/2023), the council.
    assert body[3:7] == [
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        "Căn cứ Quyết định số 148/QĐ-TTg ngày 24 tháng 02 năm 2023 của Thủ tướng Chính phủ ban "
        "hành Bộ tiêu chí, quy trình đánh giá và phân hạng sản phẩm Chương trình mỗi xã một "
        "sản phẩm;",
        "Căn cứ kết quả đánh giá, phân hạng sản phẩm của Hội đồng đánh giá, phân hạng sản phẩm "
        "OCOP cấp huyện;",
        "Theo đề nghị của …… tại Tờ trình số …… ngày …….",
    ]
    assert "QUYẾT ĐỊNH:" in body
    assert (
        "Điều 1. Công nhận 2 sản phẩm đạt chuẩn OCOP (có Phụ lục danh sách kèm theo), trong "
        "đó: 2 sản phẩm đạt 3 sao." in body
    )
    assert "Giấy chứng nhận sản phẩm OCOP có giá trị 36 tháng kể từ ngày ký Quyết định này." in body
    assert any(t.startswith("Điều 2. ") for t in body)
    assert any(t.startswith("Điều 3. Quyết định này có hiệu lực kể từ ngày ký.") for t in body)
    recipients, signature = closing.rows[0].cells
    assert lines(recipients) == [
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Ủy ban nhân dân tỉnh Hoà Bình (để báo cáo);",
        "- Cơ quan thường trực Chương trình OCOP tỉnh Hoà Bình;",
        "- Chủ tịch, các Phó Chủ tịch UBND huyện;",
        "- Lưu: VT.",
    ]
    assert lines(signature) == [
        "TM. ỦY BAN NHÂN DÂN",
        "PHÓ CHỦ TỊCH UBND HUYỆN TÂN LẠC",
        "Bùi Văn Cường",
    ]
    assert body[-3:] == [
        "PHỤ LỤC",
        "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT CHUẨN OCOP",
        f"(Kèm theo Quyết định số 1520/QĐ-UBND {long_date(today)} của Ủy ban nhân dân huyện "
        "Tân Lạc)",
    ]
    # The annex: the decision's products as its page lists them, scores with a comma.
    items = list(district_decision.items.order_by("order", "pk"))
    assert table_rows(annex) == [
        ["STT", "Tên sản phẩm", "Chủ thể", "Xã", "Tỉnh", "Bộ sản phẩm", "Điểm", "Hạng sao"],
        *[
            [
                str(n),
                item.result.dossier.product.name,
                item.result.dossier.product.producer.name,
                "Thị trấn Mãn Đức",
                "Tỉnh Hoà Bình",
                str(item.result.dossier.product.product_set),
                score_vi(item.score),
                "3 sao",
            ]
            for n, item in enumerate(items, start=1)
        ],
    ]
    assert [row[1] for row in table_rows(annex)[1:]] == ["Chè shan tuyết", "Gạo nếp cẩm"]
    assert all(re.fullmatch(r"\d{2},\d{2}", row[6]) for row in table_rows(annex)[1:])


def test_decision_draft_pages_are_a4_in_the_administrative_style(
    client, district_decision, district_officer
):
    client.force_login(district_officer)

    document = opened(client.get(url("decision_docx", district_decision.pk)))

    portrait, landscape = document.sections
    assert (round(portrait.page_width.mm), round(portrait.page_height.mm)) == (210, 297)
    margins = (portrait.top_margin, portrait.bottom_margin)
    assert [round(m.mm) for m in (*margins, portrait.left_margin, portrait.right_margin)] == [
        20,
        20,
        30,
        15,
    ]
    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    assert round(landscape.page_width.mm) == 297
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    assert document.core_properties.title == "Quyết định 1520/QĐ-UBND"


def test_decision_page_offers_the_word_draft_and_names_the_producers_place(
    client, district_decision, district_officer
):
    client.force_login(district_officer)

    body = client.get(url("decision_detail", district_decision.pk)).content.decode()

    assert f'href="{url("decision_docx", district_decision.pk)}"' in body
    assert "Download Word draft" in body
    assert "Thị trấn Mãn Đức, Tỉnh Hoà Bình" in body
    # Not issued: no list of certificates to print yet.
    assert url("decision_certificates_docx", district_decision.pk) not in body


def test_the_province_reads_a_districts_draft(client, district_decision, province_officer):
    client.force_login(province_officer)

    document = opened(client.get(url("decision_docx", district_decision.pk)))

    assert "Số: 1520/QĐ-UBND" in lines(document.tables[0].rows[0].cells[0])


def test_decision_draft_is_not_found_for_those_who_may_not_see_the_decision(
    client, district_decision, owner, other_user, other_district_officer
):
    target = url("decision_docx", district_decision.pk)
    response = client.get(target)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (owner, other_user, other_district_officer):
        client.force_login(user)
        assert client.get(target).status_code == 404
    client.force_login(other_district_officer)
    assert client.get(url("decision_docx", 999999)).status_code == 404


def test_a_ministrys_decision_has_no_word_draft(client, district_decision, district_officer):
    """The ministry's decision (5★) is recorded, not drafted by the office."""
    Decision.objects.filter(pk=district_decision.pk).update(
        issuer_name="Bộ Nông nghiệp và Môi trường"
    )
    client.force_login(district_officer)

    page = client.get(url("decision_detail", district_decision.pk)).content.decode()

    assert client.get(url("decision_docx", district_decision.pk)).status_code == 404
    assert url("decision_docx", district_decision.pk) not in page


def test_decision_draft_reads_its_products_in_one_query(district_decision):
    decision = decision_detail().get(pk=district_decision.pk)

    with CaptureQueriesContext(connection) as queries:
        decision_docx(decision)

    assert len(queries) == 1


def test_decision_draft_query_count_does_not_grow_with_its_products(
    client, results, units, district_officer
):
    client.force_login(district_officer)

    def draft_and_download(chosen):
        decision = decision_create(
            issuer=units["district"],
            number="7/QĐ-UBND",
            date=timezone.localdate(),
            signer_name="A",
            signer_title="B",
            results=chosen,
            actor=district_officer,
        )
        with CaptureQueriesContext(connection) as queries:
            document = opened(client.get(url("decision_docx", decision.pk)))
        return len(queries), len(document.tables[-1].rows) - 1

    with transaction.atomic():
        one, rows_one = draft_and_download(results["district"][:1])
        transaction.set_rollback(True)
    two, rows_two = draft_and_download(results["district"])

    assert (rows_one, rows_two) == (1, 2)
    assert one == two


# --- the certificates to print ---------------------------------------------------------------


def test_certificates_to_print_list_the_issued_decisions_certificates(
    client, certificates, district_decision, district_officer
):
    client.force_login(district_officer)
    today = timezone.localdate()
    revoked = certificates[0]
    certificate_revoke(
        certificate=revoked,
        reason="quality_violation",
        decision_number="88/QĐ-UBND",
        decision_date=today,
        note="",
        actor=district_officer,
    )

    response = client.get(url("decision_certificates_docx", district_decision.pk))

    document = opened(response)
    assert response["Content-Disposition"] == (
        'attachment; filename="Danh-sach-GCN-can-in-1520-QD-UBND.docx"'
    )
    masthead, listing, _closing = document.tables
    issuer, motto = masthead.rows[0].cells
    assert lines(issuer) == ["ỦY BAN NHÂN DÂN", "HUYỆN TÂN LẠC"]
    assert lines(motto)[1:] == ["Độc lập - Tự do - Hạnh phúc", f"Tân Lạc, {long_date(today)}"]
    body = texts(document)
    assert body[:2] == [
        "DANH SÁCH GIẤY CHỨNG NHẬN SẢN PHẨM OCOP CẦN IN",
        f"(Theo Quyết định số 1520/QĐ-UBND {long_date(district_decision.date)} của Ủy ban "
        "nhân dân huyện Tân Lạc)",
    ]
    ordered = sorted(certificates, key=lambda c: c.sequence)
    assert table_rows(listing) == [
        [
            "STT",
            "Số giấy chứng nhận",
            "Tên sản phẩm",
            "Chủ thể",
            "Hạng sao",
            "Có giá trị đến",
            "Ghi chú",
        ],
        *[
            [
                str(n),
                c.number,
                c.product_name,
                c.producer_name,
                "3 sao",
                c.valid_until.strftime("%d/%m/%Y"),
                "Đã thu hồi, không in" if c.pk == revoked.pk else "",
            ]
            for n, c in enumerate(ordered, start=1)
        ],
    ]
    assert "Tổng số: 2 giấy chứng nhận, trong đó 1 giấy chứng nhận cần in." in body


def test_the_issued_decisions_page_offers_the_list_to_print(
    client, certificates, district_decision, district_officer
):
    client.force_login(district_officer)

    body = client.get(url("decision_detail", district_decision.pk)).content.decode()

    assert f'href="{url("decision_certificates_docx", district_decision.pk)}"' in body
    assert f'href="{url("decision_docx", district_decision.pk)}"' in body


def test_certificates_to_print_are_not_found_for_a_draft_or_an_outsider(
    client, district_decision, owner, other_district_officer, district_officer
):
    target = url("decision_certificates_docx", district_decision.pk)
    client.force_login(district_officer)
    assert client.get(target).status_code == 404  # a draft has no certificates
    for user in (owner, other_district_officer):
        client.force_login(user)
        assert client.get(target).status_code == 404


def test_certificates_to_print_are_read_in_one_query(certificates, district_decision):
    decision = Decision.objects.select_related("issuer").get(pk=district_decision.pk)

    with CaptureQueriesContext(connection) as queries:
        content = certificates_docx(decision, today=timezone.localdate())

    assert len(queries) == 1
    assert len(docx.Document(io.BytesIO(content)).tables[1].rows) == 1 + len(certificates)


def test_certificates_to_print_query_count_does_not_grow_with_the_certificates(
    client, results, units, district_officer
):
    client.force_login(district_officer)

    def issue_and_download(chosen):
        decision = issued(units["district"], "8/QĐ-UBND", chosen, district_officer)[0].decision
        with CaptureQueriesContext(connection) as queries:
            document = opened(client.get(url("decision_certificates_docx", decision.pk)))
        return len(queries), len(document.tables[1].rows) - 1

    with transaction.atomic():
        one, rows_one = issue_and_download(results["district"][:1])
        transaction.set_rollback(True)
    two, rows_two = issue_and_download(results["district"])

    assert (rows_one, rows_two) == (1, 2)
    assert one == two
