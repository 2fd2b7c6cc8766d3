"""Structural checks of a scoring form. A form is consistent, and may be used for scoring, iff
`validate_form` finds no defect.

Checks, in form order: each part's maximum against the version's expected maximum
("part_maximum", "missing_part") and against its groups' sum ("part_sum"); each group's maximum
against its criteria's sum ("group_sum"), or for a choose-one group against every case's maximum
("case_max"); each heading's maximum against its sub-criteria's sum ("heading_sum"); each leaf
criterion has options ("no_options") and a stated maximum equal to its best option
("criterion_max"); no negative points ("negative_points"), star marks 1 to 5 ("min_stars"), no
key used twice ("duplicate_key"), no empty group ("no_criteria"); finally the parts' total
against the expected total ("total"). Sums use each criterion's effective maximum: the stated
one, or when empty the best option's points (or the sub-criteria's sum for a heading).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .spec import CriterionSpec, FormSpec, GroupSpec, PartSpec


@dataclass(frozen=True)
class Defect:
    ref: str
    code: str
    message: str
    key: str = ""


def validate_form(form: FormSpec) -> list[Defect]:
    defects = list(_duplicate_keys(form))
    for part in form.parts:
        defects.extend(_check_part(form, part))
    defects.extend(_missing_parts(form))
    total = sum((part.max_points for part in form.parts), Decimal(0))
    if total != form.expected_total:
        defects.append(
            Defect(
                ref=form.parts[0].ref if form.parts else "",
                code="total",
                message=_("The parts total %(found)s points, expected %(expected)s.")
                % {"found": points(total), "expected": points(form.expected_total)},
                key=form.key,
            )
        )
    return defects


def points(value: Decimal) -> str:
    """A number of points for messages: 40, 2.5 (no exponent, no trailing zeros)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _duplicate_keys(form: FormSpec) -> Iterator[Defect]:
    seen: set[str] = set()
    nodes = [*form.parts, *form.groups()]
    for criterion in form.criteria():
        nodes.append(criterion)
        nodes.extend(criterion.options)
    for node in nodes:
        if node.key in seen:
            yield Defect(
                node.ref,
                "duplicate_key",
                _("Key %(key)s is used twice.") % {"key": node.key},
                node.key,
            )
        seen.add(node.key)


def _missing_parts(form: FormSpec) -> Iterator[Defect]:
    present = {part.key for part in form.parts}
    for key, expected in form.expected_part_maxima.items():
        if key not in present:
            yield Defect(
                "",
                "missing_part",
                _("Part %(part)s (%(expected)s points) is missing.")
                % {"part": key, "expected": points(expected)},
                key,
            )


def _check_part(form: FormSpec, part: PartSpec) -> Iterator[Defect]:
    expected = form.expected_part_maxima.get(part.key)
    if expected is not None and part.max_points != expected:
        yield Defect(
            part.ref,
            "part_maximum",
            _("Part %(part)s has maximum %(found)s, but this criteria version sets %(expected)s.")
            % {"part": part.key, "found": points(part.max_points), "expected": points(expected)},
            part.key,
        )
    found = sum((group.max_points for group in part.groups), Decimal(0))
    if found != part.max_points:
        yield Defect(
            part.ref,
            "part_sum",
            _("Part %(part)s has maximum %(expected)s, but its groups sum to %(found)s.")
            % {"part": part.key, "expected": points(part.max_points), "found": points(found)},
            part.key,
        )
    for group in part.groups:
        yield from _check_group(group)


def _check_group(group: GroupSpec) -> Iterator[Defect]:
    values = {"group": group.key, "expected": points(group.max_points)}
    if not group.criteria:
        yield Defect(
            group.ref, "no_criteria", _("Group %(group)s has no criteria.") % values, group.key
        )
    elif group.choose_one:
        for case in group.criteria:
            if case.effective_max != group.max_points:
                yield Defect(
                    case.ref,
                    "case_max",
                    _(
                        "Case %(case)s has maximum %(found)s, but its group %(group)s has "
                        "%(expected)s."
                    )
                    % {**values, "case": case.key, "found": points(case.effective_max)},
                    case.key,
                )
    else:
        found = sum((criterion.effective_max for criterion in group.criteria), Decimal(0))
        if found != group.max_points:
            yield Defect(
                group.ref,
                "group_sum",
                _("Group %(group)s has maximum %(expected)s, but its criteria sum to %(found)s.")
                % {**values, "found": points(found)},
                group.key,
            )
    if group.max_points < 0:
        yield _negative(group.ref, group.key, group.max_points)
    for criterion in group.walk():
        yield from _check_criterion(criterion)


def _check_criterion(criterion: CriterionSpec) -> Iterator[Defect]:
    key, ref = criterion.key, criterion.ref
    if criterion.max_points is not None and criterion.max_points < 0:
        yield _negative(ref, key, criterion.max_points)
    if criterion.min_stars is not None and not 1 <= criterion.min_stars <= 5:
        yield _bad_stars(ref, key, criterion.min_stars)
    if criterion.children:
        found = sum((child.effective_max for child in criterion.children), Decimal(0))
        if criterion.max_points is not None and criterion.max_points != found:
            yield Defect(
                ref,
                "heading_sum",
                _(
                    "Criterion %(key)s has maximum %(expected)s, but its sub-criteria sum to "
                    "%(found)s."
                )
                % {"key": key, "expected": points(criterion.max_points), "found": points(found)},
                key,
            )
        if criterion.options:
            yield Defect(
                ref,
                "heading_options",
                _("Criterion %(key)s has both sub-criteria and options.") % {"key": key},
                key,
            )
        return
    best = criterion.best_option_points
    if best is None:
        yield Defect(ref, "no_options", _("Criterion %(key)s has no options.") % {"key": key}, key)
    elif criterion.max_points is not None and criterion.max_points != best:
        yield Defect(
            ref,
            "criterion_max",
            _(
                "Criterion %(key)s (%(label)s) has maximum %(expected)s, but its best option gives "
                "%(found)s."
            )
            % {
                "key": key,
                "label": criterion.label,
                "expected": points(criterion.max_points),
                "found": points(best),
            },
            key,
        )
    for option in criterion.options:
        if option.points < 0:
            yield _negative(option.ref, option.key, option.points)
        if option.min_stars is not None and not 1 <= option.min_stars <= 5:
            yield _bad_stars(option.ref, option.key, option.min_stars)


def _negative(ref: str, key: str, value: Decimal) -> Defect:
    return Defect(
        ref,
        "negative_points",
        _("%(key)s has negative points: %(found)s.") % {"key": key, "found": points(value)},
        key,
    )


def _bad_stars(ref: str, key: str, stars: int) -> Defect:
    return Defect(
        ref,
        "min_stars",
        _("%(key)s is marked for %(stars)d stars; marks must be 1 to 5.")
        % {"key": key, "stars": stars},
        key,
    )
