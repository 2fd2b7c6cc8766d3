from dataclasses import replace
from decimal import Decimal

from evaluations.engine.spec import CriterionSpec, GroupSpec, OptionSpec
from evaluations.engine.validation import Defect, validate_form
from tests.evaluations.engine.forms import ALL_FORMS, form, tiny_form


def summary(defects):
    return [(d.code, d.ref, d.key) for d in defects]


def test_validate_real_forms_exactly_four_fail():
    failing = {number: summary(validate_form(form(number))) for number in ALL_FORMS}

    assert {number: found for number, found in failing.items() if found} == {
        "07": [("criterion_max", "row 113", "C.6.d")],
        "11": [("part_sum", "row 99", "C")],
        "12": [("part_sum", "row 99", "C")],
        "13": [("part_sum", "row 99", "C")],
    }


def test_validate_form_07_defect_names_the_numbers():
    defects = validate_form(form("07"))

    assert defects == [
        Defect(
            ref="row 113",
            code="criterion_max",
            message="Criterion C.6.d (d) Mùi) has maximum 4, but its best option gives 3.",
            key="C.6.d",
        )
    ]


def test_validate_forms_11_and_12_part_c_sums_to_32():
    found = [validate_form(form(number)) for number in ("11", "12")]

    expected = [
        Defect("row 99", "part_sum", "Part C has maximum 35, but its groups sum to 32.", "C")
    ]
    assert found == [expected, expected]


def test_validate_form_13_part_c_sums_to_33():
    defects = validate_form(form("13"))

    assert defects == [
        Defect("row 99", "part_sum", "Part C has maximum 35, but its groups sum to 33.", "C")
    ]


def test_validate_form_11_headings_sum_their_sub_criteria():
    spec = form("11")

    headings = [(c.key, c.max_points) for c in spec.criteria() if c.children]

    assert headings == [("C.6.a", Decimal(4)), ("C.6.b", Decimal(9))]


def test_validate_form_26_needs_choose_one_modelled():
    spec = form("26")
    flattened = replace(
        spec,
        parts=tuple(
            replace(part, groups=tuple(replace(g, choose_one=False) for g in part.groups))
            for part in spec.parts
        ),
    )

    defects = validate_form(flattened)

    assert [(d.code, d.key, d.message) for d in defects] == [
        ("group_sum", "C.8", "Group C.8 has maximum 3, but its criteria sum to 6."),
        ("group_sum", "C.9", "Group C.9 has maximum 2, but its criteria sum to 4."),
        ("group_sum", "C.15", "Group C.15 has maximum 3, but its criteria sum to 6."),
    ]


def test_validate_tiny_form_is_consistent():
    assert validate_form(tiny_form()) == []


def with_criterion(spec, key, **changes):
    """`spec` with criterion `key` (at any depth) changed."""

    def edit(criterion):
        if criterion.key == key:
            return replace(criterion, **changes)
        return replace(criterion, children=tuple(edit(child) for child in criterion.children))

    return replace(
        spec,
        parts=tuple(
            replace(
                part,
                groups=tuple(
                    replace(g, criteria=tuple(edit(c) for c in g.criteria)) for g in part.groups
                ),
            )
            for part in spec.parts
        ),
    )


def with_group(spec, key, **changes):
    return replace(
        spec,
        parts=tuple(
            replace(
                part,
                groups=tuple(replace(g, **changes) if g.key == key else g for g in part.groups),
            )
            for part in spec.parts
        ),
    )


def test_validate_part_maximum_differs_from_version():
    version_1048 = {"A": Decimal(35), "B": Decimal(25), "C": Decimal(40)}
    spec = replace(tiny_form(), expected_part_maxima=version_1048)

    defects = validate_form(spec)

    assert [(d.code, d.key, d.message) for d in defects] == [
        ("part_maximum", "A", "Part A has maximum 40, but this criteria version sets 35."),
        ("part_maximum", "C", "Part C has maximum 35, but this criteria version sets 40."),
    ]


def test_validate_part_sum_and_total():
    spec = tiny_form()
    spec = replace(spec, parts=(replace(spec.parts[0], max_points=Decimal(41)), *spec.parts[1:]))

    defects = validate_form(spec)

    assert [(d.code, d.message) for d in defects] == [
        ("part_maximum", "Part A has maximum 41, but this criteria version sets 40."),
        ("part_sum", "Part A has maximum 41, but its groups sum to 40."),
        ("total", "The parts total 101 points, expected 100."),
    ]


def test_validate_missing_part():
    spec = tiny_form()
    spec = replace(spec, parts=spec.parts[:2], expected_total=Decimal(65))

    defects = validate_form(spec)

    assert [(d.code, d.key, d.message) for d in defects] == [
        ("missing_part", "C", "Part C (35 points) is missing.")
    ]


def test_validate_group_sum():
    spec = with_group(tiny_form(), "C.3", max_points=Decimal(34))

    defects = validate_form(spec)

    assert [(d.code, d.key, d.message) for d in defects] == [
        ("part_sum", "C", "Part C has maximum 35, but its groups sum to 34."),
        ("group_sum", "C.3", "Group C.3 has maximum 34, but its criteria sum to 35."),
    ]


def test_validate_criterion_max_against_best_option():
    spec = with_criterion(tiny_form(), "A.1.a.2", max_points=Decimal(25))

    defects = validate_form(spec)

    assert [(d.code, d.key, d.message) for d in defects] == [
        ("heading_sum", "A.1.a", "Criterion A.1.a has maximum 40, but its sub-criteria sum to 45."),
        (
            "criterion_max",
            "A.1.a.2",
            "Criterion A.1.a.2 (Second) has maximum 25, but its best option gives 20.",
        ),
    ]


def test_validate_empty_maximum_takes_best_option():
    spec = with_criterion(tiny_form(), "C.3.a", max_points=None)

    assert validate_form(spec) == []


def test_validate_heading_sum():
    spec = with_criterion(tiny_form(), "A.1.a", max_points=Decimal(30))

    defects = validate_form(spec)

    assert [(d.code, d.key, d.message) for d in defects] == [
        ("group_sum", "A.1", "Group A.1 has maximum 40, but its criteria sum to 30."),
        ("heading_sum", "A.1.a", "Criterion A.1.a has maximum 30, but its sub-criteria sum to 40."),
    ]


def test_validate_case_max():
    spec = with_criterion(
        tiny_form(),
        "B.2.a",
        max_points=Decimal(20),
        options=(OptionSpec("B.2.a.1", "x", Decimal(20)),),
    )

    defects = validate_form(spec)

    assert [(d.code, d.key, d.message) for d in defects] == [
        ("case_max", "B.2.a", "Case B.2.a has maximum 20, but its group B.2 has 25.")
    ]


def test_validate_no_options():
    spec = with_criterion(tiny_form(), "C.3.a", options=())

    defects = validate_form(spec)

    assert [(d.code, d.key) for d in defects] == [("no_options", "C.3.a")]


def test_validate_negative_points():
    spec = tiny_form()
    single = next(c for c in spec.criteria() if c.key == "C.3.a")
    options = (replace(single.options[0], points=Decimal(-1)), *single.options[1:])
    spec = with_criterion(spec, "C.3.a", options=options)

    defects = validate_form(spec)

    assert [(d.code, d.key, d.message) for d in defects] == [
        ("negative_points", "C.3.a.1", "C.3.a.1 has negative points: -1.")
    ]


def test_validate_duplicate_key_and_empty_group():
    spec = tiny_form()
    original = next(g for g in spec.groups() if g.key == "C.3").criteria
    duplicate = CriterionSpec(
        "C.3.a", "again", Decimal(0), (OptionSpec("C.3.a.9", "z", Decimal(0)),)
    )
    spec = with_group(spec, "C.3", criteria=(*original, duplicate))
    part_c = spec.parts[2]
    empty = GroupSpec("C.4", "4.", Decimal(0), ())
    spec = replace(spec, parts=(*spec.parts[:2], replace(part_c, groups=(*part_c.groups, empty))))

    defects = validate_form(spec)

    assert [(d.code, d.key) for d in defects] == [
        ("duplicate_key", "C.3.a"),
        ("no_criteria", "C.4"),
    ]


def test_validate_min_stars_out_of_range():
    spec = with_criterion(tiny_form(), "C.3.a", min_stars=6)

    defects = validate_form(spec)

    assert [(d.code, d.key) for d in defects] == [("min_stars", "C.3.a")]
