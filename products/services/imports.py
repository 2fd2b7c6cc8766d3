"""Producers and products of the historical import (evaluations.history): created from a
published decision, not registered through the registry. Called inside the import's
transaction, which checked who imports; each creation is audited there."""

from django.utils import timezone

from ocop.core.audit import audit_log
from ocop.core.models import AdministrativeUnit, User
from products.enums import ProducerState
from products.models import Producer, Product, ProductSet

# The producer a decision did not name, one per unit: its products are kept under it.
UNPUBLISHED_PRODUCER_NAME = "(Chủ thể chưa được công bố)"


def producer_import(*, name: str, kind: str, unit: AdministrativeUnit, actor: User) -> Producer:
    """A producer named in a published decision (or, with an empty name, the unit's
    placeholder for the producers not named). It counts as verified: a People's Committee
    recognised its products. Its numbers, representative and phone were not published."""
    producer = Producer.objects.create(
        kind=kind,
        name=name or UNPUBLISHED_PRODUCER_NAME,
        registration_no=None,
        tax_code=None,
        representative_name="",
        representative_title="",
        representative_gender="",
        address_unit=unit,
        phone="",
        state=ProducerState.VERIFIED,
        verified_at=timezone.now(),
        imported=True,
        name_published=bool(name),
    )
    audit_log(
        actor=actor,
        action="producer.import",
        obj=producer,
        data={"name": producer.name, "kind": kind, "unit": unit.code},
    )
    return producer


def product_import(
    *, producer: Producer, name: str, product_set: ProductSet, actor: User
) -> Product:
    product = Product.objects.create(
        producer=producer, name=name, product_set=product_set, imported=True
    )
    audit_log(
        actor=actor,
        action="product.import",
        obj=product,
        data={"name": name, "product_set": product_set.number},
    )
    return product
