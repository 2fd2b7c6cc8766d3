"""The producer's self-assessment against a scoring form: pure functions over the engine's
FormSpec and a mapping of answers (leaf criterion key → option key). No database.

A self-assessment is filled in over days, so it is scored while incomplete: the points of
the criteria answered so far, counted by the engine's `score_sheet` (which alone decides
what a form's answers are worth).
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from evaluations.engine.scoring import AnswerError, SheetScore, UnverifiedFormError, score_sheet
from evaluations.engine.spec import CriterionSpec, FormSpec, GroupSpec


@dataclass(frozen=True)
class PartialScore:
    total: Decimal
    parts: dict[str, Decimal]
    groups: dict[str, Decimal]
    criteria: dict[str, Decimal]  # leaf key → points, answered leaves only
    answered: int
    required: int
    chosen_cases: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.answered >= self.required


@dataclass(frozen=True)
class Missing:
    """A criterion left unanswered, or a choose-one group whose case is not chosen."""

    key: str
    label: str
    is_group: bool = False

    def __str__(self) -> str:
        text = f"{self.key} {first_line(self.label)}"
        if self.is_group:
            return _("%(group)s: choose the case that applies and answer it") % {"group": text}
        return text


def first_line(label: str) -> str:
    """A criterion's label without the explanations the forms put on further lines."""
    return label.strip().splitlines()[0].strip() if label.strip() else label


def leaf_options(form: FormSpec) -> dict[str, set[str]]:
    """Every leaf criterion key → its option keys."""
    return {leaf.key: {o.key for o in leaf.options} for leaf in form.leaf_criteria()}


def _case_leaves(case: CriterionSpec) -> set[str]:
    return {leaf.key for leaf in case.leaves()}


def chosen_cases(form: FormSpec, answers: Mapping[str, str]) -> dict[str, str]:
    """Choose-one group key → the first of its cases with an answered leaf."""
    chosen = {}
    for group in form.groups():
        if not group.choose_one:
            continue
        for case in group.criteria:
            if any(answers.get(key) for key in _case_leaves(case)):
                chosen[group.key] = case.key
                break
    return chosen


def keep_chosen_cases(
    form: FormSpec, answers: Mapping[str, str], cases: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The answers without those of the cases not chosen (`cases`: group key → case key;
    where a group has no explicit choice, its first answered case counts)."""
    cases = {**chosen_cases(form, answers), **{k: v for k, v in (cases or {}).items() if v}}
    dropped: set[str] = set()
    for group in form.groups():
        if group.choose_one and group.key in cases:
            for case in group.criteria:
                if case.key != cases[group.key]:
                    dropped |= _case_leaves(case)
    return {k: v for k, v in answers.items() if v and k not in dropped}


def _counted_leaves(group: GroupSpec, case_key: str | None) -> Iterator[CriterionSpec]:
    if not group.choose_one:
        yield from (leaf for c in group.criteria for leaf in c.leaves())
        return
    for case in group.criteria:
        if case.key == case_key:
            yield from case.leaves()


def missing(form: FormSpec, answers: Mapping[str, str]) -> list[Missing]:
    """What is left to answer, in form order."""
    cases = chosen_cases(form, answers)
    result = []
    for group in form.groups():
        if group.choose_one and group.key not in cases:
            result.append(Missing(group.key, group.label, is_group=True))
            continue
        result.extend(
            Missing(leaf.key, leaf.label)
            for leaf in _counted_leaves(group, cases.get(group.key))
            if not answers.get(leaf.key)
        )
    return result


def required_count(form: FormSpec, answers: Mapping[str, str]) -> int:
    """How many leaves a complete self-assessment answers, given the cases chosen so far
    (a group whose case is not chosen yet counts its smallest case)."""
    cases = chosen_cases(form, answers)
    count = 0
    for group in form.groups():
        if group.choose_one and group.key not in cases:
            count += min((len(_case_leaves(case)) for case in group.criteria), default=0)
        else:
            count += sum(1 for _ in _counted_leaves(group, cases.get(group.key)))
    return count


def partial_score(form: FormSpec, answers: Mapping[str, str]) -> PartialScore:
    """Points of the criteria answered so far.

    The engine scores complete sheets only, so the unanswered leaves are filled with a
    placeholder option for the engine and left out of the sums afterwards. Raises the
    engine's UnverifiedFormError for a form with defects, AnswerError for unknown keys.
    """
    answers = keep_chosen_cases(form, answers)
    cases = chosen_cases(form, answers)
    filled = dict(answers)
    counted: dict[str, tuple[str, str]] = {}  # leaf key → (part key, group key)
    for part in form.parts:
        for group in part.groups:
            case_key = cases.get(group.key)
            if group.choose_one and case_key is None and group.criteria:
                # The engine needs one case answered; the placeholder case counts nothing.
                for leaf in group.criteria[0].leaves():
                    filled[leaf.key] = leaf.options[0].key
                continue
            for leaf in _counted_leaves(group, case_key):
                if answers.get(leaf.key):
                    counted[leaf.key] = (part.key, group.key)
                elif leaf.options:
                    filled[leaf.key] = leaf.options[0].key
    sheet: SheetScore = score_sheet(form=form, answers=filled)
    parts = {part.key: Decimal(0) for part in form.parts}
    groups = {group.key: Decimal(0) for group in form.groups()}
    criteria = {}
    for key, (part_key, group_key) in counted.items():
        points = sheet.criteria[key]
        criteria[key] = points
        parts[part_key] += points
        groups[group_key] += points
    return PartialScore(
        total=sum(parts.values(), Decimal(0)),
        parts=parts,
        groups=groups,
        criteria=criteria,
        answered=len(counted),
        required=required_count(form, answers),
        chosen_cases=cases,
    )


def score_or_none(form: FormSpec, answers: Mapping[str, str]) -> PartialScore | None:
    """`partial_score`, or None when the form is unverified or the answers do not fit it (the
    pages then say totals cannot be computed)."""
    try:
        return partial_score(form, answers)
    except (UnverifiedFormError, AnswerError):
        return None
