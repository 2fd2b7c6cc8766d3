import re

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def node_field(form, kind: str, key: str, attr: str):
    """The bound field of the correction form for one node's attribute."""
    return form[f"{kind}|{key}|{attr}"]


@register.filter
def stars(count) -> str:
    return "★" * int(count or 0)


@register.filter
def source_ref(ref: str) -> str:
    """'row 113' (where a defect was found in the source file) in the active language."""
    match = re.fullmatch(r"row (\d+)", ref or "")
    return _("row %(n)s") % {"n": match.group(1)} if match else ref
