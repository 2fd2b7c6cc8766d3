"""Points as people read them: the one way the council, session, result and minutes pages
(and anything else that shows a score) write a number of points.

Two decimals, rounded half-up (the published figure, `stars.round_half_up_2dp`), in the
active language's number format: 69,71 in Vietnamese, 69.71 in English. Stars are never
decided on what this returns.
"""

from decimal import Decimal

from django.utils import formats

from .stars import round_half_up_2dp


def format_points(value, *, short: bool = False) -> str:
    """`value` (a Decimal, int or numeric string) as text; "" for None or "".

    `short`: as few decimals as the value needs, for maxima and thresholds (40, 2,5 in
    Vietnamese); the value is still rounded half-up to 2 decimals first."""
    if value is None or value == "":
        return ""
    shown = round_half_up_2dp(Decimal(str(value)))
    places = 2
    if short:
        shown = shown.normalize()
        places = max(0, -shown.as_tuple().exponent)
    return formats.number_format(shown, decimal_pos=places, use_l10n=True)
