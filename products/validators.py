import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
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


DUPLICATE_REGISTRATION_NO = _(
    "A producer with this business registration number is already registered. If it is "
    "yours, ask its owner to invite you instead of registering it again."
)
DUPLICATE_TAX_CODE = _(
    "A producer with this tax code is already registered. If it is yours, ask its owner to "
    "invite you instead of registering it again."
)


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s.\-()]", "", value or "")


def validate_phone(value: str) -> None:
    """9 to 15 digits, optionally with a leading + (e.g. 0912345678, +84912345678)."""
    digits = (value or "").removeprefix("+")
    if not (digits.isdigit() and 9 <= len(digits) <= 15):
        raise ValidationError(
            _("Enter a phone number of 9 to 15 digits, e.g. 0912345678."), code="phone"
        )


def validate_published_phone(value: str) -> None:
    """A phone a producer or an office publishes as it typed it ("0218 3 861 234"): the digits
    must make a phone number (`validate_phone`) once spaces, dots, hyphens and brackets are
    taken out."""
    validate_phone(normalise_phone(value))


WEB_SCHEMES = ("http", "https")


def validate_web_url(value: str) -> None:
    """A web page's address: http:// or https:// only (never javascript:, data: or ftp:),
    as a link on a public page."""
    URLValidator(
        schemes=list(WEB_SCHEMES),
        message=_(
            "Enter a web address starting with http:// or https://, e.g. https://shopee.vn/…"
        ),
        code="web_url",
    )(value)
