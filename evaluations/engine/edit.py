"""Apply corrections to a FormSpec in memory (for the editor's live validation)."""

from dataclasses import replace
from decimal import Decimal

from evaluations.engine.spec import CriterionSpec, FormSpec

# What each kind of node may have changed, by attribute name.
Changes = dict[tuple[str, str], dict[str, object]]


def _criterion(c: CriterionSpec, changes: Changes) -> CriterionSpec:
    c = replace(
        c,
        options=tuple(replace(o, **changes.get(("option", o.key), {})) for o in c.options),
        children=tuple(_criterion(child, changes) for child in c.children),
    )
    return replace(c, **changes.get(("criterion", c.key), {}))


def with_changes(form: FormSpec, changes: Changes) -> FormSpec:
    parts = []
    for part in form.parts:
        groups = tuple(
            replace(
                replace(g, criteria=tuple(_criterion(c, changes) for c in g.criteria)),
                **changes.get(("group", g.key), {}),
            )
            for g in part.groups
        )
        parts.append(replace(part, groups=groups, **changes.get(("part", part.key), {})))
    return replace(form, parts=tuple(parts))


def to_decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)
