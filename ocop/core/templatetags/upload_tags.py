"""{% upload_limit %}: the largest body an upload form may send (OCOP_MAX_UPLOAD_BYTES), for
static/js/ocop.js to refuse a larger one before sending it."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def upload_limit() -> int:
    return settings.OCOP_MAX_UPLOAD_BYTES
