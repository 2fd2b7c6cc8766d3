"""Shared test data: the bundled QĐ 148 forms, a tiny synthetic form, answer-set builders."""

import csv
import io
from decimal import Decimal
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

from evaluations.criteria.reference_data import CRITERIA_DIR_148
from evaluations.engine.csvform import ParsedForm, parse_form_csv
from evaluations.engine.spec import (
    PART_MAXIMA_148_2023,
    CriterionSpec,
    FormSpec,
    GroupSpec,
    OptionSpec,
    PartSpec,
)

FORMS_DIR = CRITERIA_DIR_148
ALL_FORMS = [f"{number:02d}" for number in range(1, 27)]
UNVERIFIED_FORMS = ["07", "11", "12", "13"]
VERIFIED_FORMS = [number for number in ALL_FORMS if number not in UNVERIFIED_FORMS]


def form_path(number: str) -> Path:
    (path,) = FORMS_DIR.glob(f"{number}-*.csv")
    return path


@cache
def parsed(number: str) -> ParsedForm:
    path = form_path(number)
    with path.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    return parse_form_csv(
        text=text,
        key=f"148/2023:{number}",
        label=path.stem,
        expected_part_maxima=PART_MAXIMA_148_2023,
    )


def form(number: str) -> FormSpec:
    return parsed(number).form


def csv_text(*rows: tuple[str, str, str, str, str]) -> str:
    """A form CSV with the standard header and these (title, description, level, stars,
    score) rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "description", "level", "stars", "score"])
    writer.writerows(rows)
    return buffer.getvalue()


def best_answers(spec: FormSpec, *, case_index: int = 0) -> dict[str, str]:
    """The best option of every leaf; in choose-one groups, the case at `case_index`."""
    answers = {}
    for group in spec.groups():
        counted = (group.criteria[case_index],) if group.choose_one else group.criteria
        for criterion in counted:
            for leaf in criterion.leaves():
                best = max(leaf.options, key=lambda option: option.points)
                answers[leaf.key] = best.key
    return answers


@st.composite
def answer_sets(draw, spec: FormSpec) -> dict[str, str]:
    """A random complete, valid answer set of `spec`."""
    answers = {}
    for group in spec.groups():
        counted = (draw(st.sampled_from(group.criteria)),) if group.choose_one else group.criteria
        for criterion in counted:
            for leaf in criterion.leaves():
                answers[leaf.key] = draw(st.sampled_from(leaf.options)).key
    return answers


def _options(criterion_key: str, *points: int, stars: dict[int, int] | None = None):
    stars = stars or {}
    return tuple(
        OptionSpec(
            key=f"{criterion_key}.{index}",
            label=f"option {index}",
            points=Decimal(value),
            min_stars=stars.get(index),
            ref=f"{criterion_key}.{index}",
        )
        for index, value in enumerate(points, start=1)
    )


def tiny_form() -> FormSpec:
    """A consistent 100-point form: A (40) with a heading over two sub-criteria, B (25) a
    choose-one group whose case b has a 4★ mark, C (35) one criterion with 3★ and 5★ marks."""
    heading = CriterionSpec(
        key="A.1.a",
        label="a) Heading",
        max_points=Decimal(40),
        children=(
            CriterionSpec("A.1.a.1", "First", Decimal(20), _options("A.1.a.1", 0, 10, 20)),
            CriterionSpec("A.1.a.2", "Second", Decimal(20), _options("A.1.a.2", 0, 20)),
        ),
        ref="row 4",
    )
    case_a = CriterionSpec("B.2.a", "a. Case 1", Decimal(25), _options("B.2.a", 5, 25))
    case_b = CriterionSpec(
        "B.2.b", "b. Case 2", Decimal(25), _options("B.2.b", 0, 15, 25, stars={2: 4})
    )
    single = CriterionSpec(
        "C.3.a", "c", Decimal(35), _options("C.3.a", 0, 20, 30, 35, stars={2: 3, 4: 5})
    )
    return FormSpec(
        key="tiny",
        label="Tiny form",
        parts=(
            PartSpec(
                "A", "Part A", Decimal(40), (GroupSpec("A.1", "1.", Decimal(40), (heading,)),)
            ),
            PartSpec(
                "B",
                "Part B",
                Decimal(25),
                (GroupSpec("B.2", "2.", Decimal(25), (case_a, case_b), choose_one=True),),
            ),
            PartSpec("C", "Part C", Decimal(35), (GroupSpec("C.3", "3.", Decimal(35), (single,)),)),
        ),
        expected_part_maxima=dict(PART_MAXIMA_148_2023),
    )
