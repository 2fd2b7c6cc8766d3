"""The producer's library of evidence documents.

A stored file never changes (a dossier frozen at submission points at it): a new version of
a document is a new row, and the old one gets `superseded_by`.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocop.core import uploads
from ocop.core.audit import audit_log
from ocop.core.models import User
from products.enums import DocumentKind
from products.models import EvidenceDocument, Producer, Product

DOCUMENT_MAX_BYTES = 20 * uploads.MB


@dataclass(frozen=True)
class DocumentUse:
    """Where a document is in use and still changeable (a draft or returned dossier): a new
    version replaces it there unless the producer keeps the old one on purpose. Apps report
    their uses with an AppConfig method `document_uses(document) -> list[DocumentUse]` and
    replace them in `document_replaced(old, new, keep, actor)`, called inside the upload's
    transaction (products never names the apps that use its documents)."""

    key: str  # unique among the uses, e.g. "dossier-12"
    label: str
    url: str


def _users_of_documents():
    return [c for c in apps.get_app_configs() if hasattr(c, "document_uses")]


def document_uses(document: EvidenceDocument) -> list[DocumentUse]:
    """Where the document is in use and still changeable, across the apps."""
    return [use for config in _users_of_documents() for use in config.document_uses(document)]


def validate_document_dates(issued_on: date | None, valid_until: date | None) -> None:
    if issued_on and valid_until and valid_until < issued_on:
        raise ValidationError(
            {"valid_until": _("The expiry date cannot be before the issue date.")},
            code="expiry_before_issue",
        )


def document_upload(
    *,
    producer: Producer,
    actor: User,
    kind: str,
    title: str,
    upload,
    product: Product | None = None,
    issued_on: date | None = None,
    valid_until: date | None = None,
    replaces: EvidenceDocument | None = None,
    keep: Iterable[str] = (),
) -> EvidenceDocument:
    """Add a document to the library; with `replaces`, as a new version of that one, which
    takes the old one's place wherever it is in use and changeable (`document_uses`) except
    in the uses whose keys are in `keep`."""
    title = (title or "").strip()
    errors = {}
    if kind not in DocumentKind.values:
        errors["kind"] = _("Choose the kind of document.")
    if not title:
        errors["title"] = _("Give the document a title.")
    if product is not None and product.producer_id != producer.pk:
        errors["product"] = _("Choose one of this producer's products.")
    if errors:
        raise ValidationError(errors)
    validate_document_dates(issued_on, valid_until)
    try:
        checked = uploads.check_document(upload, max_bytes=DOCUMENT_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from error

    document = EvidenceDocument(
        producer=producer,
        product=product,
        kind=kind,
        title=title[:200],
        original_name=checked.original_name[:200],
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        issued_on=issued_on,
        valid_until=valid_until,
        uploaded_by=actor,
    )
    stored = False
    try:
        with transaction.atomic():
            old = None
            if replaces is not None:
                old = EvidenceDocument.objects.select_for_update().get(pk=replaces.pk)
                if old.producer_id != producer.pk:
                    raise ValidationError(_("This document belongs to another producer."))
                if old.superseded_by_id is not None:
                    raise ValidationError(
                        _("This document has already been replaced by a newer version."),
                        code="superseded",
                    )
            document.file.save(
                f"{uuid.uuid4().hex}.{checked.kind.extension}", checked.content, save=False
            )
            stored = True
            document.save()
            data = {
                "kind": kind,
                "title": document.title,
                "product": product.pk if product else None,
                "original_name": document.original_name,
                "content_type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
                "issued_on": issued_on,
                "valid_until": valid_until,
            }
            if old is not None:
                old.superseded_by = document
                old.save(update_fields=["superseded_by"])
                data["replaces"] = old.pk
                kept = set(keep)
                data["replaced_in"] = [
                    key
                    for config in _users_of_documents()
                    for key in config.document_replaced(old, document, kept, actor)
                ]
                data["kept_in"] = sorted(kept)
                # What the page tells the producer: the uses really changed.
                document.replaced_in = data["replaced_in"]
            audit_log(
                actor=actor,
                action="document.new_version" if old is not None else "document.upload",
                obj=document,
                data=data,
            )
    except Exception:
        if stored:
            document.file.storage.delete(document.file.name)
        raise
    return document


def document_new_version(
    *,
    document: EvidenceDocument,
    actor: User,
    upload,
    title: str,
    product: Product | None = None,
    issued_on: date | None = None,
    valid_until: date | None = None,
    keep: Iterable[str] = (),
) -> EvidenceDocument:
    """A new version of a document keeps its kind; the old one is kept, superseded. It
    replaces the old one in the draft and returned dossiers that use it, except those in
    `keep` (keys of `document_uses`)."""
    return document_upload(
        producer=document.producer,
        actor=actor,
        kind=document.kind,
        title=title,
        upload=upload,
        product=product,
        issued_on=issued_on,
        valid_until=valid_until,
        replaces=document,
        keep=keep,
    )
