"""Reads of rounds and dossiers: visibility, inbox, checklist, history."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, Prefetch, Q, QuerySet, When
from django.utils import timezone

from evaluations.enums import DOSSIER_WAITING_FOR_CHECK, DossierAction, DossierState
from evaluations.models import (
    Dossier,
    DossierEvent,
    RequiredDocument,
    Round,
    SelfAssessmentAnswer,
)
from ocop.core.enums import Role
from ocop.core.selectors import in_unit_q, officer_unit_id, province_of
from products.enums import DocumentKind
from products.models import EvidenceDocument, Producer, Product
from products.selectors import member_producer_ids, member_province_ids


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
