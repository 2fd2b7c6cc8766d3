"""`{{ value|score }}`: points for display, one format per language (69,71 · 69.71).

The only filter the council, session, result and minutes pages use for points; see
`evaluations.engine.display.format_points`. `{{ value|score:"short" }}` drops trailing zeros
(thresholds, maxima: 10, 2,5).
"""

from django import template

from evaluations.engine.display import format_points

register = template.Library()


@register.filter
def score(value, style: str = "") -> str:
    return format_points(value, short=style == "short")
