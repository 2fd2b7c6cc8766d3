"""One score sheet: a member's answers (leaf criterion key → option key) → points.

A leaf criterion gives its chosen option's points, a heading the sum of its sub-criteria, a group
the sum of its criteria (a choose-one group: the one case answered), a part the sum of its
groups, the sheet the sum of its parts. Only a consistent form can be scored.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .spec import CriterionSpec, FormSpec, GroupSpec
from .validation import Defect, validate_form


class UnverifiedFormError(ValueError):
    def __init__(self, form_key: str, defects: list[Defect]) -> None:
        self.form_key = form_key
        self.defects = defects
        super().__init__(
            _("Form %(form)s has %(count)d defect(s) and cannot be used for scoring.")
            % {"form": form_key, "count": len(defects)}
        )


class AnswerError(ValueError):
    """An answer set that cannot be scored. `key` is the criterion concerned, or the group for
    the choose-one codes ("several_cases", "no_case")."""

    def __init__(self, *, code: str, key: str, message: str) -> None:
        self.code = code
        self.key = key
        super().__init__(message)


@dataclass(frozen=True)
class SheetScore:
    total: Decimal
    parts: dict[str, Decimal]
    groups: dict[str, Decimal]
    # Leaves and headings of the criteria counted; the cases not chosen are absent.
    criteria: dict[str, Decimal]
    chosen_cases: dict[str, str]  # choose-one group key → criterion key of the case answered


def score_sheet(*, form: FormSpec, answers: Mapping[str, str]) -> SheetScore:
    defects = validate_form(form)
    if defects:
        raise UnverifiedFormError(form.key, defects)
    _check_known(form, answers)
    criteria: dict[str, Decimal] = {}
    groups: dict[str, Decimal] = {}
    parts: dict[str, Decimal] = {}
    chosen_cases: dict[str, str] = {}
    for part in form.parts:
        for group in part.groups:
            counted = group.criteria
            if group.choose_one:
                case = _chosen_case(group, answers)
                chosen_cases[group.key] = case.key
                counted = (case,)
            groups[group.key] = sum(
                (_score_criterion(criterion, answers, criteria) for criterion in counted),
                Decimal(0),
            )
        parts[part.key] = sum((groups[group.key] for group in part.groups), Decimal(0))
    total = sum(parts.values(), Decimal(0))
    return SheetScore(
        total=total, parts=parts, groups=groups, criteria=criteria, chosen_cases=chosen_cases
    )


def _check_known(form: FormSpec, answers: Mapping[str, str]) -> None:
    leaves = {criterion.key: criterion for criterion in form.leaf_criteria()}
    for criterion_key, option_key in answers.items():
        criterion = leaves.get(criterion_key)
        if criterion is None:
            raise AnswerError(
                code="unknown_criterion",
                key=criterion_key,
                message=_("Form %(form)s has no criterion %(key)s to answer.")
                % {"form": form.key, "key": criterion_key},
            )
        if option_key not in {option.key for option in criterion.options}:
            raise AnswerError(
                code="unknown_option",
                key=criterion_key,
                message=_("%(option)r is not an option of criterion %(key)s.")
                % {"option": option_key, "key": criterion_key},
            )


def _chosen_case(group: GroupSpec, answers: Mapping[str, str]) -> CriterionSpec:
    answered = [
        case for case in group.criteria if any(leaf.key in answers for leaf in case.leaves())
    ]
    if not answered:
        raise AnswerError(
            code="no_case",
            key=group.key,
            message=_("Group %(group)s: answer one of its cases.") % {"group": group.key},
        )
    if len(answered) > 1:
        raise AnswerError(
            code="several_cases",
            key=group.key,
            message=_("Group %(group)s: only one case may be answered, not %(cases)s.")
            % {"group": group.key, "cases": ", ".join(case.key for case in answered)},
        )
    return answered[0]


def _score_criterion(
    criterion: CriterionSpec, answers: Mapping[str, str], out: dict[str, Decimal]
) -> Decimal:
    if criterion.children:
        value = sum(
            (_score_criterion(child, answers, out) for child in criterion.children), Decimal(0)
        )
    else:
        option_key = answers.get(criterion.key)
        if option_key is None:
            raise AnswerError(
                code="missing_answer",
                key=criterion.key,
                message=_("Criterion %(key)s is not answered.") % {"key": criterion.key},
            )
        value = next(option.points for option in criterion.options if option.key == option_key)
    out[criterion.key] = value
    return value
