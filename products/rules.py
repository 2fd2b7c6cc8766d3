"""Who may do what with producers, products and documents (django-rules).

Predicates are pure and None-safe. Object permissions are registered under the model
permission names, so `user.has_perm("products.view_producer")` (no object) answers "does the
role allow it" (through the groups) and `user.has_perm("products.view_producer", producer)`
answers "may this user see this producer". Lists use `products.selectors`, which answers the
same question in SQL.
"""

import rules
from django.utils import timezone

from ocop.core.rules import is_officer, is_province_officer, unit_in_jurisdiction
from products.enums import MemberRole


def _producer_of(obj):
    """The producer an object belongs to (a producer, product, photo or document)."""
    if obj is None:
        return None
    from products.models import (
        EvidenceDocument,
        Producer,
        Product,
        ProductChangeRequest,
        ProductPhoto,
    )

    if isinstance(obj, Producer):
        return obj
    if isinstance(obj, Product | EvidenceDocument):
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
