"""`{{ value|score }}`: points for display, one format per language (69,71 · 69.71).

The only filter the council, session, result and minutes pages use for points; see
`evaluations.engine.display.format_points`. `{{ value|score:"short" }}` drops trailing zeros
(thresholds, maxima: 10, 2,5).
"""

from decimal import InvalidOperation

from django import template

from evaluations.engine.display import format_points

register = template.Library()


@register.filter
def score(value, style: str = "") -> str:
    try:
        return format_points(value, short=style == "short")
    except (InvalidOperation, TypeError, ValueError):
        return ""  # not a number: nothing rather than a broken page
