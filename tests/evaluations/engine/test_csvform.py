from decimal import Decimal

import pytest

from evaluations.engine.csvform import Correction, FormParseError, parse_form_csv
from evaluations.engine.spec import PART_MAXIMA_148_2023
from tests.evaluations.engine.forms import ALL_FORMS, csv_text, form, form_path, parsed


def parse(text: str):
    return parse_form_csv(
        text=text, key="test", label="Test", expected_part_maxima=PART_MAXIMA_148_2023
    )


def criterion(spec, key):
    return next(c for c in spec.criteria() if c.key == key)


def group(spec, key):
    return next(g for g in spec.groups() if g.key == key)


PART_ROWS = (("Phần A: X", "", "0", "", "40"), ("1. G", "", "1", "", "3"))


@pytest.mark.parametrize("number", ALL_FORMS)
def test_parse_form_has_parts_a_b_c_with_148_maxima(number):
    spec = form(number)

    maxima = {part.key: part.max_points for part in spec.parts}

    assert maxima == {"A": Decimal(40), "B": Decimal(25), "C": Decimal(35)}


def test_parse_form_01_reads_criterion_and_options():
    spec = form("01")

    origin = criterion(spec, "A.1.a")

    assert (origin.label, origin.max_points, origin.ref) == (
        "a) Nguồn gốc sản phẩm",
        Decimal(5),
        "row 4",
    )
    assert origin.note == "Yêu cầu: 100% sản phẩm được trồng trên địa bàn cấp tỉnh"
    assert [(o.key, o.points, o.min_stars, o.ref) for o in origin.options] == [
        ("A.1.a.1", Decimal(1), None, "row 5"),
        ("A.1.a.2", Decimal(3), None, "row 6"),
        ("A.1.a.3", Decimal(5), None, "row 7"),
    ]
    assert origin.options[0].label == "Sản phẩm được trồng trên địa bàn cấp xã dưới 50%"


def test_parse_option_star_mark_stripped_and_stars_read():
    spec = form("01")

    option = criterion(spec, "A.1.c").options[2]

    assert option.label == "Có năng lực, quy mô sản xuất lớn, có thể đáp ứng thị trường xuất khẩu"
    assert option.min_stars == 5


def test_parse_star_mark_before_full_stop_is_stripped():
    spec = form("16")

    option = criterion(spec, "C.8.a").options[1]

    assert option.label.endswith("theo đúng quy định.")
    assert (option.min_stars, option.ref) == (3, "row 123")


def test_parse_star_mark_before_note_is_stripped():
    spec = form("21")

    option = criterion(spec, "C.6.b").options[2]

    assert option.label == (
        "Phong cách độc đáo riêng, thể hiện trí tuệ địa phương\n"
        "Ghi chú: Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ"
    )
    assert option.min_stars == 5


def test_parse_criterion_star_mark_gives_criterion_min_stars():
    spec = form("01")

    ip = criterion(spec, "A.3.e")

    assert (ip.label, ip.min_stars, ip.ref) == ("e) Sở hữu trí tuệ", 4, "row 60")


def test_parse_row_refs_count_records_not_text_lines():
    spec = form("01")

    # Row 12's title spans two text lines; the next record is still row 13.
    capacity = criterion(spec, "A.1.c")

    assert (capacity.ref, capacity.options[0].ref) == ("row 12", "row 13")
    assert "\n" in capacity.label


def test_parse_group_keys_use_the_form_numbering_across_parts():
    spec = form("01")

    keys = [g.key for g in spec.groups()]

    assert keys == [
        "A.1",
        "A.2",
        "A.3",
        "B.4",
        "B.5",
        "C.6",
        "C.7",
        "C.8",
        "C.9",
        "C.10",
        "C.11",
        "C.12",
    ]


def test_parse_vietnamese_letter_kept_in_key():
    spec = form("01")

    environment = criterion(spec, "A.1.đ")

    assert environment.label == "đ) Bảo vệ môi trường trong quá trình sản xuất"


def test_parse_form_11_dash_rows_are_sub_criteria_of_headings():
    spec = form("11")

    appearance = criterion(spec, "C.6.a")
    infusion = criterion(spec, "C.6.b")

    assert (appearance.ref, appearance.max_points, appearance.options) == ("row 101", 4, ())
    assert [(c.key, c.label, c.max_points, c.ref) for c in appearance.children] == [
        ("C.6.a.1", "Tạp chất", Decimal(2), "row 102"),
        ("C.6.a.2", "Hình dạng, màu sắc cánh chè", Decimal(2), "row 106"),
    ]
    assert [(c.key, c.ref) for c in infusion.children] == [
        ("C.6.b.1", "row 111"),
        ("C.6.b.2", "row 116"),
        ("C.6.b.3", "row 121"),
    ]
    assert [o.key for o in infusion.children[2].options] == [
        "C.6.b.3.1",
        "C.6.b.3.2",
        "C.6.b.3.3",
        "C.6.b.3.4",
    ]


def test_parse_options_under_group_make_a_single_criterion():
    spec = form("05")

    uniqueness = group(spec, "C.7")

    (single,) = uniqueness.criteria
    assert (single.key, single.label, single.max_points, single.ref) == (
        "C.7.a",
        uniqueness.label,
        Decimal(5),
        "row 124",
    )
    assert [o.points for o in single.options] == [0, 1, 3, 5]


def test_parse_empty_criterion_maximum_is_none():
    spec = form("03")

    nutrition = criterion(spec, "C.7.a")

    assert (nutrition.label, nutrition.max_points, nutrition.effective_max) == (
        "a)",
        None,
        Decimal(2),
    )


def test_parse_repeated_letters_get_numbered_keys():
    spec = form("13")

    keys = [c.key for c in group(spec, "C.6").criteria]

    assert keys == ["C.6.a", "C.6.a-2", "C.6.a-3", "C.6.a-4", "C.6.a-5", "C.6.b", "C.6.b-2"]


def test_parse_form_26_choose_one_groups():
    spec = form("26")

    choose_one = {g.key: [c.key for c in g.criteria] for g in spec.groups() if g.choose_one}

    assert choose_one == {
        "C.8": ["C.8.a", "C.8.b"],
        "C.9": ["C.9.a", "C.9.b"],
        "C.15": ["C.15.a", "C.15.b"],
    }
    assert group(spec, "C.8").note == "Lựa chọn một trong hai trường hợp sau:"


def test_parse_form_17_corrects_letter_l_to_1():
    result = parsed("17")

    assert result.corrections == [
        Correction("row 18", "score", "l", Decimal(1), "the letter l typed for the digit 1")
    ]
    assert criterion(result.form, "A.1.d").options[1].points == Decimal(1)


def test_parse_form_18_corrects_letter_t_to_1():
    result = parsed("18")

    assert result.corrections == [
        Correction(
            "row 10",
            "score",
            "t",
            Decimal(1),
            "a letter typed for the middle value of a 0/1/2 ladder",
        )
    ]
    assert [o.points for o in criterion(result.form, "A.1.b").options] == [0, 1, 2, 3]


def test_parse_other_forms_record_no_corrections():
    corrected = [number for number in ALL_FORMS if parsed(number).corrections]

    assert corrected == ["17", "18"]


def test_parse_translated_line_endings_give_the_same_form():
    text = form_path("18").read_text(encoding="utf-8")  # universal newlines: \r\n → \n

    result = parse_form_csv(
        text=text,
        key="148/2023:18",
        label=form_path("18").stem,
        expected_part_maxima=PART_MAXIMA_148_2023,
    )

    assert result == parsed("18")


def test_parse_letter_typo_outside_a_ladder_raises():
    options = [("□ x", "", "3", "", "l"), ("□ y", "", "3", "", "3")]  # no neighbour below
    text = csv_text(*PART_ROWS, ("a) C", "", "2", "", "3"), *options)

    with pytest.raises(FormParseError) as raised:
        parse(text)

    assert raised.value.ref == "row 5"


def test_parse_unknown_score_text_raises_naming_the_row():
    options = [("□ x", "", "3", "", "0"), ("□ y", "", "3", "", "two"), ("□ z", "", "3", "", "3")]
    text = csv_text(*PART_ROWS, ("a) C", "", "2", "", "3"), *options)

    with pytest.raises(FormParseError) as raised:
        parse(text)

    assert (raised.value.ref, raised.value.message) == (
        "row 6",
        "The option's points 'two' are not a number.",
    )


@pytest.mark.parametrize(
    ("rows", "ref"),
    [
        pytest.param([("Phần A", "", "4", "", "40")], "row 2", id="bad-level"),
        pytest.param([("Part A", "", "0", "", "40")], "row 2", id="part-title"),
        pytest.param([("Phần A", "", "0", "", "")], "row 2", id="part-without-maximum"),
        pytest.param([("1. G", "", "1", "", "3")], "row 2", id="group-before-part"),
        pytest.param([*PART_ROWS, ("G", "", "1", "", "3")], "row 4", id="group-without-number"),
        pytest.param([*PART_ROWS, ("1. H", "", "1", "", "3")], "row 4", id="duplicate-group"),
        pytest.param(
            [("Phần A", "", "0", "", "40"), ("□ x", "", "3", "", "1")],
            "row 3",
            id="option-before-group",
        ),
        pytest.param([*PART_ROWS, ("Title", "", "2", "", "3")], "row 4", id="criterion-letter"),
        pytest.param(
            [
                *PART_ROWS,
                ("a) C", "", "2", "", "1"),
                ("□ x", "", "3", "", "1"),
                ("- S", "", "2", "", "1"),
            ],
            "row 6",
            id="dash-after-options",
        ),
        pytest.param(
            [*PART_ROWS, ("□ x", "", "3", "", "3"), ("a) C", "", "2", "", "3")],
            "row 5",
            id="criterion-after-group-options",
        ),
        pytest.param(
            [*PART_ROWS, ("a) C", "", "2", "", "1"), ("□ x****", "", "3", "3", "1")],
            "row 5",
            id="stars-mismatch",
        ),
        pytest.param(
            [*PART_ROWS, ("a) C", "", "2", "", "1"), ("□ x***", "", "3", "", "1")],
            "row 5",
            id="mark-without-stars",
        ),
        pytest.param(
            [*PART_ROWS, ("a) C", "", "2", "", "1"), ("□ x", "", "3", "7", "1")],
            "row 5",
            id="stars-out-of-range",
        ),
        pytest.param(
            [*PART_ROWS, ("a) C", "", "2", "", "1"), ("□ x", "", "3", "", "")],
            "row 5",
            id="option-without-points",
        ),
        pytest.param(
            [*PART_ROWS, ("a) C", "", "2", "", "1"), ("□ x", "note", "3", "", "1")],
            "row 5",
            id="option-with-description",
        ),
        pytest.param([*PART_ROWS, ("a) C", "", "2", "", "NaN")], "row 4", id="nan-maximum"),
        pytest.param([("Phần A", "", "0", "3", "40")], "row 2", id="stars-on-part"),
        pytest.param([("Phần A", "", "0", "", "40", "extra")], "row 2", id="six-columns"),
    ],
)
def test_parse_malformed_row_raises_naming_it(rows, ref):
    text = csv_text(*rows)

    with pytest.raises(FormParseError) as raised:
        parse(text)

    assert raised.value.ref == ref


def test_parse_wrong_header_raises_on_row_1():
    text = "title,level,score\r\nPhần A,0,40\r\n"

    with pytest.raises(FormParseError) as raised:
        parse(text)

    assert raised.value.ref == "row 1"


def test_parse_header_only_raises():
    with pytest.raises(FormParseError) as raised:
        parse(csv_text())

    assert raised.value.ref == "row 1"
