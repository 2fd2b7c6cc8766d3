"""Reads scoped to what a user may see. List views use these, so others' objects are 404.

They answer in SQL the question `products.rules.can_view_producer` answers for one object:
a producer is visible to its members and to officers whose jurisdiction contains its
commune (superusers see everything, as Django's permission checks let them).
"""

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When

from ocop.core.enums import OFFICER_ROLES, Role
from ocop.core.models import User
from ocop.core.selectors import in_unit_q, province_of
from products.enums import ChangeRequestState
from products.models import (
    EvidenceDocument,
    Producer,
    ProducerMember,
    Product,
    ProductChangeRequest,
    ProductPhoto,
)


def _is_officer(user) -> bool:
    return bool(getattr(user, "role_names", frozenset()) & {r.value for r in OFFICER_ROLES})


def _visible_q(user) -> Q | None:
    """None: nothing visible; Q(): everything."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    q = Q(pk__in=ProducerMember.objects.filter(user_id=user.pk).values("producer_id"))
    if _is_officer(user) and user.jurisdiction_id:
        q |= in_unit_q(user.jurisdiction_id)
    return q


def producers_visible_to(user) -> QuerySet[Producer]:
    q = _visible_q(user)
    if q is None:
        return Producer.objects.none()
    return Producer.objects.filter(q)


def producers_in_jurisdiction(user) -> QuerySet[Producer]:
    """The officer's list: producers whose commune lies in the officer's jurisdiction."""
    if not _is_officer(user) or not user.jurisdiction_id:
        return Producer.objects.none()
    return Producer.objects.filter(in_unit_q(user.jurisdiction_id))


def producer_list_for_officer(user) -> QuerySet[Producer]:
    """The officer's list (`products.filters.ProducerFilter` narrows it), newest first."""
    return (
        producers_in_jurisdiction(user)
        .select_related("address_unit__parent__parent")
        .annotate(product_count=Count("products", distinct=True))
        .order_by("-created_at", "name")
    )


def products_visible_to(user) -> QuerySet[Product]:
    q = _visible_q(user)
    if q is None:
        return Product.objects.none()
    return Product.objects.filter(producer__in=Producer.objects.filter(q))


def documents_visible_to(user) -> QuerySet[EvidenceDocument]:
    """Evidence documents the user may download (the dossier pages use this too)."""
    q = _visible_q(user)
    if q is None:
        return EvidenceDocument.objects.none()
    return EvidenceDocument.objects.filter(producer__in=Producer.objects.filter(q))


def photos_visible_to(user) -> QuerySet[ProductPhoto]:
    return ProductPhoto.objects.filter(product__in=products_visible_to(user))


def producer_of_member(user) -> Producer | None:
    """The producer the account acts for (an account belongs to at most one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Producer.objects.filter(members__user_id=user.pk)
        .select_related("address_unit__parent__parent")
        .first()
    )


def membership_of(user, producer: Producer) -> ProducerMember | None:
    return ProducerMember.objects.filter(producer=producer, user_id=user.pk).first()


def producer_products(producer: Producer) -> QuerySet[Product]:
    """A producer's products with their set and photos (for thumbnails), in two queries."""
    return (
        producer.products.select_related("product_set")
        .prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("order", "pk")))
        .order_by("name")
    )


def producer_documents(
    producer: Producer, *, include_superseded: bool = False
) -> QuerySet[EvidenceDocument]:
    documents = producer.documents.select_related("product", "uploaded_by", "superseded_by")
    if not include_superseded:
        documents = documents.filter(superseded_by__isnull=True)
    return documents.order_by("kind", "-uploaded_at", "-pk")


def producer_members(producer: Producer) -> QuerySet[ProducerMember]:
    return producer.members.select_related("user").order_by("-role", "joined_at")


def change_requests_for_office(user) -> QuerySet[ProductChangeRequest]:
    """Requests about products of producers in a province officer's jurisdiction: pending
    ones first, oldest first; then decided ones, newest first."""
    if not user.has_role(Role.PROVINCE_OFFICER) or not user.jurisdiction_id:
        return ProductChangeRequest.objects.none()
    pending_first = Case(When(state=ChangeRequestState.PENDING, then=0), default=1)
    return (
        ProductChangeRequest.objects.filter(
            in_unit_q(user.jurisdiction_id, field="product__producer__address_unit")
        )
        .select_related(
            "product__producer", "product_set", "old_product_set", "requested_by", "decided_by"
        )
        .annotate(pending_first=pending_first)
        .order_by("pending_first", "requested_at", "pk")
    )


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


def producer_users(producer_id: int) -> QuerySet[User]:
    return User.objects.filter(is_active=True, producer_memberships__producer_id=producer_id)


# TEMPORARY (replaced by the where-to-buy branch): the catalogue's pages call these.
def where_to_buy(product, today):
    from types import SimpleNamespace

    return SimpleNamespace(sales_points=[], outlets=[], province_outlets=[], is_empty=True)


def producer_sales_points(producer):
    return []
