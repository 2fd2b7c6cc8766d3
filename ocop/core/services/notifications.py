"""Telling users about changes: a mail through Django's backend and an in-app notification.

Mail goes out only after the transaction commits, so a rolled-back change never mails.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from ocop.core.models import Notification, User


def notify(*, users: Iterable[User], subject: str, body: str, url: str = "") -> list[Notification]:
    recipients = [u for u in {u.pk: u for u in users}.values() if u.is_active]
    notes = Notification.objects.bulk_create(
        Notification(user=u, subject=subject[:200], body=body, url=url) for u in recipients
    )
    addresses = [u.email for u in recipients if u.email]
    if addresses:
        site = getattr(settings, "OCOP_SITE_URL", "").rstrip("/")
        text = body + (f"\n\n{site}{url}" if url else "")

        def _send() -> None:
            for address in addresses:
                send_mail(subject, text, None, [address], fail_silently=False)

        transaction.on_commit(_send)
    return notes
