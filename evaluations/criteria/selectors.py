"""Reads of scoring forms and regimes: specs built from the database."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from evaluations.engine.regimes import RegimeSpec, level_spec
from evaluations.engine.spec import CriterionSpec, FormSpec, GroupSpec, OptionSpec, PartSpec
from evaluations.enums import FormStatus, VersionStatus
from evaluations.models import (
    CriteriaVersion,
    Criterion,
    CriterionGroup,
    FormPart,
    Regime,
    RegimeLevel,
    Round,
    ScoringForm,
)


def criteria_versions_with_choice(
    code: str | None,
) -> tuple[list[CriteriaVersion], CriteriaVersion | None]:
    """Every criteria version, and the one to show: the version `code` names, else the active
    one, else the first."""
    versions = list(CriteriaVersion.objects.all())
    version = next((v for v in versions if v.code == code), None) or next(
        (v for v in versions if v.status == VersionStatus.ACTIVE), versions[0] if versions else None
    )
    return versions, version


def active_criteria_version() -> CriteriaVersion | None:
    return CriteriaVersion.objects.filter(status=VersionStatus.ACTIVE).first()


def unverified_forms() -> QuerySet[ScoringForm]:
    """The current forms of the active criteria version that cannot be used yet (defects
    an administrator must correct): products of these sets cannot be registered to rounds."""
    version = active_criteria_version()
    if version is None:
        return ScoringForm.objects.none()
    return (
        ScoringForm.objects.filter(version=version, is_current=True)
        .exclude(status=FormStatus.VERIFIED)
        .select_related("product_set", "version")
        .order_by("product_set__number")
    )


def regime_in_force(day: date) -> Regime | None:
    """The regime in force on a day."""
    return Regime.objects.in_force(day).order_by("-effective_from").first()


def scoring_form_at(version_slug: str, number: int, revision: str | None = None):
    """The form of product set `number` in the criteria version of a URL (`148-2023` for
    "148/2023"): the revision asked for when it is a number, else the current one. A queryset
    of at most one form, with what its pages show."""
    filters = {"version__code": version_slug.replace("-", "/"), "product_set__number": number}
    if revision and revision.isdigit():
        filters["revision"] = int(revision)
    else:
        filters["is_current"] = True
    return ScoringForm.objects.select_related("version", "product_set__group__sector").filter(
        **filters
    )


def form_revisions(form: ScoringForm) -> QuerySet[ScoringForm]:
    """Every revision of a form (same version, same product set), the latest first."""
    return ScoringForm.objects.filter(version=form.version, product_set=form.product_set).order_by(
        "-revision"
    )


def current_forms(version: CriteriaVersion) -> QuerySet[ScoringForm]:
    return (
        ScoringForm.objects.filter(version=version, is_current=True)
        .select_related("product_set__group__sector", "version")
        .order_by("product_set__number")
    )


def form_tree(form: ScoringForm) -> list[FormPart]:
    """Parts with groups, criteria (top-level, with children) and options: 5 queries."""
    criteria = Criterion.objects.prefetch_related("options").order_by("order")
    return list(
        form.parts.prefetch_related(
            Prefetch(
                "groups",
                queryset=CriterionGroup.objects.prefetch_related(
                    Prefetch("criteria", queryset=criteria, to_attr="all_criteria")
                ).order_by("order"),
            )
        ).order_by("order")
    )


def _criterion_spec(criterion: Criterion, children_of: dict) -> CriterionSpec:
    return CriterionSpec(
        key=criterion.key,
        label=criterion.label,
        max_points=criterion.max_points,
        min_stars=criterion.min_stars,
        options=tuple(
            OptionSpec(
                key=o.key, label=o.label, points=o.points, min_stars=o.min_stars, ref=o.source_row
            )
            for o in criterion.options.all()
        ),
        children=tuple(_criterion_spec(c, children_of) for c in children_of.get(criterion.pk, [])),
        note=criterion.note,
        ref=criterion.source_row,
    )


# Specs already built, by (form, its last change, its label): a form's tree changes only
# through the criteria services, which save the form (`updated_at`) in the same transaction,
# and a spec is immutable (frozen dataclasses and tuples), so the same one serves every
# caller. Per process; small (one entry per form revision in use), cleared when full.
_SPECS: dict[tuple, FormSpec] = {}
_SPECS_MAX = 256


def form_spec(form: ScoringForm) -> FormSpec:
    """The engine's view of a stored form, built once per revision and change (5 queries the
    first time). While a service is changing the form's nodes, it reads `build_form_spec`."""
    if form.pk is None:
        return build_form_spec(form)
    key = (form.pk, form.updated_at, form.key, str(form.product_set))
    spec = _SPECS.get(key)
    if spec is None:
        spec = build_form_spec(form)
        if len(_SPECS) >= _SPECS_MAX:
            _SPECS.clear()
        _SPECS[key] = spec
    return spec


def build_form_spec(form: ScoringForm) -> FormSpec:
    """The engine's view of a stored form, read from the database now."""
    parts = []
    for part in form_tree(form):
        groups = []
        for group in part.groups.all():
            children_of: dict[int, list[Criterion]] = {}
            for c in group.all_criteria:
                children_of.setdefault(c.parent_id, []).append(c)
            groups.append(
                GroupSpec(
                    key=group.key,
                    label=group.label,
                    max_points=group.max_points,
                    criteria=tuple(
                        _criterion_spec(c, children_of) for c in children_of.get(None, [])
                    ),
                    choose_one=group.choose_one,
                    note=group.note,
                    ref=group.source_row,
                )
            )
        parts.append(
            PartSpec(
                key=part.key,
                label=part.label,
                note=part.note,
                max_points=part.max_points,
                groups=tuple(groups),
                ref=part.source_row,
            )
        )
    return FormSpec(
        key=form.key,
        label=str(form.product_set),
        parts=tuple(parts),
        expected_part_maxima=form.version.part_maxima,
    )


def regime_spec(regime: Regime) -> RegimeSpec:
    """The engine's view of a stored regime."""
    return RegimeSpec(
        regime.code,
        tuple(
            level_spec(
                lv.level,
                lv.order,
                lv.scores,
                lv.recognises_min_stars,
                lv.recognises_max_stars,
                lv.forward_threshold,
            )
            for lv in regime.levels.order_by("order")
        ),
    )


def current_form_for(round_obj: Round, product_set) -> ScoringForm | None:
    """The round's criteria version's current form for a product set."""
    return (
        ScoringForm.objects.filter(
            version=round_obj.criteria_version, product_set=product_set, is_current=True
        )
        .select_related("version", "product_set")
        .first()
    )


def checking_level(regime: Regime) -> RegimeLevel | None:
    """The level whose working group receives and checks the producers' dossiers."""
    return regime.levels.filter(checks_dossiers=True).first()


def first_scoring_level(regime: Regime) -> str:
    """The first level at or above the checking level whose council scores ('' if none)."""
    levels = list(regime.levels.order_by("order"))
    checking = next((lvl for lvl in levels if lvl.checks_dossiers), None)
    start = checking.order if checking else 0
    return next((lvl.level for lvl in levels if lvl.scores and lvl.order >= start), "")
