import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_BUSINESS_NUMBER = re.compile(r"^\d{10}(-\d{3})?$")


def validate_business_number(value: str) -> None:
    """Enterprise/tax code: 10 digits, or 10-3 for a branch (e.g. 0101234567-001)."""
    if not _BUSINESS_NUMBER.fullmatch(value or ""):
        raise ValidationError(
            _(
                "Enter 10 digits, or 10 digits, a hyphen and 3 digits for a branch "
                "(e.g. 5400123456 or 5400123456-001)."
            ),
            code="business_number",
        )


def normalise_business_number(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")
