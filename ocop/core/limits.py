"""How much free text users may type: one place for the forms (`ocop.core.forms.LimitedTextField`)
and for the services that check their input again.

The models keep TextField (no database limit); the limits live here, in characters.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A reason given with a step: returning a dossier, withdrawing it, extending a deadline.
REASON_MAX_LENGTH = 1000
# A note or an explanation: a criterion's note, refusing a producer, a conflict of interest,
# re-scoring, a revocation's note, a product's ingredients and markets.
NOTE_MAX_LENGTH = 2000
# A longer text: inspection findings, the council's discussion conclusion and its comments to
# the producer, a product's description.
LONG_TEXT_MAX_LENGTH = 5000

TOO_LONG = _("Write at most %(limit_value)d characters; this text has %(show_value)d.")


def normalise_newlines(value: str) -> str:
    """Browsers count a line break as one character for `maxlength` and send two (CR LF):
    count it as one here too, so what the page allowed is accepted."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def text_length_error(value: str | None, limit: int) -> ValidationError | None:
    """The error for `value` if it is longer than `limit` characters (None if it is not), for
    services that collect their errors by field."""
    length = len(normalise_newlines(value or ""))
    if length <= limit:
        return None
    return ValidationError(
        TOO_LONG, code="max_length", params={"limit_value": limit, "show_value": length}
    )


def check_text_length(value: str | None, limit: int, *, field: str | None = None) -> None:
    """Raise a ValidationError (on `field` when given) if `value` is longer than `limit`."""
    if (error := text_length_error(value, limit)) is not None:
        raise ValidationError({field: error}) if field else error
