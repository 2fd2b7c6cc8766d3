"""Reads scoped to what a user may see. List views use these, so others' objects are 404.

They answer in SQL the question `products.rules.can_view_producer` answers for one object:
a producer is visible to its members and to officers whose jurisdiction contains its
commune (superusers see everything, as Django's permission checks let them).
"""

import datetime
from dataclasses import dataclass

import rules
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from ocop.core.enums import OFFICER_ROLES, Role, UnitLevel
from ocop.core.models import AdministrativeUnit, UnitSuccession, User
from ocop.core.rules import is_administrator
from ocop.core.selectors import in_unit_q, province_of
from products.enums import ChangeRequestState, FairPeriod, OutletKind, SalesPointKind
from products.models import (
    EvidenceDocument,
    Outlet,
    Producer,
    ProducerMember,
    Product,
    ProductChangeRequest,
    ProductPhoto,
    SalesPoint,
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


# --- where to buy (decision 0030) ---------------------------------------------------------
# Public reads for the catalogue's pages: what a producer published and what the province's
# OCOP office marked. Nothing of the producer's private profile (its own phone, its
# representative) is read here.

# Shops first, then the producer's own site, then e-commerce pages.
_SALES_POINT_KIND_ORDER = Case(
    When(kind=SalesPointKind.SHOP, then=Value(0)),
    When(kind=SalesPointKind.WEBSITE, then=Value(1)),
    default=Value(2),
)
# Points of sale first, then fairs by their first day.
_OUTLET_KIND_ORDER = Case(When(kind=OutletKind.POINT_OF_SALE, then=Value(0)), default=Value(1))


@dataclass(frozen=True)
class WhereToBuy:
    """Where a product is sold: the producer's places listing it (shops, then online), the
    office's points of sale and fairs listing it, and the points of sale and fairs of the
    producer's province that list no product (they stand for all its OCOP products). Fairs
    that have ended are left out."""

    sales_points: tuple[SalesPoint, ...] = ()
    outlets: tuple[Outlet, ...] = ()
    province_outlets: tuple[Outlet, ...] = ()

    @property
    def shops(self) -> tuple[SalesPoint, ...]:
        return tuple(p for p in self.sales_points if p.is_shop)

    @property
    def online(self) -> tuple[SalesPoint, ...]:
        return tuple(p for p in self.sales_points if not p.is_shop)

    @property
    def is_empty(self) -> bool:
        return not (self.sales_points or self.outlets or self.province_outlets)


def _not_ended_q(today: datetime.date) -> Q:
    return Q(kind=OutletKind.POINT_OF_SALE) | Q(last_day__gte=today)


def _todays_provinces_of(unit: AdministrativeUnit | None):
    """The provinces of today's map an address lies in, as a filter on `province_id`: the
    address's own province, or, for a commune of the old map, the provinces its territory
    went to (a subquery, no query of its own). Uses the parents already loaded with `unit`."""
    province = province_of(unit)
    q = Q(province_id=province.pk) if province is not None else Q(pk__in=[])
    if unit is not None and unit.valid_until is not None:
        went_to = (
            UnitSuccession.objects.filter(old_id=unit.pk)
            .annotate(province=Coalesce("new__parent_id", "new_id"))
            .values("province")
        )
        q |= Q(province_id__in=went_to)
    return q


def _address_of(product: Product) -> AdministrativeUnit | None:
    """The product's producer's commune with its parents: from what the caller loaded
    (`select_related("producer__address_unit__parent__parent")`), else in one query."""
    loaded = Product.producer.is_cached(product)
    if loaded:
        producer = product.producer
        loaded = Producer.address_unit.is_cached(producer)
        unit = producer.address_unit if loaded else None
        while loaded and unit is not None and unit.level != UnitLevel.PROVINCE:
            loaded = AdministrativeUnit.parent.is_cached(unit) or unit.parent_id is None
            unit = unit.parent if loaded else None
    if not loaded:
        producer = Producer.objects.select_related("address_unit__parent__parent").get(
            pk=product.producer_id
        )
    return producer.address_unit


def where_to_buy(product: Product, today: datetime.date) -> WhereToBuy:
    """Where to buy `product` on `today`, in two queries (three when the product comes
    without its producer's address: `select_related("producer__address_unit__parent__parent")`
    saves that one)."""
    sales_points = (
        SalesPoint.objects.filter(producer_id=product.producer_id, products=product)
        .select_related("address_unit__parent")
        .annotate(kind_order=_SALES_POINT_KIND_ORDER)
        .order_by("kind_order", "order", "name", "pk")
    )
    lists_product = Exists(
        Outlet.products.through.objects.filter(outlet_id=OuterRef("pk"), product_id=product.pk)
    )
    lists_any = Exists(Outlet.products.through.objects.filter(outlet_id=OuterRef("pk")))
    outlets = list(
        Outlet.objects.annotate(lists_product=lists_product, lists_any=lists_any)
        .filter(_not_ended_q(today))
        .filter(
            Q(lists_product=True)
            | (Q(lists_any=False) & _todays_provinces_of(_address_of(product)))
        )
        .select_related("province", "address_unit__parent")
        .annotate(kind_order=_OUTLET_KIND_ORDER)
        .order_by("kind_order", "first_day", "name", "pk")
    )
    return WhereToBuy(
        sales_points=tuple(sales_points),
        outlets=tuple(o for o in outlets if o.lists_product),
        province_outlets=tuple(o for o in outlets if not o.lists_product),
    )


def producer_sales_points(producer: Producer, *, public=None) -> list[SalesPoint]:
    """The producer's places to buy (shops, then online), each with its products and its
    commune's province, in two queries. `public`: the products that may be named (a
    queryset of Product, e.g. those in the catalogue); a place naming none of them is left
    out."""
    products = Product.objects.order_by("name", "pk")
    points = producer.sales_points.all()
    if public is not None:
        products = products.filter(pk__in=public.values("pk"))
        points = points.filter(products__in=public.values("pk")).distinct()
    return list(
        points.select_related("address_unit__parent")
        .prefetch_related(Prefetch("products", queryset=products))
        .annotate(kind_order=_SALES_POINT_KIND_ORDER)
        .order_by("kind_order", "order", "name", "pk")
    )


def _sold_places(today: datetime.date):
    """(product, province of today's map) of the shops and of the points of sale and fairs
    not yet ended that list the product, as two querysets of pairs."""
    shops = SalesPoint.products.through.objects.filter(salespoint__kind=SalesPointKind.SHOP)
    outlets = Outlet.products.through.objects.filter(
        Q(outlet__kind=OutletKind.POINT_OF_SALE) | Q(outlet__last_day__gte=today)
    )
    return (
        shops.values_list("product_id", "salespoint__address_unit__parent_id"),
        outlets.values_list("product_id", "outlet__province_id"),
    )


def products_sold_in(
    provinces: QuerySet[AdministrativeUnit], today: datetime.date
) -> QuerySet[Product]:
    """The products sold near one of `provinces` (provinces of either map; an old one stands
    for the provinces of today's map it went to): with a shop in one of their communes, or
    listed by one of their OCOP points of sale or fairs not yet ended. Pages online are not
    "near" anywhere; points of sale listing no product name none. Lazy (no query until read),
    for `product_id__in=products_sold_in(...).values("pk")`."""
    today_ids = AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).filter(
        Q(pk__in=provinces.values("pk")) | Q(predecessors__in=provinces.values("pk"))
    )
    shops, outlets = _sold_places(today)
    shop_products = shops.filter(salespoint__address_unit__parent_id__in=today_ids.values("pk"))
    outlet_products = outlets.filter(outlet__province_id__in=today_ids.values("pk"))
    return Product.objects.filter(
        Q(pk__in=shop_products.values("product_id"))
        | Q(pk__in=outlet_products.values("product_id"))
    )


def sold_in_counts(products: QuerySet[Product], today: datetime.date) -> dict[int, int]:
    """How many of `products` are sold near each province of today's map (as
    `products_sold_in`): province id → count, in two queries."""
    shops, outlets = _sold_places(today)
    ids = products.values("pk")
    pairs = set(shops.filter(product_id__in=ids)) | set(outlets.filter(product_id__in=ids))
    counts: dict[int, int] = {}
    for _product, province in pairs:
        counts[province] = counts.get(province, 0) + 1
    return counts


def sales_points_of_member(user) -> QuerySet[SalesPoint]:
    """The places to buy of the producer the account acts for (others' are 404)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return SalesPoint.objects.none()
    return SalesPoint.objects.filter(
        producer__in=ProducerMember.objects.filter(user_id=user.pk).values("producer_id")
    )


def outlets_for_office(user) -> QuerySet[Outlet]:
    """The points of sale and fairs an office manages: its own province's, on today's map;
    an administrator's, every province's. Points of sale first, then fairs, newest first."""
    if not rules.test_rule("products.manage_outlets", user):
        return Outlet.objects.none()
    outlets = Outlet.objects.all()
    if not is_administrator.test(user):
        outlets = outlets.filter(province_id=user.jurisdiction_id)
    return (
        outlets.select_related("province", "address_unit__parent")
        .annotate(product_count=Count("products"), kind_order=_OUTLET_KIND_ORDER)
        .order_by("kind_order", "-first_day", "name", "pk")
    )


def outlets_in_period(outlets: QuerySet[Outlet], period: str, today: datetime.date):
    """Fairs upcoming, under way or past on `today` (`FairPeriod`)."""
    fairs = outlets.filter(kind=OutletKind.FAIR)
    if period == FairPeriod.UPCOMING:
        return fairs.filter(first_day__gt=today)
    if period == FairPeriod.ONGOING:
        return fairs.filter(first_day__lte=today, last_day__gte=today)
    if period == FairPeriod.PAST:
        return fairs.filter(last_day__lt=today)
    return outlets


def outlet_product_choices(
    province: AdministrativeUnit | None, *, listed: Outlet | None = None
) -> QuerySet[Product]:
    """The products an outlet of `province` may list: the OCOP products (standing
    recognised) of producers whose commune lies in it, old map included; and those the
    outlet `listed` lists already."""
    if province is None:
        return Product.objects.none()
    keep = Q(ocop_stars__isnull=False)
    if listed is not None and listed.pk:
        keep |= Q(pk__in=listed.products.values("pk"))
    return (
        Product.objects.filter(in_unit_q(province.pk, field="producer__address_unit"))
        .filter(keep)
        .select_related("producer")
        .order_by("name", "pk")
    )
