from django.db import transaction

from ocop.core.audit import audit_log
from products.models import ProductGroup, ProductSet, Sector
from products.taxonomy_data import CLASSIFICATION, TAXONOMY_148_2023


def taxonomy_load(*, actor=None) -> dict[str, int]:
    """Create or update the 148/2023 sectors, groups and product sets. Idempotent."""
    counts = {"sectors": 0, "groups": 0, "product_sets": 0}
    with transaction.atomic():
        for sector_number, sector_name, groups in TAXONOMY_148_2023:
            sector, _ = Sector.objects.update_or_create(
                classification=CLASSIFICATION,
                number=sector_number,
                defaults={"name": sector_name},
            )
            counts["sectors"] += 1
            for order, (code, group_name, sets) in enumerate(groups, start=1):
                group, _ = ProductGroup.objects.update_or_create(
                    sector=sector, code=code, defaults={"name": group_name, "order": order}
                )
                counts["groups"] += 1
                for number, set_name, slug in sets:
                    ProductSet.objects.update_or_create(
                        group=group, number=number, defaults={"name": set_name, "slug": slug}
                    )
                    counts["product_sets"] += 1
        audit_log(
            actor=actor, action="taxonomy.load", data={"classification": CLASSIFICATION, **counts}
        )
    return counts
