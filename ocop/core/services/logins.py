"""Logins: unlocking accounts and addresses locked out by django-axes, and the limit on
password-reset mails."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ocop.core.audit import audit_log
from ocop.core.models import AuditEntry, User

PASSWORD_RESET_ACTION = "user.password_reset_mail"


def login_unlock(*, actor: User, username: str = "", ip_address: str = "") -> int:
    """Forget the failed logins of this account and/or this address, so that it may log in
    again before the cool-off ends. Returns how many attempt records were removed."""
    username = (username or "").strip()
    ip_address = (ip_address or "").strip()
    if not username and not ip_address:
        raise ValueError("login_unlock() needs a username or an address.")
    with transaction.atomic():
        removed = AxesProxyHandler.reset_attempts(
            username=username or None,
            ip_address=ip_address or None,
            ip_or_username=bool(username and ip_address),
        )
        audit_log(
            actor=actor,
            action="login.unlock",
            obj=User.objects.filter(username=username).first() if username else None,
            data={"username": username, "ip_address": ip_address, "attempts": removed},
        )
    return removed


def user_password_reset_allowed(*, user: User) -> bool:
    """Whether another password-reset mail may go to this account now; if so, record it.

    At most OCOP_PASSWORD_RESET_LIMIT mails per OCOP_PASSWORD_RESET_WINDOW, counted in the
    audit log (so the limit holds across server processes and restarts). The account's row
    is locked while counting, so that two requests at once cannot both take the last one.
    """
    since = timezone.now() - settings.OCOP_PASSWORD_RESET_WINDOW
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        sent = AuditEntry.objects.filter(
            action=PASSWORD_RESET_ACTION,
            content_type__app_label=locked._meta.app_label,
            content_type__model=locked._meta.model_name,
            object_id=str(locked.pk),
            at__gte=since,
        ).count()
        if sent >= settings.OCOP_PASSWORD_RESET_LIMIT:
            return False
        audit_log(actor=None, action=PASSWORD_RESET_ACTION, obj=locked, data={})
    return True
