"""Writing and verifying the audit log.

Every service that changes state calls `audit_log` inside its own `transaction.atomic()`
block, so the change and its record commit or roll back together.
"""

import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from ocop.core.models import AuditChainHead, AuditEntry
from ocop.core.models.audit import GENESIS_HASH


class AuditOutsideTransactionError(RuntimeError):
    pass


def _normalise(data: dict | None) -> dict:
    """What the JSON column will give back, so the hash is the same before and after saving."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def audit_unit_id(obj: models.Model | None) -> int | None:
    """The administrative unit an object belongs to, for scoping the audit log.

    Models name the path to their unit in `audit_unit_path` ("address_unit",
    "producer__address_unit", ...), so that this app never imports theirs. Related objects
    already loaded are followed without a query; otherwise one query reads the path.
    Objects without a path (national reference data) have no unit: administrators see them.
    """
    path = getattr(obj, "audit_unit_path", "") if obj is not None else ""
    if not path or obj.pk is None:
        return None
    *hops, last = path.split("__")
    current = obj
    for hop in hops:
        field = current._meta.get_field(hop)
        if not field.is_cached(current):
            return (
                type(obj)
                ._base_manager.filter(pk=obj.pk)
                .values_list(f"{path}__pk", flat=True)
                .first()
            )
        current = getattr(current, hop)
        if current is None:
            return None
    return getattr(current, f"{last}_id")


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    data: dict | None = None,
    unit_id: int | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Must run inside the caller's transaction.

    The entry's area is `unit_id` if given, else the object's (see `audit_unit_id`).
    """
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransactionError(
            "audit_log() must be called inside the transaction of the change it records."
        )
    if unit_id is None:
        unit_id = audit_unit_id(obj)
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    entry = AuditEntry(
        seq=head.last_seq + 1,
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        data=_normalise(data),
        unit_id=unit_id,
        prev_hash=head.last_hash,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    head.last_seq = entry.seq
    head.last_hash = entry.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_audit_chain(batch_size: int = 2000) -> ChainReport:
    """Recompute every hash and link; report the first entry that does not fit."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return ChainReport(checked, entry.seq, f"missing entry before #{entry.seq}")
        if entry.prev_hash != expected_prev:
            return ChainReport(checked, entry.seq, "link to the previous entry is broken")
        if entry.compute_hash() != entry.hash:
            return ChainReport(checked, entry.seq, "content does not match its hash")
        expected_prev = entry.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != expected_prev):
        return ChainReport(checked, checked + 1, f"entries after #{checked} are missing")
    return ChainReport(checked)
