"""Badges for states, statuses and outcomes: the label and the colour come from the enum
(`ocop.core.enums.BadgeChoices`), named by its class name. Every app's classes are
registered when its enums module is imported, which Django does while loading the models.

    {% load status_tags %}
    {% badge "DossierState" dossier.state testid="dossier-state" data="state" extra="fs-6" %}
    <span class="badge text-bg-{{ d.state|badge_css:'DossierState' }}">...</span>
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ocop.core.enums import BADGE_CHOICES, BadgeChoices

register = template.Library()


def _choices(name: str) -> type[BadgeChoices]:
    try:
        return BADGE_CHOICES[name]
    except KeyError:
        raise template.TemplateSyntaxError(f"No badge choices are named {name!r}.") from None


@register.filter
def badge_css(value, name: str) -> str:
    """The Bootstrap colour of `value`'s badge in the choices class `name`."""
    return _choices(name).css(value)


@register.simple_tag
def badge(name: str, value, *, testid: str = "", data: str = "", extra: str = "") -> str:
    """`<span class="badge text-bg-<colour>[ extra]"[ data-testid][ data-<data>=value]>label`:
    the label of `value` in the choices class `name`, in its colour."""
    choices = _choices(name)
    value = "" if value is None else str(value)
    classes = f"badge text-bg-{choices.css(value)}" + (f" {extra}" if extra else "")
    attributes = format_html(' data-testid="{}"', testid) if testid else mark_safe("")
    if data:
        attributes += format_html(' data-{}="{}"', data, value)
    return format_html('<span class="{}"{}>{}</span>', classes, attributes, choices.label_of(value))
