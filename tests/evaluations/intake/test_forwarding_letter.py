"""The first level's letter to the province with the dossiers it forwarded in a round (issue
14), as a Word draft from the round's page: from Xã Tân Lạc under 1489/2025 (it assessed the
products' local origin and forwarded them with its letter) and from the district of Tân Lạc
under 148/2023 (its council scored them and forwarded those above 70 points)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.intake.services.dossiers import (
    CommuneAssessmentInput,
    dossier_create,
    dossier_forward_to_province,
    dossier_submit,
)
from evaluations.intake.word import round_label
from evaluations.models import LevelResult, Round
from ocop.core.enums import Role
from tests.evaluations.intake.conftest import MANDATORY_KINDS, complete, make_document, open_round
from tests.factories import producer_with_owner, product_for, thai_nguyen_units, user_with_role

# The 148/2023 case reads the council results built once for the module.
from tests.fixtures.results_world import *  # noqa: F403
from tests.word import lines, long_date, opened, table_rows, texts

pytestmark = pytest.mark.django_db

LETTER = b"%PDF-1.4\n% Cong van 125/UBND-KT\n%%EOF\n"
BASIS_148 = (
    "Căn cứ Quyết định số 148/QĐ-TTg ngày 24 tháng 02 năm 2023 của Thủ tướng Chính phủ ban "
    "hành Bộ tiêu chí, quy trình đánh giá và phân hạng sản phẩm Chương trình mỗi xã một sản "
    "phẩm;"
)


def letter_url(round_obj):
    return reverse("evaluations:round_forwarding_letter", args=[round_obj.pk])


def round_url(round_obj):
    return reverse("evaluations:round_detail", args=[round_obj.pk])


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Đợt 1 năm 2026", "đợt 1 năm 2026"),
        ("OCOP 2026, đợt 2", "OCOP 2026, đợt 2"),
        ("", "đợt 3 năm 2026"),
    ],
)
def test_a_round_is_named_inside_a_sentence(title, label):
    assert round_label(Round(title=title, number=3, year=2026)) == label


# --- from a commune, under 1489/2025 ---------------------------------------------------------


@pytest.fixture
def today_world(forms, regimes, required_documents, units):
    province_officer = user_with_role(Role.PROVINCE_OFFICER, units["new_province"], username="pt")
    return {
        "round": open_round(province_officer, units["new_province"], regime="1489/2025"),
        "province_officer": province_officer,
        "commune_officer": user_with_role(
            Role.COMMUNE_OFFICER, units["new_commune"], username="xa"
        ),
    }


def forwarded(today_world, producer, owner, library, *, number, name, letter="125/UBND-KT"):
    """A dossier of `producer`'s product on set `number`, submitted, then forwarded by Xã Tân
    Lạc with its assessment and `letter`."""
    dossier = dossier_create(
        round=today_world["round"],
        product=product_for(producer, number=number, name=name),
        kind="first",
        actor=owner,
    )
    complete(dossier, owner, library)
    dossier_submit(dossier=dossier, actor=owner)
    today = timezone.localdate()
    return dossier_forward_to_province(
        dossier=dossier,
        samples_count=5,
        samples_received_on=today,
        assessment=CommuneAssessmentInput(
            local_origin_met=True,
            local_origin_note="Nguyên liệu trồng tại xã.",
            dossier_assessment="Hồ sơ đầy đủ.",
            letter_number=letter,
            letter_date=today,
            letter=SimpleUploadedFile("cv.pdf", LETTER, content_type="application/pdf"),
        ),
        actor=today_world["commune_officer"],
    )


def test_the_communes_letter_lists_what_it_forwarded_with_its_assessment(
    client, today_world, cooperative, library
):
    producer, owner = cooperative
    second = forwarded(today_world, producer, owner, library, number=2, name="Mật ong Tân Lạc")
    first = forwarded(today_world, producer, owner, library, number=1, name="Cam Mãn Đức")
    round_obj = today_world["round"]
    client.force_login(today_world["commune_officer"])
    today = timezone.localdate()

    response = client.get(letter_url(round_obj))

    document = opened(response)
    assert response["Content-Disposition"] == (
        f'attachment; filename="Cong-van-de-nghi-Tan-Lac-dot-1-{round_obj.year}.docx"'
    )
    masthead, listing, closing = document.tables
    issuer, motto = masthead.rows[0].cells
    # Every dossier went with letter 125/UBND-KT of today: the draft is that letter.
    assert lines(issuer) == [
        "ỦY BAN NHÂN DÂN",
        "XÃ TÂN LẠC",
        "Số: 125/UBND-KT",
        f"V/v đề nghị đánh giá, phân hạng sản phẩm OCOP cấp tỉnh, đợt 1 năm {round_obj.year}",
    ]
    assert lines(motto) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Tân Lạc, {long_date(today)}",
    ]
    body = texts(document)
    assert body[:3] == [
        "Kính gửi: Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Phú Thọ.",
        "Căn cứ Quyết định số 1489/QĐ-TTg năm 2025 của Thủ tướng Chính phủ;",
        BASIS_148,
    ]
    assert body[3].startswith("Ủy ban nhân dân xã Tân Lạc đã tiếp nhận, kiểm tra hồ sơ")
    assert body[3].endswith("đánh giá, phân hạng 2 sản phẩm, cụ thể như sau:")
    day = today.strftime("%d/%m/%Y")
    assert table_rows(listing) == [
        [
            "STT",
            "Tên sản phẩm",
            "Chủ thể",
            "Bộ sản phẩm",
            "Kết quả đánh giá của xã",
            "Công văn chuyển hồ sơ",
        ],
        *[
            [
                str(n),
                d.product.name,
                "HTX Mãn Đức",
                str(d.product.product_set),
                "Đạt tiêu chí nguồn gốc địa phương",
                f"125/UBND-KT, {day}",
            ]
            for n, d in enumerate((first, second), start=1)
        ],
    ]
    recipients, signature = closing.rows[0].cells
    assert lines(recipients) == [
        "Nơi nhận:",
        "- Như trên;",
        "- Cơ quan thường trực Chương trình OCOP tỉnh Phú Thọ;",
        "- Các chủ thể có sản phẩm tại danh sách trên;",
        "- Lưu: VT.",
    ]
    assert lines(signature) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]


def test_dossiers_sent_with_different_letters_leave_the_number_and_date_to_the_office(
    client, today_world, cooperative, library
):
    producer, owner = cooperative
    forwarded(today_world, producer, owner, library, number=1, name="Cam", letter="1/UBND")
    forwarded(today_world, producer, owner, library, number=2, name="Mật", letter="2/UBND")
    client.force_login(today_world["commune_officer"])

    document = opened(client.get(letter_url(today_world["round"])))

    issuer, motto = document.tables[0].rows[0].cells
    assert lines(issuer)[2] == "Số: ……/UBND"
    assert lines(motto)[2] == f"Tân Lạc, ngày …… tháng …… năm {timezone.localdate().year}"
    assert [row[5].split(",")[0] for row in table_rows(document.tables[1])[1:]] == [
        "1/UBND",
        "2/UBND",
    ]


def test_the_round_page_shows_the_commune_what_it_forwarded_and_offers_the_letter(
    client, today_world, cooperative, library
):
    producer, owner = cooperative
    dossier = forwarded(today_world, producer, owner, library, number=1, name="Cam Mãn Đức")
    round_obj = today_world["round"]
    client.force_login(today_world["commune_officer"])

    response = client.get(round_url(round_obj))

    forwarding = response.context["forwarding"]
    assert forwarding.unit.name == "Xã Tân Lạc" and not forwarding.scores
    assert [row.dossier for row in forwarding.dossiers] == [dossier]
    body = response.content.decode()
    assert 'data-testid="forwarded-row"' in body
    assert "125/UBND-KT" in body
    assert f'href="{letter_url(round_obj)}"' in body
    assert "Letter to the province (Word draft)" in body


def test_another_commune_reads_only_what_it_forwarded(
    client, today_world, cooperative, library, units
):
    producer, owner = cooperative
    forwarded(today_world, producer, owner, library, number=1, name="Cam Mãn Đức")
    other = units["new_province"].children.get(code="04831")
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, other, username="dabac"))

    page = client.get(round_url(today_world["round"]))
    document = opened(client.get(letter_url(today_world["round"])))

    assert page.context["forwarding"].dossiers == []
    assert 'data-testid="forwarded-none"' in page.content.decode()
    assert lines(document.tables[0].rows[0].cells[0])[1] == "XÃ ĐÀ BẮC"
    assert table_rows(document.tables[1])[1:] == []


def test_the_letter_is_not_found_but_for_the_first_levels_working_group(
    client, today_world, cooperative, library, role_users
):
    producer, owner = cooperative
    forwarded(today_world, producer, owner, library, number=1, name="Cam Mãn Đức")
    away = thai_nguyen_units()
    target = letter_url(today_world["round"])
    response = client.get(target)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    outsiders = (
        owner,  # the producer sees the round, not the commune's letter
        today_world["province_officer"],  # the province receives it
        role_users[Role.DISTRICT_OFFICER],  # abolished Tân Lạc: no longer a level
        user_with_role(Role.COMMUNE_OFFICER, away["commune"], username="hungson"),
    )
    for user in outsiders:
        client.force_login(user)
        assert client.get(target).status_code == 404, user
        page = client.get(round_url(today_world["round"]))
        assert page.status_code == 404 or page.context.get("forwarding") is None, user


def test_the_letter_and_the_page_read_in_constant_queries(
    client, today_world, cooperative, library, units
):
    producer, owner = cooperative
    round_obj = today_world["round"]
    forwarded(today_world, producer, owner, library, number=1, name="Cam Mãn Đức")
    client.force_login(today_world["commune_officer"])
    with CaptureQueriesContext(connection) as letter_one:
        one = opened(client.get(letter_url(round_obj)))
    with CaptureQueriesContext(connection) as page_one:
        client.get(round_url(round_obj))

    other, other_owner = producer_with_owner(commune=units["commune"], username="htx2")
    other_library = {k: make_document(other, k, uploaded_by=other_owner) for k in MANDATORY_KINDS}
    forwarded(today_world, producer, owner, library, number=2, name="Mật ong Tân Lạc")
    forwarded(today_world, other, other_owner, other_library, number=3, name="Gạo Tân Lạc")
    with CaptureQueriesContext(connection) as letter_three:
        three = opened(client.get(letter_url(round_obj)))
    with CaptureQueriesContext(connection) as page_three:
        client.get(round_url(round_obj))

    assert (len(one.tables[1].rows), len(three.tables[1].rows)) == (2, 4)
    assert len(letter_three) == len(letter_one)
    assert len(page_three) == len(page_one)


# --- from a district, under 148/2023 ---------------------------------------------------------


def test_the_districts_letter_lists_what_its_council_forwarded_with_score_and_stars(
    client, results, round_148, district_officer
):
    sent = LevelResult.objects.select_related("dossier__product__product_set").get(
        level="district", outcome="forwarded"
    )
    client.force_login(district_officer)

    response = client.get(letter_url(round_148))

    document = opened(response)
    masthead, listing, closing = document.tables
    issuer, motto = masthead.rows[0].cells
    assert lines(issuer) == [
        "ỦY BAN NHÂN DÂN",
        "HUYỆN TÂN LẠC",
        "Số: ……/UBND",
        f"V/v đề nghị đánh giá, phân hạng sản phẩm OCOP cấp tỉnh, đợt 1 năm {round_148.year}",
    ]
    assert lines(motto)[2] == f"Tân Lạc, ngày …… tháng …… năm {timezone.localdate().year}"
    body = texts(document)
    assert body[:2] == [
        "Kính gửi: Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Hoà Bình.",
        BASIS_148,
    ]
    assert body[2].startswith(
        "Căn cứ kết quả đánh giá, phân hạng sản phẩm của Hội đồng đánh giá, phân hạng sản "
        "phẩm OCOP cấp huyện"
    )
    assert "đề nghị Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Hoà Bình" in body[2]
    assert "1 sản phẩm đạt điều kiện chuyển lên cấp tỉnh" in body[2]
    score = f"{sent.display_mean:.2f}".replace(".", ",")
    assert table_rows(listing) == [
        [
            "STT",
            "Tên sản phẩm",
            "Chủ thể",
            "Xã",
            "Bộ sản phẩm",
            "Điểm cấp huyện",
            "Hạng sao cấp huyện",
        ],
        [
            "1",
            "Mật ong bạc hà",
            "HTX Số 2",
            "Thị trấn Mãn Đức",
            str(sent.dossier.product.product_set),
            score,
            f"{sent.stars} sao",
        ],
    ]
    assert "," in score and "." not in score
    assert any(t.startswith("Hồ sơ gửi kèm theo gồm: hồ sơ sản phẩm") for t in body)
    assert lines(closing.rows[0].cells[0])[1] == "- Như trên;"


def test_the_round_page_shows_the_district_its_forwarded_product(
    client, results, round_148, district_officer, province_officer
):
    client.force_login(district_officer)

    page = client.get(round_url(round_148))

    forwarding = page.context["forwarding"]
    assert forwarding.scores
    assert [row.dossier.product.name for row in forwarding.dossiers] == ["Mật ong bạc hà"]
    assert f'href="{letter_url(round_148)}"' in page.content.decode()
    # The province receives the letter: neither the section nor the letter is its own.
    client.force_login(province_officer)
    assert client.get(round_url(round_148)).context["forwarding"] is None
    assert client.get(letter_url(round_148)).status_code == 404


def test_another_district_and_a_producer_have_no_letter_of_tan_lac(
    client, results, round_148, units, producers
):
    client.force_login(user_with_role(Role.DISTRICT_OFFICER, units["other_district"]))
    document = opened(client.get(letter_url(round_148)))
    assert table_rows(document.tables[1])[1:] == []

    client.force_login(producers[1][1])
    assert client.get(letter_url(round_148)).status_code == 404
