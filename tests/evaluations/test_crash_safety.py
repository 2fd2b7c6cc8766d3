"""Crash safety: the server is killed (SIGKILL) in the middle of an upload and in the middle of a
decision's issue (issue 16, decision 0032).

A real gunicorn serves the test database (committed data, `transaction=True`); requests go to it
over a socket, as a browser's would. The moment of the kill is made certain without touching the
project's code:
- in the middle of the body: the request declares a 3 MB upload and sends a third of it; the
  server streams a file part that large to a temporary file (FILE_UPLOAD_MAX_MEMORY_SIZE), whose
  appearance shows it is reading the body;
- in the middle of the transaction: the test holds the audit chain's head row locked
  (`SELECT ... FOR UPDATE`, another connection). Every service writes its audit entry last,
  after its rows and its file, so the server's transaction waits on that lock; PostgreSQL shows
  the wait (`pg_blocking_pids`), and then the server is killed.

Then: no partial rows (what the transaction wrote is rolled back: a transaction commits only on
its client's COMMIT, which never comes), and `find_orphan_files` finds the file written before
the commit that never came, and deletes it with an audit entry.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from evaluations.enums import DecisionState
from evaluations.models import Certificate, Decision
from ocop.core.models import AuditChainHead, AuditEntry
from products.enums import DocumentKind
from products.models import EvidenceDocument, Product
from tests.evaluations.certificates.conftest import SCAN, _score_all
from tests.fixtures.committed_world import CouncilWorld
from tests.products.files import PDF

pytestmark = [pytest.mark.crash, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60  # seconds: how long a step may take on a loaded machine before the test gives up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, check, server=None):
    """Poll `check` until it returns something true (not a timing assertion: a deadline after
    which the test fails, saying what never happened)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if server is not None and server.process.poll() is not None:
            pytest.fail(f"the server exited before {what}:\n{server.log()}")
        time.sleep(0.05)
    pytest.fail(f"{what}: not within {WAIT} s" + (f"\n{server.log()}" if server else ""))


class Server:
    """gunicorn (one sync worker) on the test database, in a session of its own, killed whole."""

    def __init__(self, home: Path, media: Path):
        self.tmp_dir = home / "tmp"  # its TMPDIR: where uploads are streamed to
        self.tmp_dir.mkdir(parents=True)
        self.log_path = home / "gunicorn.log"
        self.port = free_port()
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ocop.settings.test",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
            ),
            "CONN_MAX_AGE": "0",
            "MEDIA_ROOT": str(media),
            "TMPDIR": str(self.tmp_dir),
        }
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "ocop.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "1",
                    "--timeout",
                    "300",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        wait_for("gunicorn answers", self._answers, self)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                s.sendall(b"GET /favicon.ico HTTP/1.0\r\nHost: localhost\r\n\r\n")
                return s.recv(12).startswith(b"HTTP/1.")
        except OSError:
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the arbiter and its worker at once: no handler, no cleanup runs."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=WAIT)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def server(tmp_path, media):
    started = []

    def start() -> Server:
        started.append(Server(tmp_path / f"server{len(started)}", media))
        return started[-1]

    yield start
    for running in started:
        if running.process.poll() is None:
            running.kill()


def session_cookies(user) -> str:
    """A logged-in session (stored in the database, which the server reads) and a CSRF token
    the server accepts (the unmasked secret, sent as cookie and header)."""
    client = Client()
    client.force_login(user)
    csrf = secrets.token_hex(16)
    names = django_settings.SESSION_COOKIE_NAME, django_settings.CSRF_COOKIE_NAME
    session = client.cookies[names[0]].value
    return f"{names[0]}={session}; {names[1]}={csrf}", csrf


def post_bytes(path: str, user, fields: dict) -> bytes:
    cookies, csrf = session_cookies(user)
    body = encode_multipart(BOUNDARY, fields)
    head = (
        f"POST {path} HTTP/1.1\r\n"
        "Host: localhost\r\n"
        f"Content-Type: {MULTIPART_CONTENT}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Cookie: {cookies}\r\n"
        f"X-CSRFToken: {csrf}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    return head + body


class AuditHeadLock:
    """The audit chain's head row locked by a connection of the test's own."""

    def __init__(self):
        self.db = connections.create_connection("default")
        self.db.ensure_connection()
        self.db.set_autocommit(False)
        with self.db.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]
            cursor.execute(f"SELECT 1 FROM {AuditChainHead._meta.db_table} WHERE id = 1 FOR UPDATE")

    def waiting(self) -> list[int]:
        """The backends waiting for this lock."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                [self.pid],
            )
            return [row[0] for row in cursor.fetchall()]

    def release(self) -> None:
        self.db.rollback()
        self.db.close()


def gone(pids: list[int]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids])
        return cursor.fetchone()[0] == 0


def kill_in_transaction(server: Server, request: bytes) -> None:
    """Send the request while the audit head is locked; once the server's transaction waits
    on it, kill the server, release the lock and wait for the server's backend to end."""
    AuditChainHead.objects.get_or_create(pk=1)
    lock = AuditHeadLock()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as s:
            s.sendall(request)
            waiting = wait_for(
                "the server's transaction waits on the audit head", lock.waiting, server
            )
            server.kill()
    finally:
        lock.release()
    wait_for("the killed server's database session ends", lambda: gone(waiting))


def orphan_report(*args) -> tuple[str, str | None]:
    out = StringIO()
    try:
        call_command("find_orphan_files", "--grace-minutes", "0", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def answer(server: Server, request: bytes) -> bytes:
    """The status line of the server's answer to the whole request."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as s:
        s.sendall(request)
        return s.makefile("rb").readline().strip()


def pdf_file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def stored(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


# --- an upload ------------------------------------------------------------------------------


def test_killed_while_the_upload_is_read_leaves_no_row_and_no_file(server, media):
    world = CouncilWorld(1)
    producer, owner = world.producers[0]
    running = server()
    big = PDF[:-6] + b"%" + b"0" * (3 * 1024 * 1024) + b"\n%%EOF\n"  # past 2.5 MB: streamed
    request = post_bytes(
        reverse("products:document_upload"),
        owner,
        {
            "kind": DocumentKind.LAB_TEST,
            "title": "Phiếu kiểm nghiệm",
            "file": pdf_file("kn.pdf", big),
        },
    )
    with socket.create_connection(("127.0.0.1", running.port), timeout=WAIT) as s:
        s.sendall(request[: len(request) // 3])
        streamed = wait_for(
            "the server streams the upload to a temporary file",
            lambda: [p for p in running.tmp_dir.iterdir() if p.stat().st_size > 0],
            running,
        )
        running.kill()

    assert EvidenceDocument.objects.filter(producer=producer).count() == 0
    assert stored(media) == []
    assert orphan_report() == (
        "0 files, 0 referenced by rows; 0 orphans, 0 deleted, 0 recent, 0 missing.\n",
        None,
    )
    # The part read so far stays in the server's temporary directory (the system's: emptied at
    # boot, or PrivateTmp in systemd; README "Backups and crashes"), never in MEDIA_ROOT.
    assert [p.name.endswith(".upload.pdf") for p in streamed] == [True]


def test_killed_in_the_upload_transaction_leaves_no_row_and_an_orphan_the_command_removes(
    server, media
):
    world = CouncilWorld(1)
    producer, owner = world.producers[0]
    running = server()
    request = post_bytes(
        reverse("products:document_upload"),
        owner,
        {
            "kind": DocumentKind.LAB_TEST,
            "title": "Phiếu kiểm nghiệm",
            "file": pdf_file("kn.pdf", PDF),
        },
    )
    audited = AuditEntry.objects.count()

    kill_in_transaction(running, request)

    assert EvidenceDocument.objects.filter(producer=producer).count() == 0
    assert AuditEntry.objects.count() == audited
    (orphan,) = stored(media)
    assert orphan.startswith(f"producers/{producer.pk}/documents/")
    out, error = orphan_report()
    assert out.startswith(f"orphan   {orphan} ({len(PDF)} bytes, ")
    assert error == "1 files, 0 referenced by rows; 1 orphans, 0 deleted, 0 recent, 0 missing."
    out, error = orphan_report("--delete")
    assert (out.splitlines()[0], error) == (f"deleted  {orphan} ({len(PDF)} bytes)", None)
    assert stored(media) == []
    assert [
        f["name"] for f in AuditEntry.objects.get(action="media.orphans_delete").data["files"]
    ] == [orphan]


# --- a decision's issue -------------------------------------------------------------------


def test_killed_in_the_issue_transaction_leaves_the_decision_a_draft_and_no_certificate(
    server, media
):
    from decimal import Decimal

    world = CouncilWorld(2)
    results = [_score_all(item, world.council, Decimal(70)) for item in world.items]
    decision = world.draft("1520/QĐ-UBND", results)
    running = server()
    request = post_bytes(
        reverse("evaluations:decision_issue", args=[decision.pk]),
        world.district_officer,
        {"signed_scan": pdf_file("quyet-dinh.pdf", SCAN)},
    )
    audited = AuditEntry.objects.count()

    kill_in_transaction(running, request)

    decision = Decision.objects.get(pk=decision.pk)
    assert (decision.state, decision.signed_scan.name, decision.issued_at) == (
        DecisionState.DRAFT,
        "",
        None,
    )
    assert Certificate.objects.count() == 0
    assert list(
        Product.objects.filter(pk__in=[r.dossier.product_id for r in results]).values_list(
            "ocop_stars", "certificate_number"
        )
    ) == [(None, ""), (None, "")]
    assert AuditEntry.objects.count() == audited
    # The scan was stored before the commit that never came: an orphan, found and removed.
    (orphan,) = stored(media)
    assert orphan.startswith("decisions/") and orphan.endswith(".pdf")
    out, error = orphan_report()
    assert out.startswith(f"orphan   {orphan} ({len(SCAN)} bytes, ")
    assert error == "1 files, 0 referenced by rows; 1 orphans, 0 deleted, 0 recent, 0 missing."
    assert orphan_report("--delete")[1] is None
    assert stored(media) == []
    # Issued again once the server is back: numbered from the province's first certificate.
    assert answer(server(), request) == b"HTTP/1.1 302 Found"
    decision.refresh_from_db()
    assert decision.state == DecisionState.ISSUED
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == [1, 2]
    assert stored(media) == [decision.signed_scan.name]
