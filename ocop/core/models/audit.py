import datetime
import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries are append-only.")

    def delete(self):
        raise AppendOnlyError("Audit entries are append-only.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are append-only.")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are written one by one by ocop.core.audit.")


class AuditEntry(models.Model):
    """One recorded change. Each entry carries the hash of the previous one (a hash chain)."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    at = models.DateTimeField(_("time"), editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    action = models.CharField(_("action"), max_length=100, db_index=True, editable=False)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, editable=False
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True, editable=False)
    object_repr = models.CharField(_("object"), max_length=255, blank=True, editable=False)
    data = models.JSONField(_("data"), default=dict, encoder=DjangoJSONEncoder, editable=False)
    # The area the entry is about (the object's commune, district or province), for showing
    # officers the entries of their jurisdiction. Derived from the object when written and
    # back-filled by migration 0005; deliberately outside the hash (docs/decisions/0014).
    unit = models.ForeignKey(
        "core.AdministrativeUnit",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are append-only.")

    def payload(self) -> dict:
        """The fields the hash covers, in a stable, database-independent form.

        `unit` is not among them: it is an index for scoping, derived from the object, and
        adding it would change the hash of every entry written before it existed.
        """
        return {
            "seq": self.seq,
            "at": self.at.astimezone(datetime.UTC).isoformat() if self.at else None,
            "actor": self.actor_id,
            "action": self.action,
            "content_type": self.content_type_id,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "data": self.data,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(
            self.payload(),
            cls=DjangoJSONEncoder,
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AuditChainHead(models.Model):
    """A single row locked by every writer so that the chain never forks."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="audit_head_singleton")
        ]

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"
