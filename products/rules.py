"""Who may do what with producers, products and documents (django-rules).

Predicates are pure and None-safe. Object permissions are registered under the model
permission names, so `user.has_perm("products.view_producer")` (no object) answers "does the
role allow it" (through the groups) and `user.has_perm("products.view_producer", producer)`
answers "may this user see this producer". Lists use `products.selectors`, which answers the
same question in SQL.
"""

import rules
from django.utils import timezone

from ocop.core.enums import UnitLevel
from ocop.core.rules import (
    is_administrator,
    is_officer,
    is_province_officer,
    unit_in_jurisdiction,
)
from products.enums import MemberRole


def _producer_of(obj):
    """The producer an object belongs to (a producer, product, photo, document or place to
    buy)."""
    if obj is None:
        return None
    from products.models import (
        EvidenceDocument,
        Producer,
        Product,
        ProductChangeRequest,
        ProductPhoto,
        SalesPoint,
    )

    if isinstance(obj, Producer):
        return obj
    if isinstance(obj, Product | EvidenceDocument | SalesPoint):
        return obj.producer
    if isinstance(obj, ProductPhoto | ProductChangeRequest):
        return obj.product.producer
    return None


def _membership_role(user, producer) -> str | None:
    if producer is None or not getattr(user, "pk", None) or not user.is_active:
        return None
    from products.models import ProducerMember

    return (
        ProducerMember.objects.filter(producer_id=producer.pk, user_id=user.pk)
        .values_list("role", flat=True)
        .first()
    )


@rules.predicate
def is_member_of_producer(user, obj) -> bool:
    """The user acts for the producer this object belongs to."""
    return _membership_role(user, _producer_of(obj)) is not None


@rules.predicate
def is_owner_of_producer(user, obj) -> bool:
    return _membership_role(user, _producer_of(obj)) == MemberRole.OWNER


@rules.predicate
def producer_in_jurisdiction(user, obj) -> bool:
    """The user is an officer whose jurisdiction contains the producer's commune."""
    producer = _producer_of(obj)
    if producer is None or not is_officer.test(user):
        return False
    return unit_in_jurisdiction.test(user, producer.address_unit)


@rules.predicate
def works_on_todays_map(user) -> bool:
    """The officer's area is a unit of the map in force today (not an abolished district
    kept for the history it handled)."""
    unit = user.jurisdiction if getattr(user, "jurisdiction_id", None) else None
    return unit is not None and unit.in_force_on(timezone.localdate())


@rules.predicate
def producer_has_no_owner(user, obj) -> bool:
    producer = _producer_of(obj)
    if producer is None or producer.pk is None:
        return False
    return not producer.members.filter(role=MemberRole.OWNER).exists()


@rules.predicate
def works_for_a_province_of_todays_map(user) -> bool:
    """The user's area is a province of the map in force today (the OCOP office of a
    province that exists now, not of one merged into another in 2025)."""
    unit = user.jurisdiction if getattr(user, "jurisdiction_id", None) else None
    return (
        unit is not None
        and unit.level == UnitLevel.PROVINCE
        and unit.in_force_on(timezone.localdate())
    )


@rules.predicate
def outlet_in_own_province(user, obj) -> bool:
    """The outlet (or the province of one to be created) is the user's own province."""
    if obj is None or not getattr(user, "jurisdiction_id", None):
        return False
    from ocop.core.models import AdministrativeUnit

    province_id = obj.pk if isinstance(obj, AdministrativeUnit) else obj.province_id
    return province_id is not None and province_id == user.jurisdiction_id


# Seeing a producer's profile, products, photos and documents.
can_view_producer = is_member_of_producer | producer_in_jurisdiction
# Verifying or returning a registration.
can_verify_producer = producer_in_jurisdiction
# Correcting the profile (the services also require an editable state).
can_change_producer = is_member_of_producer
# Inviting members: the owner; or an officer of the area for a producer nobody owns yet
# (an officer created it), so that its first member can be brought in.
can_invite_member = is_owner_of_producer | (producer_in_jurisdiction & producer_has_no_owner)
# Products and documents are kept by the producer's members.
can_change_products = is_member_of_producer

# A certified product's new name or product set: asked by its members, decided by the
# province's OCOP office (the level that keeps the register of certificates).
can_request_product_change = is_member_of_producer
can_decide_product_change = is_province_officer & producer_in_jurisdiction

rules.add_perm("products.list_producers", is_officer)
rules.add_perm("products.view_producer", can_view_producer)
rules.add_perm("products.change_producer", can_change_producer)
rules.add_perm("products.verify_producer", can_verify_producer)
# Saying which commune of today's map an address of the old map lies in (asked once).
rules.add_perm(
    "products.locate_producer", can_change_producer | (can_verify_producer & works_on_todays_map)
)
rules.add_perm("products.invite_member", can_invite_member)
rules.add_perm("products.view_product", can_view_producer)
rules.add_perm("products.add_product", can_change_products)
rules.add_perm("products.change_product", can_change_products)
rules.add_perm("products.view_evidencedocument", can_view_producer)
rules.add_perm("products.add_evidencedocument", can_change_products)
rules.add_perm("products.add_productchangerequest", can_request_product_change)
rules.add_perm("products.view_productchangerequest", can_decide_product_change)
rules.add_perm("products.decide_productchangerequest", can_decide_product_change)

# Where to buy (decision 0030). A producer's places to buy are kept by its members, as its
# products are; the object is the producer or the place.
rules.add_perm("products.add_salespoint", can_change_products)
rules.add_perm("products.change_salespoint", can_change_products)
rules.add_perm("products.delete_salespoint", can_change_products)
# The OCOP points of sale and fairs: the OCOP office of a province of today's map, for its
# province; an administrator, for any (as for the historical import). A rule, not a
# permission: a superuser without the role gets no such page either.
can_manage_outlets = (is_province_officer & works_for_a_province_of_todays_map) | is_administrator
rules.add_rule("products.manage_outlets", can_manage_outlets)
# The object is the outlet, or the province of one to be created.
can_change_outlet = (
    is_province_officer & works_for_a_province_of_todays_map & outlet_in_own_province
) | is_administrator
rules.add_perm("products.add_outlet", can_change_outlet)
rules.add_perm("products.change_outlet", can_change_outlet)
rules.add_perm("products.delete_outlet", can_change_outlet)
