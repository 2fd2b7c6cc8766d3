"""Reference data loaded by `import_criteria` and `load_regimes`: criteria versions and
regimes as stated in OCOP.md (sources: Decisions 1048/QĐ-TTg 2019, 148/QĐ-TTg 2023,
1489/QĐ-TTg 2025 as reported by government portals)."""

import datetime
from decimal import Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
CRITERIA_DIR_148 = DATA_DIR / "qd148-2023"

CRITERIA_VERSIONS = [
    {
        "code": "1048/2019",
        "name": "Bộ tiêu chí OCOP theo Quyết định 1048/QĐ-TTg",
        "basis": "Quyết định 1048/QĐ-TTg ngày 21/8/2019 của Thủ tướng Chính phủ",
        "effective_from": datetime.date(2019, 8, 21),
        "status": "retired",
        "part_a_max": Decimal(35),
        "part_b_max": Decimal(25),
        "part_c_max": Decimal(40),
    },
    {
        "code": "148/2023",
        "name": "Bộ tiêu chí OCOP theo Quyết định 148/QĐ-TTg",
        "basis": "Quyết định 148/QĐ-TTg ngày 24/02/2023 của Thủ tướng Chính phủ, Phụ lục III",
        "effective_from": datetime.date(2023, 2, 24),
        "status": "active",
        "part_a_max": Decimal(40),
        "part_b_max": Decimal(25),
        "part_c_max": Decimal(35),
    },
]

# (code, name, effective_from, [(level, order, scores, role, min★, max★, forward_threshold)])
# The level whose working group receives and checks producers' dossiers:
FIRST_CHECKING_LEVEL = {"1048/2019": "district", "148/2023": "district", "1489/2025": "commune"}
REGIMES = [
    (
        "1048/2019",
        "Quyết định 1048/QĐ-TTg (2019)",
        datetime.date(2019, 8, 21),
        [
            ("commune", 1, False, "Tiếp nhận đăng ký", None, None, None),
            (
                "district",
                2,
                True,
                "Hội đồng cấp huyện chấm điểm; chuyển lên tỉnh từ 50 điểm",
                None,
                None,
                Decimal(50),
            ),
            (
                "province",
                3,
                True,
                "UBND tỉnh công nhận 3–4 sao; đề xuất trung ương từ 90 điểm",
                3,
                4,
                Decimal(90),
            ),
            ("central", 4, True, "Trung ương công nhận 5 sao", 5, 5, None),
        ],
    ),
    (
        "148/2023",
        "Quyết định 148/QĐ-TTg (2023)",
        datetime.date(2023, 2, 24),
        [
            ("commune", 1, False, "Tiếp nhận đăng ký", None, None, None),
            (
                "district",
                2,
                True,
                "UBND huyện công nhận 3 sao; chuyển lên tỉnh từ 70 điểm",
                3,
                3,
                Decimal(70),
            ),
            (
                "province",
                3,
                True,
                "UBND tỉnh công nhận 4 sao; đề xuất trung ương từ 90 điểm",
                4,
                4,
                Decimal(90),
            ),
            ("central", 4, True, "Trung ương công nhận 5 sao", 5, 5, None),
        ],
    ),
    (
        "1489/2025",
        "Quyết định 1489/QĐ-TTg (từ 6/7/2025, không còn cấp huyện)",
        datetime.date(2025, 7, 6),
        [
            (
                "commune",
                1,
                False,
                "Đánh giá tiêu chí nguồn gốc địa phương, kiểm tra hồ sơ và chuyển lên tỉnh",
                None,
                None,
                None,
            ),
            (
                "province",
                2,
                True,
                "UBND tỉnh công nhận 3–4 sao; đề xuất trung ương từ 90 điểm",
                3,
                4,
                Decimal(90),
            ),
            ("central", 3, True, "Trung ương công nhận 5 sao", 5, 5, None),
        ],
    ),
]

# The decisions of the regimes and criteria versions (by their code) as a legal basis is cited
# ("Căn cứ …") in the documents the offices draft (the recognition decision, the forwarding
# letter). Titles as the provinces' decisions cite them; the office checks them in Word.
LEGAL_BASES = {
    "1048/2019": (
        "Quyết định số 1048/QĐ-TTg ngày 21 tháng 8 năm 2019 của Thủ tướng Chính phủ ban hành "
        "Bộ tiêu chí đánh giá, phân hạng sản phẩm Chương trình mỗi xã một sản phẩm"
    ),
    "148/2023": (
        "Quyết định số 148/QĐ-TTg ngày 24 tháng 02 năm 2023 của Thủ tướng Chính phủ ban hành "
        "Bộ tiêu chí, quy trình đánh giá và phân hạng sản phẩm Chương trình mỗi xã một sản phẩm"
    ),
    "1489/2025": "Quyết định số 1489/QĐ-TTg năm 2025 của Thủ tướng Chính phủ",
}


def legal_basis(code: str) -> str:
    """How a document cites the decision of a regime or criteria version ("148/2023"); a code
    not listed above as "Quyết định số 148/QĐ-TTg năm 2023 của Thủ tướng Chính phủ"."""
    if code in LEGAL_BASES:
        return LEGAL_BASES[code]
    number, _, year = code.partition("/")
    if not year:
        return code
    return f"Quyết định số {number}/QĐ-TTg năm {year} của Thủ tướng Chính phủ"
