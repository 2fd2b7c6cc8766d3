"""The office's Word drafts of a recognition decision: the decision itself ("Quyết định về việc
công nhận sản phẩm đạt chuẩn OCOP") with its annex of products, and the list of an issued
decision's certificates to print (docs/decisions/0025-word-drafts.md).

Official Vietnamese documents: written in Vietnamese whatever the reader's language, like the
certificate PDF and the minutes; points as Vietnamese writes them (72,50), by
`format_points` under `translation.override("vi")`. Each is built from the selectors of the
decision's page (`decision_products`, `decision_certificates`): the same rows in the same
order, in one query each.
"""

from collections import Counter
from datetime import date

from django.conf import settings
from django.utils import translation
from docx.shared import Mm

from evaluations.certificates.selectors import (
    DecisionProduct,
    decision_certificates,
    decision_products,
)
from evaluations.criteria.reference_data import legal_basis
from evaluations.engine.display import format_points
from evaluations.enums import LEVEL_NAMES_VI, CertificateStatus
from evaluations.models import Certificate, Decision
from ocop.core import word
from ocop.core.word import CENTER, RIGHT, Column, Masthead

LEVELS = LEVEL_NAMES_VI

# What the list to print says of a certificate that no longer stands.
NOT_TO_PRINT = {
    CertificateStatus.REVOKED: "Đã thu hồi, không in",
    CertificateStatus.SUPERSEDED: "Đã được thay thế, không in",
    CertificateStatus.EXPIRED: "Hết hiệu lực, không in",
}


def stars_vi(count: int) -> str:
    return f"{count} sao"


def points_vi(value) -> str:
    with translation.override("vi"):
        return format_points(value)


def _issuer(decision: Decision) -> tuple[list[str], str, str]:
    """The masthead's lines, the place, and the issuer inside a sentence ("huyện Tân Lạc")."""
    issuer = decision.issuer
    lines = ["ỦY BAN NHÂN DÂN", issuer.name.upper()]
    return lines, issuer.short_name or issuer.name, word.lower_first(issuer.name)


def _bases(rows: list[DecisionProduct]) -> list[str]:
    """The decisions of the products' regimes and criteria versions, each once, in order."""
    bases: list[str] = []
    for row in rows:
        round_obj = row.dossier.round
        for code in (round_obj.regime.code, round_obj.criteria_version.code):
            text = legal_basis(code)
            if text not in bases:
                bases.append(text)
    return bases


def _levels(rows: list[DecisionProduct], fallback: str) -> str:
    """The levels whose councils scored the products ("huyện", "huyện và tỉnh")."""
    names = []
    for row in rows:
        name = LEVELS.get(row.result.level, row.result.level)
        if name not in names:
            names.append(name)
    return " và ".join(names or [LEVELS.get(fallback, fallback)])


def _by_stars(rows: list[DecisionProduct]) -> str:
    counts = Counter(row.stars for row in rows)
    return ", ".join(
        f"{counts[stars]} sản phẩm đạt {stars_vi(stars)}" for stars in sorted(counts, reverse=True)
    )


ANNEX_COLUMNS = (
    Column("STT", Mm(12), CENTER),
    Column("Tên sản phẩm", Mm(50)),
    Column("Chủ thể", Mm(50)),
    Column("Xã", Mm(32)),
    Column("Tỉnh", Mm(28)),
    Column("Bộ sản phẩm", Mm(40)),
    Column("Điểm", Mm(18), RIGHT),
    Column("Hạng sao", Mm(20), CENTER),
)


def annex_rows(rows: list[DecisionProduct]) -> list[list[str]]:
    """The annex's table: what the decision's page lists, one row per product."""
    return [
        [
            str(index),
            row.product.name,
            row.producer.name,
            row.commune.name,
            row.province.name if row.province else "",
            str(row.product.product_set),
            points_vi(row.score),
            stars_vi(row.stars),
        ]
        for index, row in enumerate(rows, start=1)
    ]


def decision_docx(decision: Decision) -> bytes:
    """The decision of a People's Committee as a Word draft: the masthead, the legal bases,
    three articles, the recipients and the signer; then, on a landscape page, the annex of
    the products it recognises."""
    rows = decision_products(decision)
    lines, place, in_sentence = _issuer(decision)
    issuer = decision.issuer
    level = LEVELS.get(issuer.level, issuer.level)
    dated = word.long_date(decision.date)
    document = word.new_document(
        title=f"Quyết định {decision.number}",
        subject="Về việc công nhận sản phẩm đạt chuẩn OCOP",
    )
    word.masthead(
        document, Masthead(issuer=lines, number=decision.number, place=place, dated=dated)
    )
    word.title(
        document,
        "QUYẾT ĐỊNH",
        f"Về việc công nhận sản phẩm đạt chuẩn OCOP {in_sentence} năm {decision.year}",
    )
    word.paragraph(
        document,
        f"ỦY BAN NHÂN DÂN {issuer.name.upper()}",
        align=CENTER,
        bold=True,
        space_before=6,
        space_after=6,
    )
    word.basis(document, "Căn cứ Luật Tổ chức chính quyền địa phương;")
    for text in _bases(rows):
        word.basis(document, f"Căn cứ {text};")
    word.basis(
        document,
        "Căn cứ kết quả đánh giá, phân hạng sản phẩm của Hội đồng đánh giá, phân hạng sản "
        f"phẩm OCOP cấp {_levels(rows, decision.level)};",
    )
    blank = word.BLANK
    word.basis(document, f"Theo đề nghị của {blank} tại Tờ trình số {blank} ngày {blank}.")
    word.paragraph(document, "QUYẾT ĐỊNH:", align=CENTER, bold=True, space_before=12)

    months = settings.OCOP_CERTIFICATE_VALID_MONTHS
    word.body(
        document,
        f"Công nhận {len(rows)} sản phẩm đạt chuẩn OCOP (có Phụ lục danh sách kèm theo)"
        + (f", trong đó: {_by_stars(rows)}." if rows else "."),
        lead="Điều 1. ",
    )
    word.body(
        document,
        f"Giấy chứng nhận sản phẩm OCOP có giá trị {months} tháng kể từ ngày ký Quyết định này.",
    )
    word.body(document, "Trách nhiệm của các cơ quan, đơn vị và chủ thể:", lead="Điều 2. ")
    word.body(
        document,
        "1. Các chủ thể có sản phẩm được công nhận tại Điều 1 có trách nhiệm duy trì và nâng "
        "cao chất lượng sản phẩm, bảo đảm các tiêu chí đã được đánh giá, phân hạng; sử dụng "
        "biểu trưng (logo) OCOP và thông tin hạng sao của sản phẩm đúng quy định; đăng ký "
        "đánh giá lại trước khi Giấy chứng nhận hết hiệu lực.",
    )
    word.body(
        document,
        f"2. Cơ quan thường trực Chương trình OCOP {level} cấp Giấy chứng nhận cho các sản "
        "phẩm tại Điều 1; theo dõi, kiểm tra, giám sát việc duy trì chất lượng sản phẩm sau "
        "công nhận; đề xuất thu hồi Giấy chứng nhận đối với sản phẩm vi phạm.",
    )
    word.body(
        document,
        "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân "
        f"{in_sentence}, Thủ trưởng các cơ quan, đơn vị có liên quan, Chủ tịch Ủy ban nhân "
        "dân cấp xã nơi có sản phẩm được công nhận và các chủ thể có tên tại Phụ lục kèm theo "
        "chịu trách nhiệm thi hành Quyết định này./.",
        lead="Điều 3. ",
    )
    word.closing(
        document,
        recipients=decision_recipients(decision),
        authority=["TM. ỦY BAN NHÂN DÂN", decision.signer_title],
        signer_name=decision.signer_name,
    )

    word.landscape_section(document)
    word.title(
        document,
        "PHỤ LỤC",
        "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT CHUẨN OCOP",
        underline=False,
        space_before=0,
    )
    word.paragraph(
        document,
        f"(Kèm theo Quyết định số {decision.number} {dated} của Ủy ban nhân dân {in_sentence})",
        align=CENTER,
        italic=True,
        space_after=12,
    )
    word.grid(document, ANNEX_COLUMNS, annex_rows(rows))
    return word.to_bytes(document)


def decision_recipients(decision: Decision) -> list[str]:
    """ "Nơi nhận": the executors, the level above, the committee's leaders, the archive."""
    issuer = decision.issuer
    recipients = ["Như Điều 3"]
    if issuer.parent is not None:
        province = word.lower_first(issuer.parent.name)
        recipients += [
            f"Ủy ban nhân dân {province} (để báo cáo)",
            f"Cơ quan thường trực Chương trình OCOP {province}",
        ]
    else:
        recipients.append("Văn phòng Điều phối nông thôn mới Trung ương (để báo cáo)")
    level = LEVELS.get(issuer.level, issuer.level)
    recipients += [f"Chủ tịch, các Phó Chủ tịch UBND {level}", "Lưu: VT"]
    return recipients


# --- the certificates to print ---------------------------------------------------------------

LIST_COLUMNS = (
    Column("STT", Mm(9), CENTER),
    Column("Số giấy chứng nhận", Mm(30)),
    Column("Tên sản phẩm", Mm(36)),
    Column("Chủ thể", Mm(34)),
    Column("Hạng sao", Mm(14), CENTER),
    Column("Có giá trị đến", Mm(22), CENTER),
    Column("Ghi chú", Mm(20)),
)


def list_rows(certificates: list[Certificate]) -> list[list[str]]:
    return [
        [
            str(index),
            certificate.number,
            certificate.product_name,
            certificate.producer_name,
            stars_vi(certificate.stars),
            word.short_date(certificate.valid_until),
            NOT_TO_PRINT.get(certificate.current_status, ""),
        ]
        for index, certificate in enumerate(certificates, start=1)
    ]


def certificates_docx(decision: Decision, *, today: date) -> bytes:
    """The certificates an issued decision issued, as its page lists them (by number), for
    the office that prints them: number, product, producer, stars, valid until; those that
    no longer stand are marked not to print."""
    certificates = list(decision_certificates(decision, today))
    lines, place, in_sentence = _issuer(decision)
    document = word.new_document(
        title=f"Danh sách giấy chứng nhận cần in, Quyết định {decision.number}",
    )
    word.masthead(document, Masthead(issuer=lines, place=place, dated=word.long_date(today)))
    word.title(document, "DANH SÁCH GIẤY CHỨNG NHẬN SẢN PHẨM OCOP CẦN IN", underline=False)
    by = decision.issuer_name or f"Ủy ban nhân dân {in_sentence}"
    word.paragraph(
        document,
        f"(Theo Quyết định số {decision.number} {word.long_date(decision.date)} của {by})",
        align=CENTER,
        italic=True,
        space_after=12,
    )
    word.grid(document, LIST_COLUMNS, list_rows(certificates))
    to_print = sum(1 for c in certificates if c.current_status not in NOT_TO_PRINT)
    word.body(
        document,
        f"Tổng số: {len(certificates)} giấy chứng nhận, trong đó {to_print} giấy chứng nhận "
        "cần in.",
    )
    word.closing(
        document,
        recipients=[],
        authority=["NGƯỜI LẬP DANH SÁCH"],
        note="(Ký, ghi rõ họ tên)",
    )
    return word.to_bytes(document)
