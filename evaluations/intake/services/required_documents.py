"""The configurable checklist of documents a dossier needs, with sensible defaults."""

from django.db import transaction

from evaluations.models import RequiredDocument
from ocop.core.audit import audit_log
from products.enums import Classification, DocumentKind
from products.models import Sector
from products.services.taxonomy import taxonomy_load

# (document kind, sector numbers or None for every sector, dossier kind or "" for every kind,
# mandatory). The lab test report ("phiếu kiểm nghiệm") concerns the food, drink and
# herbal sectors (I–III); a business plan is welcome but optional under Decision 148.
DEFAULT_REQUIRED_DOCUMENTS: tuple[tuple[str, tuple[int, ...] | None, str, bool], ...] = (
    (DocumentKind.BUSINESS_REGISTRATION, None, "", True),
    (DocumentKind.PRODUCT_STANDARD, None, "", True),
    (DocumentKind.LAB_TEST, (1, 2, 3), "", True),
    (DocumentKind.LABEL, None, "", True),
    (DocumentKind.PRODUCT_STORY, None, "", True),
    (DocumentKind.BUSINESS_PLAN, None, "", False),
)


def required_documents_load(*, actor=None) -> dict[str, int]:
    """Create or update the default checklist rows. Idempotent; rows added by hand for
    other kinds are left alone."""
    sectors = Sector.objects.filter(classification=Classification.QD148_2023)
    if not sectors.exists():
        taxonomy_load(actor=actor)
    by_number = {s.number: s for s in sectors}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for kind, sector_numbers, dossier_kind, mandatory in DEFAULT_REQUIRED_DOCUMENTS:
            for sector in [by_number[n] for n in sector_numbers] if sector_numbers else [None]:
                row = RequiredDocument.objects.filter(
                    document_kind=kind, sector=sector, dossier_kind=dossier_kind
                ).first()
                if row is None:
                    RequiredDocument.objects.create(
                        document_kind=kind,
                        sector=sector,
                        dossier_kind=dossier_kind,
                        mandatory=mandatory,
                    )
                    counts["created"] += 1
                elif row.mandatory != mandatory:
                    row.mandatory = mandatory
                    row.save(update_fields=["mandatory"])
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
        if counts["created"] or counts["updated"]:
            audit_log(actor=actor, action="required_documents.load", data=counts)
    return counts
