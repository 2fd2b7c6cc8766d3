from decimal import Decimal

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import ngettext

from evaluations.engine.display import format_points

register = template.Library()


@register.filter
def points(value) -> str:
    """Points as on the paper form, without trailing zeros, in the language's number format:
    40, 2,5 in Vietnamese (2.5 in English); `evaluations.engine.display.format_points`."""
    return format_points(value, short=True)


@register.simple_tag
def document_url(document_id) -> str:
    """The permission-checked download of a library document, where the products app
    serves one (empty otherwise: the title is shown without a link)."""
    try:
        return reverse("products:document_download", args=[document_id])
    except NoReverseMatch:
        return ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def return_item(reason, labels=None) -> str:
    """What a returned item is about, in words (`labels`: criterion key → label)."""
    from evaluations.intake.services.dossiers import return_item_label

    return return_item_label(reason.item_kind, reason.item_ref, labels)


@register.filter
def points_label(value) -> str:
    """Points with their unit: "5 points", "1 point"."""
    text = points(value)
    if not text:
        return ""
    count = 1 if Decimal(str(value)) == 1 else 2
    return ngettext("%(n)s point", "%(n)s points", count) % {"n": text}


@register.filter
def stars_text(count) -> str:
    """★ repeated: 3 → ★★★."""
    try:
        return "★" * int(count)
    except (TypeError, ValueError):
        return ""
