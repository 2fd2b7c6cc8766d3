from django import template

register = template.Library()


@register.simple_tag
def node_field(form, kind: str, key: str, attr: str):
    """The bound field of the correction form for one node's attribute."""
    return form[f"{kind}|{key}|{attr}"]


@register.filter
def stars(count) -> str:
    return "★" * int(count or 0)
