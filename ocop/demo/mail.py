"""The demo's mail: every message is kept as one `.eml` file under `var/mail/` and the
terminal shows one line per message; administrators read them at /demo/outbox/.

A demo has no mail server, and printing each MIME message (base64 bodies included) into the
terminal buried the server's log. The files are plain RFC 5322 messages any mail client opens.
"""

import sys
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class OutboxEmailBackend(BaseEmailBackend):
    """Write each message to `<directory>/<UTC time>-<random>.eml`; print one line for it."""

    def __init__(self, fail_silently=False, *, directory=None, stream=None, **kwargs):
        super().__init__(**kwargs)
        if not directory:
            raise ValueError("OutboxEmailBackend needs OPTIONS['directory'].")
        self.directory = Path(directory)
        self.stream = stream or sys.stdout
        self.fail_silently = fail_silently
        self._lock = threading.Lock()

    def send_messages(self, email_messages):
        sent = 0
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            for message in email_messages:
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
                path = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
                path.write_bytes(message.message().as_bytes())
                recipients = ", ".join(message.recipients())
                self.stream.write(f"mail to {recipients}: {message.subject}  [{path.name}]\n")
                self.stream.flush()
                sent += 1
        return sent


@dataclass(frozen=True)
class OutboxMessage:
    name: str
    sent_at: datetime | None
    to: str
    subject: str
    body: str


def _read(path: Path) -> OutboxMessage:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    part = message.get_body(preferencelist=("plain", "html"))
    try:
        sent_at = parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return OutboxMessage(
        name=path.name,
        sent_at=sent_at,
        to=str(message["To"] or ""),
        subject=str(message["Subject"] or ""),
        body=part.get_content() if part is not None else "",
    )


def outbox_messages(directory: Path) -> list[OutboxMessage]:
    """The kept messages, newest first, decoded (headers and body as the reader sees them)."""
    if not directory.is_dir():
        return []
    paths = sorted(directory.glob("*.eml"), key=lambda p: p.name, reverse=True)
    return [_read(path) for path in paths]
