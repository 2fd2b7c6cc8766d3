"""Personal data (Decree 13/2023/NĐ-CP): a person's copy of their data, their request to
erase it, and the office carrying the request out or refusing it (docs/privacy.md).

Other apps add what they hold about a person through two optional AppConfig methods, so
that this app never imports theirs:
- `personal_data(user) -> dict`: their part of the person's copy;
- `personal_data_erasure_blockers(user) -> list[str]`: why the account cannot be erased now.
"""

import datetime

from axes.handlers.proxy import AxesProxyHandler
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core.audit import audit_log
from ocop.core.enums import DeletionRequestState, Role
from ocop.core.limits import NOTE_MAX_LENGTH, check_text_length, normalise_newlines
from ocop.core.models import AuditEntry, DeletionRequest, User
from ocop.core.services.notifications import notify


def _when(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _is_own_account(entry: AuditEntry, user: User) -> bool:
    content_type = entry.content_type
    return (
        content_type is not None
        and (content_type.app_label, content_type.model) == ("core", "user")
        and entry.object_id == str(user.pk)
    )


def personal_data_export(*, user: User) -> dict:
    """Everything the registry keeps about this account, as JSON-ready data."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "family_and_middle_name": user.last_name,
            "given_name": user.first_name,
            "email": user.email,
            "phone": user.phone,
            "roles": sorted(user.role_names),
            "jurisdiction": user.jurisdiction.full_path if user.jurisdiction_id else None,
            "active": user.is_active,
            "joined_at": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "notifications": [
            {
                "at": _when(n.created_at),
                "subject": n.subject,
                "message": n.body,
                "link": n.url,
                "read_at": _when(n.read_at),
            }
            for n in user.notifications.order_by("created_at", "pk")
        ],
        # What the person did. What an entry recorded about others (an invitee's e-mail, an
        # unlocked account's address) is theirs, not this person's: only entries about the
        # person's own account carry what they recorded.
        "audit_entries_as_actor": [
            {
                "seq": e.seq,
                "at": _when(e.at),
                "action": e.action,
                "object_type": (
                    f"{e.content_type.app_label}.{e.content_type.model}" if e.content_type else ""
                ),
                "object_id": e.object_id,
                "data": e.data if _is_own_account(e, user) else None,
            }
            for e in AuditEntry.objects.filter(actor=user)
            .select_related("content_type")
            .order_by("seq")
        ],
        "deletion_requests": [
            {
                "requested_at": _when(r.requested_at),
                "state": r.state,
                "reason": r.reason,
                "decided_at": _when(r.decided_at),
                "note": r.decision_note,
            }
            for r in user.deletion_requests.order_by("requested_at", "pk")
        ],
    }
    for config in apps.get_app_configs():
        if hasattr(config, "personal_data"):
            data[config.label] = config.personal_data(user)
    return data


def personal_data_erasure_blockers(*, user: User) -> list[str]:
    """Why this account cannot be erased now (empty: it can)."""
    reasons = []
    if user.is_superuser:
        reasons.append(_("A superuser account is erased by another superuser, by hand."))
    for config in apps.get_app_configs():
        if hasattr(config, "personal_data_erasure_blockers"):
            reasons.extend(config.personal_data_erasure_blockers(user))
    return reasons


def deletion_request_create(*, user: User, reason: str, actor: User) -> DeletionRequest:
    """The person asks the office to erase their personal data (one open request at a time)."""
    reason = normalise_newlines((reason or "").strip())
    check_text_length(reason, NOTE_MAX_LENGTH, field="reason")
    try:
        with transaction.atomic():
            request = DeletionRequest.objects.create(user=user, reason=reason)
            audit_log(actor=actor, action="deletion_request.create", obj=request)
            # The office answers within the law's time limits: it hears at once.
            notify(
                users=User.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR),
                subject=_("Personal data erasure requested: %(user)s") % {"user": user.username},
                body=reason,
                url=reverse("core:deletion_request", args=[request.pk]),
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You have already asked for your data to be erased; the office will answer."),
            code="pending",
        ) from error
    return request


def _lock_pending(request: DeletionRequest) -> DeletionRequest:
    locked = DeletionRequest.objects.select_for_update().get(pk=request.pk)
    if locked.state != DeletionRequestState.PENDING:
        raise ValidationError(_("This request has already been answered."), code="not_pending")
    return locked


def deletion_request_refuse(*, request: DeletionRequest, note: str, actor: User) -> DeletionRequest:
    """The office refuses, with the reason the person will read."""
    note = normalise_newlines((note or "").strip())
    if not note:
        raise ValidationError({"note": _("Give the reason the person will read.")}, code="required")
    check_text_length(note, NOTE_MAX_LENGTH, field="note")
    with transaction.atomic():
        locked = _lock_pending(request)
        locked.state = DeletionRequestState.REFUSED
        locked.decision_note = note
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["state", "decision_note", "decided_at", "decided_by"])
        audit_log(actor=actor, action="deletion_request.refuse", obj=locked, data={"note": note})
        notify(
            users=[locked.user],
            subject=_("Your request to erase your personal data was refused"),
            body=note,
            url=reverse("core:profile"),
        )
    return locked


def deletion_request_carry_out(*, request: DeletionRequest, actor: User) -> DeletionRequest:
    """Anonymise the account: names, e-mail and phone blanked, the username replaced, login
    disabled, roles and jurisdiction removed, notifications and failed-login records deleted.

    The audit log is not touched: its entries keep pointing at the (now anonymous) account,
    and what they recorded stays, so the chain still verifies (docs/privacy.md). Refused while
    `personal_data_erasure_blockers` gives a reason.
    """
    with transaction.atomic():
        locked = _lock_pending(request)
        user = User.objects.select_for_update().get(pk=locked.user_id)
        blockers = personal_data_erasure_blockers(user=user)
        if blockers:
            raise ValidationError(blockers, code="blocked")
        old_username = user.username
        user.username = f"deleted-{user.pk}"
        user.first_name = ""
        user.last_name = ""
        user.email = ""
        user.phone = ""
        user.jurisdiction = None
        user.is_active = False
        user.is_staff = False
        user.set_unusable_password()
        user.save(
            update_fields=[
                "username",
                "first_name",
                "last_name",
                "email",
                "phone",
                "jurisdiction",
                "is_active",
                "is_staff",
                "password",
            ]
        )
        user.groups.clear()
        user.user_permissions.clear()
        notifications, _count = user.notifications.all().delete()
        attempts = AxesProxyHandler.reset_attempts(username=old_username)
        locked.state = DeletionRequestState.DONE
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["state", "decided_at", "decided_by"])
        audit_log(
            actor=actor,
            action="user.erase_personal_data",
            obj=user,
            data={
                "request": locked.pk,
                "notifications_deleted": notifications,
                "failed_logins_deleted": attempts,
            },
        )
    return locked
