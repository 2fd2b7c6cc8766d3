"""Reads for the evaluations app."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, Prefetch, Q, QuerySet, When
from django.utils import timezone

from evaluations.engine.regimes import RegimeSpec, level_spec
from evaluations.engine.spec import CriterionSpec, FormSpec, GroupSpec, OptionSpec, PartSpec
from evaluations.enums import DOSSIER_WAITING_FOR_CHECK, DossierAction, DossierState
from evaluations.models import (
    CriteriaVersion,
    Criterion,
    CriterionGroup,
    Dossier,
    DossierEvent,
    FormPart,
    Regime,
    RegimeLevel,
    RequiredDocument,
    Round,
    ScoringForm,
    SelfAssessmentAnswer,
)
from ocop.core.enums import OFFICER_ROLES, Role, UnitLevel
from ocop.core.models import AdministrativeUnit, User
from ocop.core.selectors import in_unit_q
from products.enums import DocumentKind
from products.models import EvidenceDocument, Producer, ProducerMember, Product


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


def form_spec(form: ScoringForm) -> FormSpec:
    """The engine's view of a stored form."""
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


# --- rounds and dossiers ------------------------------------------------------------------


def province_of(unit: AdministrativeUnit | None) -> AdministrativeUnit | None:
    """The province a unit lies in (itself for a province); at most two queries."""
    while unit is not None and unit.level != UnitLevel.PROVINCE:
        unit = unit.parent
    return unit


def unit_at_level(unit: AdministrativeUnit | None, level: str) -> AdministrativeUnit | None:
    """The unit of `level` that contains `unit` (itself if it has that level)."""
    while unit is not None and unit.level != level:
        unit = unit.parent
    return unit


def member_producer_ids(user) -> frozenset[int]:
    """The producers the account acts for, read once per user object."""
    if not getattr(user, "pk", None):
        return frozenset()
    cached = getattr(user, "_evaluations_producer_ids", None)
    if cached is None:
        cached = frozenset(
            ProducerMember.objects.filter(user_id=user.pk).values_list("producer_id", flat=True)
        )
        user._evaluations_producer_ids = cached
    return cached


def member_province_ids(user) -> frozenset[int]:
    """The provinces of the producers the account acts for (one query)."""
    ids = member_producer_ids(user)
    if not ids:
        return frozenset()
    producers = Producer.objects.filter(pk__in=ids).select_related("address_unit__parent__parent")
    return frozenset(
        province.pk
        for province in (province_of(p.address_unit) for p in producers)
        if province is not None
    )


def officer_unit_id(user) -> int | None:
    if getattr(user, "is_authenticated", False) and user.is_active and user.is_officer:
        return user.jurisdiction_id
    return None


def rounds_visible_to(user) -> QuerySet[Round]:
    """Officers see the rounds of the province they work in; producer members the rounds of
    their producer's province; others none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Round.objects.none()
    province_ids = set()
    if officer_unit_id(user):
        province = province_of(user.jurisdiction)
        if province is not None:
            province_ids.add(province.pk)
    if user.has_role(Role.PRODUCER_MEMBER):
        province_ids |= member_province_ids(user)
    return (
        Round.objects.filter(province_id__in=province_ids)
        .select_related("province", "regime", "criteria_version")
        .order_by("-year", "-number")
    )


def round_is_open(round_obj: Round, today: date | None = None) -> bool:
    """A round takes new dossiers until its submission deadline (inclusive)."""
    return (today or timezone.localdate()) <= round_obj.submission_deadline


def open_rounds_for_producer(producer: Producer, today: date | None = None) -> QuerySet[Round]:
    province = province_of(producer.address_unit)
    if province is None:
        return Round.objects.none()
    return (
        Round.objects.filter(
            province=province, submission_deadline__gte=today or timezone.localdate()
        )
        .select_related("regime", "criteria_version")
        .order_by("submission_deadline", "number")
    )


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """Producer members see their producer's dossiers; officers the dossiers whose
    first-level unit lies in their jurisdiction; others none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Dossier.objects.none()
    q = Q(pk__in=[])
    if user.has_role(Role.PRODUCER_MEMBER):
        q |= Q(product__producer_id__in=member_producer_ids(user))
    unit_id = officer_unit_id(user)
    if unit_id:
        q |= in_unit_q(unit_id, field="first_level_unit")
    return Dossier.objects.filter(q)


def dossier_list(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Dossiers with what their lists show, in one query."""
    return queryset.select_related(
        "round", "product__producer", "product__product_set", "first_level_unit"
    )


def inbox_for(user) -> QuerySet[Dossier]:
    """The working group's inbox: dossiers waiting for a check, or forwarded from the level
    below for its council, first; then by submission."""
    if not officer_unit_id(user):
        return Dossier.objects.none()
    waiting = Case(
        When(state__in=list(DOSSIER_WAITING_FOR_CHECK), then=0),
        When(state=DossierState.FORWARDED, level=user.jurisdiction.level, then=0),
        When(state=DossierState.DRAFT, then=2),
        default=1,
    )
    return (
        dossier_list(dossiers_visible_to(user))
        .annotate(waiting_order=waiting)
        .order_by("waiting_order", F("submitted_at").asc(nulls_last=True), "-created_at")
    )


def dossier_detail(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return queryset.select_related(
        "round__regime",
        "round__criteria_version",
        "round__province",
        "product__producer__address_unit__parent__parent",
        "product__product_set__group__sector",
        "first_level_unit__parent__parent",
        "scoring_form__version",
        "scoring_form__product_set",
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


def library_documents(product: Product) -> QuerySet[EvidenceDocument]:
    """The producer's current documents that may go with a dossier of this product: those
    about the producer as a whole and those about this product."""
    return (
        EvidenceDocument.objects.filter(producer_id=product.producer_id, superseded_by__isnull=True)
        .filter(Q(product__isnull=True) | Q(product_id=product.pk))
        .order_by("kind", "-uploaded_at", "-pk")
    )


def working_group_users(unit: AdministrativeUnit) -> QuerySet[User]:
    """The officers whose jurisdiction is exactly this unit: its working group."""
    return User.objects.filter(
        is_active=True,
        jurisdiction=unit,
        groups__name__in=[role.value for role in OFFICER_ROLES],
    ).distinct()


def producer_users(producer_id: int) -> QuerySet[User]:
    return User.objects.filter(is_active=True, producer_memberships__producer_id=producer_id)


@dataclass(frozen=True)
class ChecklistItem:
    kind: str
    label: str
    mandatory: bool
    documents: tuple[EvidenceDocument, ...]
    today: date

    @property
    def valid_documents(self) -> tuple[EvidenceDocument, ...]:
        return tuple(d for d in self.documents if not d.is_expired(self.today))

    @property
    def status(self) -> str:
        """One of "ok", "expired" (only expired documents of this kind) or "missing"."""
        if self.valid_documents:
            return "ok"
        return "expired" if self.documents else "missing"

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def required_kinds(*, sector_id: int | None, dossier_kind: str) -> dict[str, bool]:
    """Document kind → mandatory, for a dossier kind and a product's sector (a kind that
    several rows require is mandatory if any of them says so)."""
    rows = RequiredDocument.objects.filter(
        Q(sector__isnull=True) | Q(sector_id=sector_id),
        Q(dossier_kind="") | Q(dossier_kind=dossier_kind),
    ).values_list("document_kind", "mandatory")
    kinds: dict[str, bool] = {}
    for kind, mandatory in rows:
        kinds[kind] = kinds.get(kind, False) or mandatory
    return kinds


def dossier_checklist(
    dossier: Dossier, documents, today: date | None = None
) -> list[ChecklistItem]:
    """The required document kinds of the dossier, each with the chosen documents of that
    kind; mandatory kinds first, in the order of DocumentKind."""
    today = today or timezone.localdate()
    kinds = required_kinds(
        sector_id=dossier.product.product_set.group.sector_id, dossier_kind=dossier.kind
    )
    order = {value: i for i, value in enumerate(DocumentKind.values)}
    items = [
        ChecklistItem(
            kind=kind,
            label=str(DocumentKind(kind).label) if kind in DocumentKind.values else kind,
            mandatory=mandatory,
            documents=tuple(d for d in documents if d.kind == kind),
            today=today,
        )
        for kind, mandatory in kinds.items()
    ]
    return sorted(items, key=lambda i: (not i.mandatory, order.get(i.kind, len(order))))


def dossier_answers(dossier: Dossier) -> dict[str, SelfAssessmentAnswer]:
    """Criterion key → the stored answer, with its evidence documents (two queries)."""
    answers = SelfAssessmentAnswer.objects.filter(dossier=dossier).prefetch_related(
        Prefetch("documents", queryset=EvidenceDocument.objects.order_by("kind", "pk"))
    )
    return {a.criterion_key: a for a in answers}


def dossier_events(dossier: Dossier) -> QuerySet[DossierEvent]:
    return (
        DossierEvent.objects.filter(dossier=dossier)
        .select_related("actor")
        .prefetch_related("reasons")
        .order_by("at", "pk")
    )


def last_return(dossier: Dossier) -> DossierEvent | None:
    return (
        DossierEvent.objects.filter(dossier=dossier, action=DossierAction.RETURN)
        .prefetch_related("reasons")
        .order_by("-at", "-pk")
        .first()
    )
