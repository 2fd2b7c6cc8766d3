"""Reads of rounds and dossiers: visibility, inbox, checklist, self-assessment, history."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, When
from django.utils import timezone

from evaluations.criteria.selectors import checking_level, form_spec
from evaluations.engine.spec import CriterionSpec, FormSpec
from evaluations.enums import (
    DOSSIER_EDITABLE,
    DOSSIER_WAITING_FOR_CHECK,
    DossierAction,
    DossierState,
    Level,
    Outcome,
    ReturnItemKind,
)
from evaluations.intake.selfassessment import PartialScore, score_or_none
from evaluations.models import (
    CommuneAssessment,
    Dossier,
    DossierEvent,
    DossierVersion,
    LevelResult,
    RequiredDocument,
    Round,
    SelfAssessmentAnswer,
)
from ocop.core.enums import Role
from ocop.core.models import AdministrativeUnit
from ocop.core.selectors import (
    in_unit_q,
    linked_province_ids,
    merged_into,
    officer_unit_id,
    province_of,
)
from products.enums import DocumentKind
from products.models import EvidenceDocument, Producer, Product
from products.selectors import member_producer_ids, member_province_ids


def rounds_visible_to(user) -> QuerySet[Round]:
    """Officers see the rounds of the province they work in and of the old provinces merged
    into it; producer members the rounds of their producer's province on either map; others
    none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Round.objects.none()
    visible = Q(pk__in=[])
    if officer_unit_id(user):
        province = province_of(user.jurisdiction)
        if province is not None:
            visible |= Q(province_id=province.pk) | Q(province_id__in=merged_into(province.pk))
    if user.has_role(Role.PRODUCER_MEMBER):
        visible |= Q(province_id__in=linked_province_ids(member_province_ids(user)))
    return (
        Round.objects.filter(visible)
        .select_related("province", "regime", "criteria_version")
        .order_by("-year", "-number")
    )


def round_opening_province(user) -> AdministrativeUnit | None:
    """The province whose rounds this user may open: the user's own jurisdiction when
    `evaluations.open_round` holds on it (a province officer of that province), else None."""
    unit = user.jurisdiction if getattr(user, "jurisdiction_id", None) else None
    if unit is not None and user.has_perm("evaluations.open_round", unit):
        return unit
    return None


def next_round_number(province: AdministrativeUnit, year: int) -> int:
    """The number the province's next round of the year takes (1 for the first)."""
    last = (
        Round.objects.filter(province=province, year=year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


def round_is_open(round_obj: Round, today: date | None = None) -> bool:
    """A round takes new dossiers until its submission deadline (inclusive)."""
    return (today or timezone.localdate()) <= round_obj.submission_deadline


def open_rounds_for_producer(producer: Producer, today: date | None = None) -> QuerySet[Round]:
    """The rounds still taking dossiers in the producer's province, on either map (a producer
    recorded on the old map registers in today's rounds of the province that absorbed it)."""
    province = province_of(producer.address_unit)
    if province is None:
        return Round.objects.none()
    return (
        Round.objects.filter(
            province_id__in=linked_province_ids({province.pk}),
            submission_deadline__gte=today or timezone.localdate(),
        )
        .select_related("regime", "criteria_version")
        .order_by("submission_deadline", "number")
    )


def rounds_taking_dossiers_for_member(user, today: date | None = None) -> QuerySet[Round]:
    """The rounds of the provinces of the user's producers that still take dossiers."""
    return Round.objects.filter(
        province_id__in=linked_province_ids(member_province_ids(user)),
        submission_deadline__gte=today or timezone.localdate(),
    ).order_by("submission_deadline")


def open_rounds_for_member(user) -> list[Round]:
    """The rounds taking dossiers for any of the user's producers, each once."""
    producers = Producer.objects.filter(pk__in=member_producer_ids(user)).select_related(
        "address_unit__parent__parent"
    )
    rounds: dict[int, Round] = {}
    for producer in producers:
        for round_obj in open_rounds_for_producer(producer):
            rounds[round_obj.pk] = round_obj
    return list(rounds.values())


def products_for_member(user) -> QuerySet[Product]:
    """The products of the user's producers, the ones a dossier may register."""
    return (
        Product.objects.filter(producer_id__in=member_producer_ids(user))
        .select_related("product_set")
        .order_by("name")
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


def round_state_counts(user, round_obj: Round) -> list[tuple[DossierState, int]]:
    """The round's dossiers this user may see, counted by state, in the states' order."""
    counts = dict(
        dossiers_visible_to(user)
        .filter(round=round_obj)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(state, counts[state]) for state in DossierState if state in counts]


def round_progress_by_unit(user, round_obj: Round) -> list[dict]:
    """Per first-level unit (the commune under 1489/2025, the district before), the round's
    dossiers this user may see: waiting for its working group's check, returned to the
    producer, and accepted (forwarded, under 1489) waiting for a council. One query."""
    return list(
        dossiers_visible_to(user)
        .filter(round=round_obj)
        .exclude(state=DossierState.WITHDRAWN)
        .values("first_level_unit_id", "first_level_unit__code", "first_level_unit__name")
        .annotate(
            to_check=Count("pk", filter=Q(state__in=DOSSIER_WAITING_FOR_CHECK)),
            returned=Count("pk", filter=Q(state=DossierState.RETURNED)),
            waiting_for_council=Count("pk", filter=Q(state=DossierState.ACCEPTED)),
            total=Count("pk"),
        )
        .order_by("first_level_unit__code")
    )


def commune_assessment_of(dossier: Dossier) -> CommuneAssessment | None:
    """The commune's assessment and letter, once it forwarded the dossier (under 1489)."""
    return CommuneAssessment.objects.filter(dossier_id=dossier.pk).first()


def central_candidates(round_obj: Round) -> list[Dossier]:
    """A round's dossiers waiting for the central level's result, oldest first."""
    return list(
        Dossier.objects.filter(round=round_obj, state=DossierState.FORWARDED, level=Level.CENTRAL)
        .select_related("product__producer", "round", "first_level_unit")
        .order_by("round__year", "round__number", "pk")
    )


@dataclass(frozen=True)
class ForwardedDossier:
    """A dossier a first-level unit forwarded to the province in a round, with the unit's
    result: its council's score and stars where the first level scores (a district), else
    the commune's assessment and letter (under 1489/2025)."""

    dossier: Dossier
    score: Decimal | None = None
    stars: int | None = None
    assessment: CommuneAssessment | None = None


@dataclass(frozen=True)
class Forwarding:
    """What a first-level unit forwarded to the province in a round."""

    unit: AdministrativeUnit
    # Its council scored the products (a district); else its working group assessed them.
    scores: bool
    dossiers: list[ForwardedDossier]


# What a forwarded dossier's row shows of its product.
FORWARDED_RELATED = ("product__producer__address_unit", "product__product_set")


def forwarding_for(user, round_obj: Round) -> Forwarding | None:
    """For the working group of a first-level unit (the district under 1048/2019 and
    148/2023, the commune under 1489/2025), the round's dossiers its unit forwarded to the
    province, by product name: those its council's final result forwarded, or, where the
    first level does not score, those it forwarded with its assessment. None for anyone else
    (the province, a commune under 148/2023, producers). Two queries."""
    if not officer_unit_id(user) or not user.has_perm("evaluations.check_dossier"):
        return None
    level = checking_level(round_obj.regime)
    unit = user.jurisdiction
    if level is None or unit.level != level.level:
        return None
    mine = {"dossier__round": round_obj, "dossier__first_level_unit": unit}
    related = [f"dossier__{path}" for path in FORWARDED_RELATED]
    order = ("dossier__product__name", "pk")
    if not level.scores:
        assessments = (
            CommuneAssessment.objects.filter(**mine).select_related(*related).order_by(*order)
        )
        rows = [ForwardedDossier(dossier=a.dossier, assessment=a) for a in assessments]
        return Forwarding(unit=unit, scores=False, dossiers=rows)
    results = (
        LevelResult.objects.filter(level=unit.level, outcome=Outcome.FORWARDED, **mine)
        .select_related(*related)
        .order_by(*order)
    )
    rows = [
        ForwardedDossier(dossier=r.dossier, score=r.display_mean, stars=r.stars) for r in results
    ]
    return Forwarding(unit=unit, scores=True, dossiers=rows)


def member_round_dossiers(user, round_obj: Round) -> QuerySet[Dossier]:
    """The dossiers of the user's own producers in a round."""
    return dossier_list(
        dossiers_visible_to(user).filter(
            round=round_obj, product__producer_id__in=member_producer_ids(user)
        )
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


def dossier_documents(dossier: Dossier) -> list[EvidenceDocument]:
    """The documents that go with the dossier, by kind."""
    return list(dossier.documents.order_by("kind", "pk"))


def dossier_document_ids(dossier: Dossier) -> set[int]:
    return set(dossier.documents.values_list("pk", flat=True))


def dossier_versions(dossier: Dossier) -> list[DossierVersion]:
    """The submitted versions of the dossier, first to last."""
    return list(
        DossierVersion.objects.filter(dossier=dossier)
        .select_related("submitted_by")
        .order_by("number")
    )


def dossiers_using_document(document: EvidenceDocument) -> QuerySet[Dossier]:
    """The dossiers still changeable (draft, returned) that carry the document, in their
    documents or as a criterion's evidence: those a new version of it replaces it in."""
    carrying = Q(documents=document) | Q(answers__documents=document)
    return (
        Dossier.objects.filter(
            pk__in=Dossier.objects.filter(carrying).values("pk"),
            state__in=list(DOSSIER_EDITABLE),
        )
        .select_related("product", "round")
        .order_by("pk")
    )


def dossier_library(dossier: Dossier) -> QuerySet[EvidenceDocument]:
    """What the dossier's pages offer: the product's current library, and the documents the
    dossier (or a criterion's evidence) already carries, a version the producer kept on
    purpose included, so that saving the page does not drop it."""
    carried = Q(dossiers=dossier) | Q(pk__in=dossier.answers.values("documents"))
    return (
        EvidenceDocument.objects.filter(producer_id=dossier.product.producer_id)
        .filter(
            Q(superseded_by__isnull=True, product__isnull=True)
            | Q(superseded_by__isnull=True, product_id=dossier.product_id)
            | carried
        )
        .distinct()
        .order_by("kind", "-uploaded_at", "-pk")
    )


def library_documents(product: Product) -> QuerySet[EvidenceDocument]:
    """The producer's current documents that may go with a dossier of this product: those
    about the producer as a whole and those about this product."""
    return (
        EvidenceDocument.objects.filter(producer_id=product.producer_id, superseded_by__isnull=True)
        .filter(Q(product__isnull=True) | Q(product_id=product.pk))
        .order_by("kind", "-uploaded_at", "-pk")
    )


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


def returned_criteria(dossier: Dossier) -> dict[str, list[str]]:
    """Criterion key → the working group's reasons, while the dossier is returned."""
    if dossier.state != DossierState.RETURNED:
        return {}
    event = last_return(dossier)
    reasons: dict[str, list[str]] = {}
    for reason in event.reasons.all() if event else []:
        if reason.item_kind == ReturnItemKind.CRITERION:
            reasons.setdefault(reason.item_ref, []).append(reason.reason)
    return reasons


# --- the self-assessment as stored ---------------------------------------------------------


@dataclass(frozen=True)
class SelfAssessment:
    """A dossier's stored self-assessment: its form, the answers, and what they score."""

    spec: FormSpec
    answers: dict[str, SelfAssessmentAnswer]
    score: PartialScore | None


def self_assessment_of(dossier: Dossier) -> SelfAssessment:
    """The dossier's form as the engine reads it, its stored answers and their score."""
    spec = form_spec(dossier.scoring_form)
    answers = dossier_answers(dossier)
    options = {key: a.option_key for key, a in answers.items() if a.option_key}
    return SelfAssessment(spec=spec, answers=answers, score=score_or_none(spec, options))


@dataclass
class SummaryRow:
    key: str
    label: str
    depth: int
    is_leaf: bool
    option: str = ""
    points: Decimal | None = None
    note: str = ""
    documents: tuple = ()


def _summary_rows(
    criterion: CriterionSpec, answers: dict[str, SelfAssessmentAnswer], depth: int
) -> Iterator[SummaryRow]:
    answer = answers.get(criterion.key)
    option = (
        next((o for o in criterion.options if answer and o.key == answer.option_key), None)
        if criterion.is_leaf
        else None
    )
    yield SummaryRow(
        key=criterion.key,
        label=criterion.label,
        depth=depth,
        is_leaf=criterion.is_leaf,
        option=option.label if option else "",
        points=option.points if option else None,
        note=answer.note if answer else "",
        documents=tuple(answer.documents.all()) if answer else (),
    )
    for child in criterion.children:
        yield from _summary_rows(child, answers, depth + 1)


def self_assessment_summary(assessment: SelfAssessment) -> list[dict]:
    """The self-assessment as answered: per part, per group, the criteria counted (the
    chosen case of a choose-one group only); the evidence comes prefetched."""
    cases = assessment.score.chosen_cases if assessment.score else {}
    parts = []
    for part in assessment.spec.parts:
        groups = []
        for group in part.groups:
            counted = [
                c for c in group.criteria if not group.choose_one or cases.get(group.key) == c.key
            ]
            groups.append(
                {
                    "spec": group,
                    "rows": [r for c in counted for r in _summary_rows(c, assessment.answers, 0)],
                    "counted": counted,
                }
            )
        parts.append({"spec": part, "groups": groups})
    return parts
