"""Writes for scoring forms and regimes: import, verification, corrections."""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from evaluations.criteria.reference_data import (
    CRITERIA_DIR_148,
    CRITERIA_VERSIONS,
    FIRST_CHECKING_LEVEL,
    REGIMES,
)
from evaluations.criteria.selectors import build_form_spec
from evaluations.engine.csvform import parse_form_csv
from evaluations.engine.spec import FormSpec
from evaluations.engine.validation import validate_form
from evaluations.enums import FormStatus
from evaluations.models import (
    CriteriaVersion,
    Criterion,
    CriterionGroup,
    FormPart,
    Option,
    Regime,
    RegimeLevel,
    ScoringForm,
)
from ocop.core.audit import audit_log
from products.models import ProductSet
from products.services.taxonomy import taxonomy_load


def regimes_load(*, actor=None) -> list[Regime]:
    """Create or update the regimes of OCOP.md's "Levels" table. Idempotent."""
    regimes = []
    starts = sorted(effective_from for _code, _name, effective_from, _levels in REGIMES)
    with transaction.atomic():
        for code, name, effective_from, levels in REGIMES:
            later = [day for day in starts if day > effective_from]
            until = later[0] - datetime.timedelta(days=1) if later else None
            regime, _ = Regime.objects.update_or_create(
                code=code,
                defaults={"name": name, "effective_from": effective_from, "effective_until": until},
            )
            for level, order, scores, role, min_stars, max_stars, threshold in levels:
                RegimeLevel.objects.update_or_create(
                    regime=regime,
                    level=level,
                    defaults={
                        "order": order,
                        "scores": scores,
                        "checks_dossiers": FIRST_CHECKING_LEVEL[code] == level,
                        "role": role,
                        "recognises_min_stars": min_stars,
                        "recognises_max_stars": max_stars,
                        "forward_threshold": threshold,
                    },
                )
            regimes.append(regime)
        audit_log(actor=actor, action="regimes.load", data={"codes": [r.code for r in regimes]})
    return regimes


@dataclass
class FormImportResult:
    file: str
    product_set: int
    action: str  # created, updated, unchanged, frozen
    status: str
    defects: list[dict] = field(default_factory=list)
    corrections: list[dict] = field(default_factory=list)


def criteria_versions_load(*, actor=None) -> list[CriteriaVersion]:
    versions = []
    with transaction.atomic():
        for data in CRITERIA_VERSIONS:
            version, created = CriteriaVersion.objects.get_or_create(
                code=data["code"], defaults=data
            )
            if created:
                audit_log(actor=actor, action="criteria_version.create", obj=version)
            versions.append(version)
    return versions


def _defects_as_data(defects) -> list[dict]:
    return [{"ref": d.ref, "code": d.code, "message": str(d.message)} for d in defects]


def _store_tree(form: ScoringForm, spec: FormSpec) -> None:
    """Replace the form's parts → groups → criteria → options with the spec's.

    One bulk insert per level (criteria level by level, since children need their parent).
    """
    form.parts.all().delete()
    parts = FormPart.objects.bulk_create(
        FormPart(
            form=form,
            key=part.key,
            label=part.label,
            note=part.note,
            max_points=part.max_points,
            order=order,
            source_row=part.ref,
        )
        for order, part in enumerate(spec.parts)
    )
    group_pairs = [
        (
            CriterionGroup(
                part=part_obj,
                key=group.key,
                label=group.label,
                max_points=group.max_points,
                choose_one=group.choose_one,
                note=group.note,
                order=order,
                source_row=group.ref,
            ),
            group,
        )
        for part_obj, part in zip(parts, spec.parts, strict=True)
        for order, group in enumerate(part.groups)
    ]
    CriterionGroup.objects.bulk_create(obj for obj, _ in group_pairs)
    level = [
        (group_obj, None, order, criterion)
        for group_obj, group in group_pairs
        for order, criterion in enumerate(group.criteria)
    ]
    options = []
    while level:
        created = Criterion.objects.bulk_create(
            Criterion(
                group=group_obj,
                parent=parent,
                key=criterion.key,
                label=criterion.label,
                max_points=criterion.max_points,
                min_stars=criterion.min_stars,
                note=criterion.note,
                order=order,
                source_row=criterion.ref,
            )
            for group_obj, parent, order, criterion in level
        )
        next_level = []
        for obj, (group_obj, _, _, criterion) in zip(created, level, strict=True):
            options.extend(
                Option(
                    criterion=obj,
                    key=option.key,
                    label=option.label,
                    points=option.points,
                    min_stars=option.min_stars,
                    order=order,
                    source_row=option.ref,
                )
                for order, option in enumerate(criterion.options)
            )
            next_level.extend(
                (group_obj, obj, order, child) for order, child in enumerate(criterion.children)
            )
        level = next_level
    Option.objects.bulk_create(options)


def _apply_validation(form: ScoringForm, spec: FormSpec) -> list:
    defects = validate_form(spec)
    form.defects = _defects_as_data(defects)
    form.status = FormStatus.UNVERIFIED if defects else FormStatus.VERIFIED
    return defects


def criteria_import(
    *,
    version_code: str = "148/2023",
    directory: Path = CRITERIA_DIR_148,
    only: set[int] | None = None,
    actor=None,
) -> list[FormImportResult]:
    """Import every `NN-*.csv` of the directory as the forms of a criteria version.

    Idempotent: an unchanged file is skipped; a changed file replaces the current revision
    unless that revision is frozen (used by a submitted score sheet), which is reported.
    `only` limits the import to some product set numbers.
    """
    taxonomy_load(actor=actor)
    criteria_versions_load(actor=actor)
    version = CriteriaVersion.objects.get(code=version_code)
    sets = {ps.number: ps for ps in ProductSet.objects.select_related("group__sector")}
    results = []
    with transaction.atomic():
        for path in sorted(Path(directory).glob("[0-9][0-9]-*.csv")):
            number = int(path.name[:2])
            if only is not None and number not in only:
                continue
            product_set = sets[number]
            raw = path.read_bytes()
            digest = hashlib.sha256(raw).hexdigest()
            form = ScoringForm.objects.filter(
                version=version, product_set=product_set, is_current=True
            ).first()
            if form is not None and form.source_sha256 == digest:
                results.append(
                    FormImportResult(
                        path.name, number, "unchanged", form.status, form.defects, form.corrections
                    )
                )
                continue
            if form is not None and form.is_frozen:
                results.append(
                    FormImportResult(
                        path.name, number, "frozen", form.status, form.defects, form.corrections
                    )
                )
                continue
            # Parsed only when it is imported: an unchanged or frozen file is not read again.
            parsed = parse_form_csv(
                text=raw.decode("utf-8"),
                key=f"{version.code}:{number:02d}",
                label=str(product_set),
                expected_part_maxima=version.part_maxima,
            )
            corrections = [_correction_as_data(c) for c in parsed.corrections]
            action = "updated" if form else "created"
            if form is None:
                form = ScoringForm(version=version, product_set=product_set)
            form.source = f"{Path(directory).name}/{path.name}"
            form.source_sha256 = digest
            form.corrections = corrections
            _apply_validation(form, parsed.form)
            form.save()
            _store_tree(form, parsed.form)
            results.append(
                FormImportResult(path.name, number, action, form.status, form.defects, corrections)
            )
        audit_log(
            actor=actor,
            action="criteria.import",
            obj=version,
            data={
                "forms": {
                    r.file: {"action": r.action, "status": r.status, "defects": len(r.defects)}
                    for r in results
                }
            },
        )
    return results


def _correction_as_data(correction) -> dict:
    if isinstance(correction, dict):
        return correction
    return {k: str(v) for k, v in vars(correction).items()}


def _revise(form: ScoringForm) -> ScoringForm:
    """Copy a frozen revision into the next one, which becomes current."""
    spec = build_form_spec(form)
    ScoringForm.objects.filter(pk=form.pk).update(is_current=False)
    new = ScoringForm.objects.create(
        version=form.version,
        product_set=form.product_set,
        revision=form.revision + 1,
        is_current=True,
        status=form.status,
        defects=form.defects,
        corrections=form.corrections,
        source=form.source,
        source_sha256=form.source_sha256,
    )
    _store_tree(new, spec)
    return new


EDITABLE = {
    "part": (FormPart, {"max_points"}),
    "group": (CriterionGroup, {"max_points", "label"}),
    "criterion": (Criterion, {"max_points", "label"}),
    "option": (Option, {"points", "label", "min_stars"}),
}


def scoring_form_correct(
    *, form: ScoringForm, changes: dict[tuple[str, str], dict], actor
) -> ScoringForm:
    """Apply corrections to a form's nodes, addressed by (kind, key), then re-validate.

    A frozen revision is never changed: the corrections go into a new revision.
    Returns the revision that holds the corrections.
    """
    with transaction.atomic():
        form = ScoringForm.objects.select_for_update().get(pk=form.pk)
        if not form.is_current:
            raise ValueError("Only the current revision of a form can be corrected.")
        revised_from = None
        if form.is_frozen:
            revised_from = form.revision
            form = _revise(form)
        diff = {}
        for (kind, key), values in changes.items():
            model, allowed = EDITABLE[kind]
            unknown = set(values) - allowed
            if unknown:
                raise ValueError(f"Cannot change {sorted(unknown)} of a {kind}.")
            node = _node(model, kind, form, key)
            changed = {
                name: {"from": _plain(getattr(node, name)), "to": _plain(value)}
                for name, value in values.items()
                if getattr(node, name) != value
            }
            if changed:
                for name in changed:
                    setattr(node, name, values[name])
                node.save(update_fields=list(changed))
                diff[f"{kind} {key}"] = changed
        before = form.status
        _apply_validation(form, build_form_spec(form))  # the nodes just changed
        form.save(update_fields=["status", "defects", "updated_at"])
        audit_log(
            actor=actor,
            action="scoring_form.correct",
            obj=form,
            data={
                "revision": form.revision,
                "revised_from": revised_from,
                "changes": diff,
                "status": {"from": before, "to": form.status},
            },
        )
    return form


def _node(model, kind: str, form: ScoringForm, key: str):
    lookup = {
        "part": {"form": form},
        "group": {"part__form": form},
        "criterion": {"group__part__form": form},
        "option": {"criterion__group__part__form": form},
    }[kind]
    return model.objects.select_for_update().get(key=key, **lookup)


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def scoring_form_freeze(*, form: ScoringForm, actor) -> ScoringForm:
    """Mark a revision as used by a submitted score sheet (called by the scoring service)."""
    with transaction.atomic():
        form = ScoringForm.objects.select_for_update().get(pk=form.pk)
        if form.frozen_at is None:
            form.frozen_at = timezone.now()
            form.save(update_fields=["frozen_at"])
            audit_log(actor=actor, action="scoring_form.freeze", obj=form)
    return form
