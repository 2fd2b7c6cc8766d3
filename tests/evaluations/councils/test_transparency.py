"""The pure computations behind the result pages (evaluations.councils.transparency): no DB."""

from decimal import Decimal

from evaluations.councils.transparency import (
    decimals,
    failed_minimums,
    gaps,
    leniency,
    one_line,
    part_rows,
    result_report,
)
from evaluations.engine.spec import CriterionSpec, FormSpec, GroupSpec, OptionSpec, PartSpec

D = Decimal


def _leaf(key, label, *points, max_points=None):
    return CriterionSpec(
        key=key,
        label=label,
        max_points=D(max_points) if max_points is not None else None,
        options=tuple(OptionSpec(key=f"{key}.{p}", label=str(p), points=D(p)) for p in points),
    )


SPEC = FormSpec(
    key="test:01",
    label="Test",
    parts=(
        PartSpec(
            key="A",
            label="Phần A\nSẢN PHẨM",
            max_points=D(10),
            groups=(
                GroupSpec(
                    key="A.1",
                    label="1. TỔ CHỨC SẢN XUẤT\nghi chú",
                    max_points=D(10),
                    criteria=(
                        _leaf("A.1.a", "a) Nguồn gốc\n(giải thích)", 0, 2, 4),
                        CriterionSpec(
                            key="A.1.b",
                            label="b) Ngoại hình",
                            max_points=None,
                            children=(
                                _leaf("A.1.b.1", "- Tạp chất", 0, 1, 3),
                                _leaf("A.1.b.2", "- Màu sắc", 0, 3),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        PartSpec(
            key="B",
            label="Phần B\nTIẾP THỊ",
            max_points=D(5),
            groups=(
                GroupSpec(
                    key="B.2",
                    label="2. LỰA CHỌN",
                    max_points=D(5),
                    choose_one=True,
                    criteria=(
                        _leaf("B.2.a", "a) Trường hợp 1", 0, 5),
                        _leaf("B.2.b", "b) Trường hợp 2", 1, 5),
                    ),
                ),
            ),
        ),
    ),
)

# As read back from the database: decimals as strings.
DETAILS = {
    "parts": {"A": "7.50", "B": "4.00"},
    "groups": {"A.1": "7.50", "B.2": "4.00"},
    "criteria": {
        "A.1.a": "2.50",
        "A.1.b": "5.00",
        "A.1.b.1": "2.00",
        "A.1.b.2": "3.00",
        "B.2.b": "4.00",
    },
    "failed_minimums": [{"criterion": "A.1.a", "stars": 3, "points": "4.00"}],
    "submitted": 4,
    "form": 1,
}


def test_decimals_reads_strings_and_decimals():
    assert decimals({"A": "7.50", "B": D("4"), "C": 3}) == {"A": D("7.5"), "B": D(4), "C": D(3)}
    assert decimals(None) == {}


def test_one_line():
    assert one_line("Phần A\n SẢN PHẨM \n") == "Phần A SẢN PHẨM"


def test_part_rows_give_means_against_maxima():
    parts = part_rows(SPEC, DETAILS)

    assert [(p.key, p.label, p.mean, p.max_points, p.percent) for p in parts] == [
        ("A", "Phần A SẢN PHẨM", D("7.5"), D(10), 75),
        ("B", "Phần B TIẾP THỊ", D(4), D(5), 80),
    ]
    a1 = parts[0].groups[0]
    assert (a1.label, a1.mean, a1.max_points) == ("1. TỔ CHỨC SẢN XUẤT", D("7.5"), D(10))
    assert [(r.key, r.label, r.depth, r.is_leaf, r.mean, r.max_points) for r in a1.rows] == [
        ("A.1.a", "a) Nguồn gốc", 0, True, D("2.5"), D(4)),
        ("A.1.b", "b) Ngoại hình", 0, False, D(5), D(6)),
        ("A.1.b.1", "- Tạp chất", 1, True, D(2), D(3)),
        ("A.1.b.2", "- Màu sắc", 1, True, D(3), D(3)),
    ]
    # The failed minimum is attached to its criterion.
    assert [(f.stars, f.points) for f in a1.rows[0].failed] == [(3, D(4))]
    assert all(not r.failed for r in a1.rows[1:])


def test_a_choose_one_group_shows_only_the_case_scored():
    b2 = part_rows(SPEC, DETAILS)[1].groups[0]

    assert b2.choose_one
    assert [r.key for r in b2.rows] == ["B.2.b"]


def test_failed_minimums_carry_label_context_and_mean():
    [failed] = failed_minimums(SPEC, DETAILS)

    assert failed.key == "A.1.a"
    assert failed.label == "a) Nguồn gốc"
    assert failed.context == "1. TỔ CHỨC SẢN XUẤT"
    assert (failed.stars, failed.points, failed.mean) == (3, D(4), D("2.5"))


def test_gaps_are_largest_first_leaves_only_and_skip_full_marks():
    found = gaps(SPEC, DETAILS)

    # A.1.a lost 1.5, A.1.b.1 lost 1, B.2.b lost 1; A.1.b.2 is at its maximum, A.1.b is a
    # heading (its leaves count), B.2.a is the case not scored.
    assert [(g.key, g.gap) for g in found] == [
        ("A.1.a", D("1.5")),
        ("A.1.b.1", D(1)),
        ("B.2.b", D(1)),
    ]
    assert found[1].context == "1. TỔ CHỨC SẢN XUẤT › b) Ngoại hình"
    assert found[2].context == "2. LỰA CHỌN"


def test_gaps_limit():
    assert [g.key for g in gaps(SPEC, DETAILS, limit=2)] == ["A.1.a", "A.1.b.1"]
    assert len(gaps(SPEC, DETAILS, limit=None)) == 3


def test_a_perfect_result_has_no_gaps_nor_failed_minimums():
    details = {
        "parts": {"A": "10", "B": "5"},
        "criteria": {"A.1.a": "4", "A.1.b.1": "3", "A.1.b.2": "3", "B.2.a": "5"},
        "failed_minimums": [],
    }

    report = result_report(SPEC, details)

    assert report.gaps == ()
    assert report.failed_minimums == ()
    assert [p.percent for p in report.parts] == [100, 100]
    assert report.total_max == D(15)


def test_means_are_rounded_half_up_to_two_decimals_and_gaps_complement_them():
    details = {"criteria": {"A.1.a": D(5) / D(3), "A.1.b.1": "3"}, "parts": {"A": "2"}}

    [gap] = gaps(SPEC, details)

    assert gap.shown == D("1.67")  # 1.666… rounded half-up, as published
    assert gap.gap_shown == D("2.33")
    assert gap.percent == 41  # 1.666… of 4, floored


def test_missing_details_give_empty_rows():
    parts = part_rows(SPEC, {})

    assert [p.mean for p in parts] == [None, None]
    assert parts[0].percent == 0
    assert parts[1].groups[0].rows == ()
    assert gaps(SPEC, {}) == []
    assert failed_minimums(SPEC, {}) == []


def test_leniency_averages_deviations_from_the_products_means():
    totals = [
        ("m1", "p1", D(80)),
        ("m2", "p1", D(70)),
        ("m1", "p2", D(60)),
        ("m2", "p2", D(66)),
        ("m1", "p3", D(99)),  # p3 has no final mean: ignored
    ]
    means = {"p1": D(75), "p2": D(63)}

    rows = {r.member: r for r in leniency(totals, means, members=["m3", "m1", "m2"])}

    assert list(rows) == ["m3", "m1", "m2"]
    m1, m2, m3 = rows["m1"], rows["m2"], rows["m3"]
    assert (m1.count, m1.mean_deviation, m1.min_deviation, m1.max_deviation) == (
        2,
        D(1),
        D(-3),
        D(5),
    )
    assert (m2.count, m2.mean_deviation, m2.min_deviation, m2.max_deviation) == (
        2,
        D(-1),
        D(-5),
        D(3),
    )
    assert (m3.count, m3.mean_deviation, m3.min_deviation, m3.max_deviation) == (
        0,
        None,
        None,
        None,
    )
    assert m1.mean_shown == D("1.00")


def test_leniency_rounds_shown_figures_half_up():
    [row] = leniency([("m", "p", D(70)), ("m", "q", D(70))], {"p": D("69.995"), "q": D(70)})

    assert row.mean_deviation == D("0.0025")
    assert row.mean_shown == D("0.00")
    assert row.max_shown == D("0.01")  # 0.005 rounded half up
