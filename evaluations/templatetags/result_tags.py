"""The council's results on the dossier pages: a card with each level's final result, and
small filters for the results pages."""

from decimal import Decimal

from django import template

from evaluations.councils.selectors import council_result_rows
from evaluations.engine.display import format_points

register = template.Library()


@register.filter
def signed(value) -> str:
    """A deviation with its sign, in the active language's format (`format_points`):
    +1.50, -2.25, 0.00 in English, +1,50 in Vietnamese; an em dash for none."""
    if value is None or value == "":
        return "—"
    value = Decimal(str(value))
    text = format_points(abs(value))
    if text == format_points(Decimal(0)):
        return text
    return f"+{text}" if value > 0 else f"-{text}"


@register.inclusion_tag("evaluations/results/_council_results.html")
def council_results(dossier, user):
    """The dossier's final results, with the minutes for officers who may see the session
    (`evaluations.councils.selectors.council_result_rows`)."""
    return {"dossier": dossier, "rows": council_result_rows(dossier, user)}
