"""The letter a first-level unit sends the province with the dossiers it forwards in a round
("công văn đề nghị đánh giá, phân hạng sản phẩm OCOP cấp tỉnh"), as a Word draft its office
edits before signing (docs/decisions/0025-word-drafts.md).

From a district under 1048/2019 and 148/2023, it lists the products its council forwarded with
the council's score and stars; from a commune under 1489/2025, which checks but does not
score, the products it forwarded with its assessment of their local origin. Built from the
rows the round's page shows (`forwarded_dossiers`); Vietnamese whatever the reader's language,
points with a decimal comma (72,50).
"""

from datetime import date

from django.utils import translation
from docx.shared import Mm

from evaluations.criteria.reference_data import legal_basis
from evaluations.engine.display import format_points
from evaluations.enums import LEVEL_NAMES_VI
from evaluations.intake.selectors import ForwardedDossier, Forwarding
from evaluations.models import Round
from ocop.core import word
from ocop.core.word import CENTER, RIGHT, Column, Masthead

LEVELS = LEVEL_NAMES_VI


def round_label(round_obj: Round) -> str:
    """The round inside a sentence, as the minutes name it: its title ("Đợt 1 năm 2026" as
    "đợt 1 năm 2026", an acronym such as "OCOP 2026" kept), else "đợt 1 năm 2026"."""
    title = round_obj.title
    if not title:
        return f"đợt {round_obj.number} năm {round_obj.year}"
    return word.lower_first(title) if title[1:2].islower() else title


def _shared(rows: list[ForwardedDossier]):
    """The commune's letter number and date when every dossier went with the same letter
    (one letter for the round), else ("", None): the office writes them when it signs."""
    letters = {(r.assessment.letter_number, r.assessment.letter_date) for r in rows if r.assessment}
    if len(letters) == 1 and all(r.assessment for r in rows):
        return letters.pop()
    return "", None


def _scored_rows(rows: list[ForwardedDossier]) -> list[list[str]]:
    with translation.override("vi"):
        return [
            [
                str(index),
                row.dossier.product.name,
                row.dossier.product.producer.name,
                row.dossier.product.producer.address_unit.name,
                str(row.dossier.product.product_set),
                format_points(row.score),
                f"{row.stars} sao",
            ]
            for index, row in enumerate(rows, start=1)
        ]


def _assessed_rows(rows: list[ForwardedDossier]) -> list[list[str]]:
    return [
        [
            str(index),
            row.dossier.product.name,
            row.dossier.product.producer.name,
            str(row.dossier.product.product_set),
            "Đạt tiêu chí nguồn gốc địa phương",
            f"{row.assessment.letter_number}, {word.short_date(row.assessment.letter_date)}",
        ]
        for index, row in enumerate(rows, start=1)
    ]


def forwarding_letter_docx(round_obj: Round, forwarding: Forwarding, *, today: date) -> bytes:
    """The unit's letter to the province's council for the dossiers it forwarded in the
    round (`forwarding_for`, as the round's page lists them)."""
    unit, rows, scores = forwarding.unit, forwarding.dossiers, forwarding.scores
    level = LEVELS.get(unit.level, unit.level)
    in_sentence = word.lower_first(unit.name)
    province = word.lower_first(round_obj.province.name)
    council = f"Hội đồng đánh giá, phân hạng sản phẩm OCOP {province}"
    label = round_label(round_obj)
    number, dated = _shared(rows) if not scores else ("", None)
    document = word.new_document(
        title=f"Công văn đề nghị đánh giá, phân hạng sản phẩm OCOP cấp tỉnh, {label}",
    )
    word.masthead(
        document,
        Masthead(
            issuer=["ỦY BAN NHÂN DÂN", unit.name.upper()],
            number=number or f"{word.BLANK}/UBND",
            summary=f"V/v đề nghị đánh giá, phân hạng sản phẩm OCOP cấp tỉnh, {label}",
            place=unit.short_name or unit.name,
            dated=word.long_date(dated) if dated else word.blank_date(today.year),
        ),
    )
    word.paragraph(document, f"Kính gửi: {council}.", align=CENTER, space_before=18)
    bases = []
    for code in (round_obj.regime.code, round_obj.criteria_version.code):
        if (text := legal_basis(code)) not in bases:
            bases.append(text)
    for text in bases:
        word.basis(document, f"Căn cứ {text};")
    if scores:
        word.body(
            document,
            "Căn cứ kết quả đánh giá, phân hạng sản phẩm của Hội đồng đánh giá, phân hạng sản "
            f"phẩm OCOP cấp {level} ({label}), Ủy ban nhân dân {in_sentence} đề nghị {council} "
            f"đánh giá, phân hạng {len(rows)} sản phẩm đạt điều kiện chuyển lên cấp tỉnh, cụ "
            "thể như sau:",
        )
        columns = (
            Column("STT", Mm(10), CENTER),
            Column("Tên sản phẩm", Mm(37)),
            Column("Chủ thể", Mm(35)),
            Column("Xã", Mm(25)),
            Column("Bộ sản phẩm", Mm(26)),
            Column(f"Điểm cấp {level}", Mm(16), RIGHT),
            Column(f"Hạng sao cấp {level}", Mm(16), CENTER),
        )
        word.grid(document, columns, _scored_rows(rows))
        attached = (
            "hồ sơ sản phẩm của các chủ thể, biên bản họp Hội đồng đánh giá, phân hạng sản "
            f"phẩm OCOP cấp {level} và mẫu sản phẩm"
        )
    else:
        word.body(
            document,
            f"Ủy ban nhân dân {in_sentence} đã tiếp nhận, kiểm tra hồ sơ và đánh giá tiêu chí "
            f"nguồn gốc địa phương của các sản phẩm đăng ký {label}; đề nghị {council} đánh "
            f"giá, phân hạng {len(rows)} sản phẩm, cụ thể như sau:",
        )
        columns = (
            Column("STT", Mm(10), CENTER),
            Column("Tên sản phẩm", Mm(38)),
            Column("Chủ thể", Mm(36)),
            Column("Bộ sản phẩm", Mm(28)),
            Column("Kết quả đánh giá của xã", Mm(27)),
            Column("Công văn chuyển hồ sơ", Mm(26)),
        )
        word.grid(document, columns, _assessed_rows(rows))
        attached = (
            "hồ sơ sản phẩm của các chủ thể, kết quả đánh giá tiêu chí nguồn gốc địa phương và "
            "kiểm tra hồ sơ của xã, mẫu sản phẩm"
        )
    word.body(document, f"Hồ sơ gửi kèm theo gồm: {attached}.")
    word.body(
        document,
        f"Ủy ban nhân dân {in_sentence} kính đề nghị {council} xem xét, đánh giá, phân hạng "
        "các sản phẩm nêu trên./.",
    )
    word.closing(
        document,
        recipients=[
            "Như trên",
            f"Cơ quan thường trực Chương trình OCOP {province}",
            "Các chủ thể có sản phẩm tại danh sách trên",
            "Lưu: VT",
        ],
        authority=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    )
    return word.to_bytes(document)
