"""Upload paths of decisions' scans and inspections' files.

Applied migration 0006 names them by this module's path
(`evaluations.models.certificates._scan_path`), so they stay here; the models that use them
live in `evaluations/certificates/models.py`. Never move them without a migration.
"""


def _scan_path(instance, filename: str) -> str:
    return f"decisions/{instance.issuer_id}/{instance.year}/{filename}"


def _inspection_path(instance, filename: str) -> str:
    return f"inspections/{instance.inspection.certificate_id}/{filename}"
