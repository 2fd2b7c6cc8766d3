"""Reads for decisions and certificates: what an office may put on a decision, who sees
which certificates, what their pages and PDFs show, and the public register."""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.db.models.lookups import Contains

from evaluations.certificates.models import number_key as stored_number_key
from evaluations.certificates.validity import with_status
from evaluations.enums import CertificateStatus, DecisionState, DossierState, ItemState, Outcome
from evaluations.models import (
    Certificate,
    Decision,
    DecisionItem,
    Inspection,
    InspectionAttachment,
    LevelResult,
    Revocation,
)
from ocop.core.enums import UnitLevel
from ocop.core.models import AdministrativeUnit
from ocop.core.search import fold, search_terms
from ocop.core.selectors import (
    in_unit_q,
    officer_unit_id,
    province_of,
    unit_at_level,
    units_within,
)
from products.models import ProducerMember


def recognisable_results(
    issuer: AdministrativeUnit, level: str | None = None
) -> QuerySet[LevelResult]:
    """Final results whose stars `issuer`'s level (or `level`: the central one, whose results
    the province's office records) recognises, for dossiers of its area, that are on no
    decision yet: the products its People's Committee may recognise now."""
    level = level or issuer.level
    return (
        LevelResult.objects.filter(
            in_unit_q(issuer.pk, field="dossier__first_level_unit"),
            Q(item__state=ItemState.FINAL) | Q(item__isnull=True),
            dossier__state=DossierState.RECOGNISED,
            decision_item__isnull=True,
        )
        .filter(
            Q(outcome=Outcome.RECOGNISED, level=level)
            | Q(outcome=Outcome.REFERRED_DOWN, to_level=level)
        )
        .select_related(
            "dossier__product__producer", "dossier__product__product_set", "dossier__round"
        )
        .order_by("dossier__product__name", "pk")
    )


def decisions_visible_to(user) -> QuerySet[Decision]:
    """Officers see the decisions of their jurisdiction's People's Committees and below."""
    unit_id = officer_unit_id(user)
    if not unit_id:
        return Decision.objects.none()
    return Decision.objects.filter(in_unit_q(unit_id, field="issuer")).select_related("issuer")


def certificates_visible_to(user, today: date) -> QuerySet[Certificate]:
    """Officers see the certificates issued in their jurisdiction; members of a producer its
    own; with `current_status`. Subqueries, not joins: the issuer's, the dossier's unit and
    the producer's members would join six tables more, and cost 7 ms of planning a query
    that runs in under 1 ms (`units_within`)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Certificate.objects.none()
    q = Q(producer_id__in=ProducerMember.objects.filter(user_id=user.pk).values("producer_id"))
    unit_id = officer_unit_id(user)
    if unit_id:
        units = units_within(unit_id)
        q |= Q(decision__issuer_id__in=units) | Q(dossier__first_level_unit_id__in=units)
    return with_status(
        Certificate.objects.filter(q).select_related("product_set", "decision__issuer"), today
    )


def public_certificates(today: date) -> QuerySet[Certificate]:
    """Every certificate of an issued decision, for the public page and the open-data API."""
    return with_status(
        Certificate.objects.select_related(
            "product_set",
            "producer",
            "producer_address_unit__parent__parent",
            "decision__issuer",
        ),
        today,
    ).order_by("-issued_on", "number")


def register_rows(today: date) -> QuerySet[Certificate]:
    """What a certificate's public page and the API show, but the producer's unit chain
    (`with_units` reads it apart: three more self-joins cost PostgreSQL more to plan on each
    request than to run), unordered."""
    return with_status(
        Certificate.objects.select_related("product_set", "producer", "decision__issuer"),
        today,
    ).order_by()


def with_units(certificates: list[Certificate]) -> list[Certificate]:
    """`certificates` with each producer's commune and its parents, read in one query."""
    ids = {c.producer_address_unit_id for c in certificates}
    units = AdministrativeUnit.objects.select_related("parent__parent").in_bulk(ids)
    for certificate in certificates:
        certificate.producer_address_unit = units[certificate.producer_address_unit_id]
    return certificates


def first_of(queryset: QuerySet):
    """The first row, or None, without the ORDER BY that `first()` adds."""
    return next(iter(queryset[:1]), None)


def register_page(chosen: QuerySet[Certificate], today: date, start: int, size: int) -> list:
    """One page of the register among `chosen` (filters on the certificate table): the
    page's ids chosen on that table alone, newest first (an index-only scan of the
    register's order), then only those rows read with what they show (three queries)."""
    ids = list(
        chosen.order_by("-issued_on", "number").values_list("pk", flat=True)[start : start + size]
    )
    rows = register_rows(today).in_bulk(ids)
    return with_units([rows[pk] for pk in ids])


def public_certificate(number: str, today: date) -> Certificate | None:
    """The issued certificate with exactly this number (the open-data API), in two queries."""
    certificate = first_of(register_rows(today).filter(number=number))
    return with_units([certificate])[0] if certificate else None


NUMBER_MAX_LENGTH = Certificate._meta.get_field("number").max_length


def number_key(text: str) -> str:
    """A certificate number as compared: letters and digits only, upper case
    ("ocop 17 2025 0001" and "OCOP-17-2025-0001" read the same)."""
    return re.sub(r"[^0-9A-Za-z]", "", fold(text or "")).upper()


def number_matches_q(text: str) -> Q:
    """Certificates whose number contains the one typed, separators and case ignored; only
    when a digit was typed (a word such as "Ốc" would otherwise match "OCOP" in every
    number)."""
    key = number_key(text)
    if not any(c.isdigit() for c in key):
        return Q(pk__in=[])
    return Q(Contains(stored_number_key(), key))


def find_certificate(number: str, today: date) -> Certificate | None:
    """The issued certificate with this number, as typed by hand: trimmed, letter case,
    spaces and dashes ignored ("ocop 17 2025 0001"). With what its public page shows, in
    two queries (three when not typed as stored)."""
    number = number.strip()
    if not number or len(number) > NUMBER_MAX_LENGTH:
        return None
    key = number_key(number)
    if not key:
        return None
    certificates = register_rows(today).select_related("revocation", "superseded_by")
    certificate = first_of(certificates.filter(number=number)) or first_of(
        # Another case or other separators: served by the index on this expression.
        certificates.annotate(number_key=stored_number_key()).filter(number_key=key)
    )
    return with_units([certificate])[0] if certificate else None


VERIFY_NAME_MATCHES = 20


def certificates_named(text: str, today: date) -> list[Certificate]:
    """Issued certificates whose product (or producer) has every word typed, ignoring case
    and tone marks, valid ones first: the verification box's answer to a product name. The
    words are looked for in the folded names (`search_text`, trigram-indexed): folding
    20,000 names per request took 87 ms (docs/benchmarks.md)."""
    terms = search_terms(text)
    if not terms:
        return []
    return list(
        public_certificates(today)
        .filter(*[Q(search_text__contains=term) for term in terms])
        .order_by(
            Case(
                When(
                    current_status__in=[CertificateStatus.VALID, CertificateStatus.EXPIRING],
                    then=0,
                ),
                default=1,
            ),
            "product_name",
            "number",
        )[:VERIFY_NAME_MATCHES]
    )


@dataclass(frozen=True)
class Place:
    district: AdministrativeUnit | None
    province: AdministrativeUnit | None
    # The commune itself (None where an imported result named only a district or province).
    commune: AdministrativeUnit | None = None


def certified_place(certificate: Certificate) -> Place:
    """The district (none under the two-tier map) and province of the producer's commune as
    certified, from the units `public_certificates` selects (no query)."""
    unit = certificate.producer_address_unit
    return Place(
        district=unit_at_level(unit, UnitLevel.DISTRICT),
        province=province_of(unit),
        commune=unit_at_level(unit, UnitLevel.COMMUNE),
    )


# --- the office's pages ----------------------------------------------------------------------


def draft_for(user) -> Decision | None:
    """An unsaved decision of the user's People's Committee, if the user drafts decisions
    for it (the OCOP office of that level), else None."""
    unit_id = officer_unit_id(user)
    if not unit_id:
        return None
    draft = Decision(issuer=user.jurisdiction, level=user.jurisdiction.level)
    return draft if user.has_perm("evaluations.issue_decision", draft) else None


def decision_list(user) -> QuerySet[Decision]:
    """The decisions the officer sees, newest first, with their number of products."""
    # An aggregate drops the model's ordering: say it again.
    return (
        decisions_visible_to(user).annotate(product_count=Count("items")).order_by("-date", "-pk")
    )


def decision_detail() -> QuerySet[Decision]:
    """Decisions with what their page shows of the issuer."""
    return Decision.objects.select_related("issuer__parent")


def decision_items(decision: Decision) -> QuerySet[DecisionItem]:
    """A decision's products, in its order, with their dossier, producer (and its commune,
    up to the province), set, round and the round's regime and criteria version."""
    return decision.items.select_related(
        "result__dossier__product__producer__address_unit__parent__parent",
        "result__dossier__product__product_set",
        "result__dossier__round__regime",
        "result__dossier__round__criteria_version",
    )


@dataclass(frozen=True)
class DecisionProduct:
    """One product of a decision, as its page and its Word draft's annex list it."""

    item: DecisionItem

    @property
    def result(self) -> LevelResult:
        return self.item.result

    @property
    def dossier(self):
        return self.item.result.dossier

    @property
    def product(self):
        return self.dossier.product

    @property
    def producer(self):
        return self.product.producer

    @property
    def commune(self) -> AdministrativeUnit:
        """The producer's commune (on the map it was recorded on)."""
        return self.producer.address_unit

    @property
    def province(self) -> AdministrativeUnit | None:
        return province_of(self.commune)

    @property
    def score(self):
        return self.item.score

    @property
    def stars(self) -> int:
        return self.item.stars


def decision_products(decision: Decision) -> list[DecisionProduct]:
    """A decision's products in its order, with where their producers are (one query)."""
    return [DecisionProduct(item) for item in decision_items(decision)]


def drafted_decisions() -> QuerySet[Decision]:
    """Decisions of a People's Committee, which its office drafts (the ministry's decision
    for 5★ is recorded, not drafted here), with what their drafts show of the issuer."""
    return decision_detail().filter(issuer_name="")


def decision_certificates(decision: Decision, today: date) -> QuerySet[Certificate]:
    """The certificates an issued decision issued, in order, with `current_status`."""
    return with_status(decision.certificates.all(), today).order_by("sequence")


def issued_decisions() -> QuerySet[Decision]:
    """Issued decisions (public: their signed scan and their certificates exist; an imported
    decision has no scan in the registry)."""
    return (
        Decision.objects.filter(state=DecisionState.ISSUED)
        .exclude(signed_scan="", import_batch__isnull=True)
        .select_related("issuer")
    )


def certificate_detail(user, today: date) -> QuerySet[Certificate]:
    """The certificates the user may see, with what their page shows."""
    return certificates_visible_to(user, today).select_related(
        "decision__issuer__parent", "dossier__round", "superseded_by"
    )


def revocation_of(certificate: Certificate) -> Revocation | None:
    """The revocation of a revoked certificate (None for any other)."""
    if certificate.status != CertificateStatus.REVOKED:
        return None
    return Revocation.objects.filter(certificate=certificate).first()


def certificate_inspections(certificate: Certificate) -> QuerySet[Inspection]:
    """A certificate's inspections, newest first, with their attachments (two queries)."""
    return certificate.inspections.prefetch_related(
        Prefetch("attachments", queryset=InspectionAttachment.objects.order_by("pk"))
    )


def inspection_attachments(certificate: Certificate, inspection_id: int):
    """The attachments of one of the certificate's inspections."""
    return InspectionAttachment.objects.filter(
        inspection_id=inspection_id, inspection__certificate=certificate
    )


def issued_certificates() -> QuerySet[Certificate]:
    """Certificates of issued decisions, with their issuer and producer (the PDF page)."""
    return Certificate.objects.filter(decision__state=DecisionState.ISSUED).select_related(
        "decision__issuer", "producer"
    )


# What a printed certificate shows besides itself.
PRINT_RELATED = ("decision__issuer", "product_set", "revocation", "superseded_by")


def certificate_to_print(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_related(*PRINT_RELATED).get(pk=certificate.pk)


def decision_certificates_to_print(decision: Decision) -> QuerySet[Certificate]:
    """Every certificate the decision issued, in the decision's order."""
    return (
        Certificate.objects.filter(decision=decision)
        .select_related(*PRINT_RELATED)
        .order_by("item__order", "item__pk")
    )
