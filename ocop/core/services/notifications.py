"""Telling users about changes: a mail through Django's backend and an in-app notification.

Each mail is a task enqueued when the transaction commits (ocop.core.mail), so a rolled-back
change never mails and the request never waits for the mail server.
"""

from collections.abc import Iterable

from django.conf import settings

from ocop.core.mail import mail_on_commit
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
        mail_on_commit(subject=subject, body=text, to=addresses)
    return notes
