"""Outgoing mail, as tasks: one task per address, enqueued when the transaction commits.

A request never talks to the mail server: it writes one task row per mail (decision 0031),
and the worker sends it through Django's mail backend, retrying on the mail server's errors
(`ocop.core.tasks.retrying_task`). One address that fails holds up no other.
"""

from collections.abc import Iterable

from django.core.mail import EmailMultiAlternatives
from django.utils.translation import gettext_lazy as _

from ocop.core.tasks import enqueue_on_commit, retrying_task


@retrying_task(label=_("Send a mail"))
def send_one_mail(*, subject: str, body: str, to: str, html_body: str = "") -> None:
    """Send one mail to one address (the default sender, DEFAULT_FROM_EMAIL)."""
    message = EmailMultiAlternatives(subject, body, None, [to])
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


def mail_on_commit(*, subject: str, body: str, to: Iterable[str], html_body: str = "") -> int:
    """Queue one mail for each distinct non-empty address; returns how many."""
    addresses = list(dict.fromkeys(address for address in to if address))
    for address in addresses:
        enqueue_on_commit(
            send_one_mail,
            subject=str(subject),
            body=str(body),
            to=address,
            html_body=str(html_body or ""),
        )
    return len(addresses)
