"""Public reads from a PostgreSQL read replica (docs/scaling.md, decision 0034).

Enabled by `OCOP_REPLICA_DATABASE_URL` (ocop/settings/production.py adds the alias "replica"
and this router). Without it nothing here changes anything: every query goes to "default".

Which queries go to the replica: reads of the register's tables (the apps in
`REPLICA_APPS`) made while serving a request that
- a public view marked itself as allowed to (`replica_reads`, or `allow_replica_reads(request)`
  as the open data's plumbing does for every public answer), and
- is a GET or HEAD of a visitor without a session cookie (a signed-in officer or producer
  always reads the primary, so whoever just changed something sees it at once), and
- has written nothing yet (after a write in the same request, every read is the primary's),
  and is not inside a transaction on the primary.
Everything else reads the primary; every write goes to the primary; migrations run on the
primary only (the replica receives them by replication).

Replication lag: a streaming replica is usually under a second behind. A public page a few
seconds stale is fine (a certificate is printed and scanned days after its decision); the
officers' pages never read the replica. Sessions, the login throttle (axes), the cache table
and anything outside `REPLICA_APPS` always read the primary.

A replica that does not answer: the request that meets the error is answered again, from the
start, on the primary (`read_again_from_primary`, a GET of a public view changes nothing), and
for the next `RETRY_AFTER_SECONDS` this process reads the primary only; then it tries the
replica again. A visitor never gets a 500 for it; the log gets a warning.

The scope is one request: `ReplicaReadsMiddleware` (ocop/core/middleware.py) opens it before
the view runs and closes it after the response is rendered (a TemplateResponse renders after
the view returns, still inside the scope), so a lazy queryset evaluated by a template still
reads where its view allowed. Outside a request (commands, the task worker) no scope exists
and every read is the primary's.
"""

import contextlib
import functools
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections, router

PRIMARY = "default"
REPLICA = "replica"
# The register's tables: what public pages read. Sessions, auth's groups, axes' attempts, the
# cache table and the task queue are never read from the replica.
REPLICA_APPS = frozenset({"core", "products", "evaluations"})
SAFE_METHODS = frozenset({"GET", "HEAD"})
# After the replica failed, how long this process reads the primary only before trying again.
RETRY_AFTER_SECONDS = 30

logger = logging.getLogger(__name__)
_replica_down_until = 0.0


@dataclass
class RequestReads:
    """Where the current request may read: `allowed` once a public view said so, `wrote`
    once anything was written (from then on, the primary)."""

    eligible: bool
    allowed: bool = False
    wrote: bool = False


_reads: ContextVar[RequestReads | None] = ContextVar("ocop_replica_reads", default=None)


def eligible(request) -> bool:
    """A visitor whose reads may come from the replica: a GET or HEAD without a session
    cookie (no one signed in, nothing kept for them between requests)."""
    return request.method in SAFE_METHODS and settings.SESSION_COOKIE_NAME not in request.COOKIES


@contextlib.contextmanager
def request_scope(request):
    """The scope of one request (ReplicaReadsMiddleware)."""
    token = _reads.set(RequestReads(eligible=eligible(request)))
    try:
        yield
    finally:
        _reads.reset(token)


def allow_replica_reads(request) -> None:
    """Called by a public view: this request's reads of the register may come from the
    replica (if it is eligible, above). Outside a request scope it does nothing."""
    state = _reads.get()
    if state is not None and state.eligible and not replica_marked_down():
        state.allowed = True


def read_from_replica() -> bool:
    """Whether the current request's reads of the register come from a read replica (a
    replica is set, and its view allowed it): what it shows may be a moment behind."""
    state = _reads.get()
    return (
        state is not None
        and state.allowed
        and not state.wrote
        and "ocop.core.db_router.ReplicaRouter" in settings.DATABASE_ROUTERS
    )


def replica_reads(view):
    """Mark a public view (a function, or `method_decorator(replica_reads, name="dispatch")`
    on a class-based view): its reads may come from the replica (module docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        allow_replica_reads(request)
        return view(request, *args, **kwargs)

    return wrapper


def replica_marked_down() -> bool:
    """Whether this process reads the primary only for now (`replica_failed`)."""
    return time.monotonic() < _replica_down_until


def replica_failed() -> None:
    """Read the primary only for the next RETRY_AFTER_SECONDS (in this process)."""
    global _replica_down_until
    _replica_down_until = time.monotonic() + RETRY_AFTER_SECONDS


def replica_retry_now() -> None:
    """Try the replica again at the next request (after an outage's end, in tests)."""
    global _replica_down_until
    _replica_down_until = 0.0


def read_again_from_primary(request, exception):
    """ReplicaReadsMiddleware.process_exception: if the request was reading the replica and
    met a connection error, mark the replica down and answer the request again from the
    primary (its view and its rendering). None otherwise, and Django answers as usual."""
    state = _reads.get()
    if not isinstance(exception, (OperationalError, InterfaceError)):
        return None
    if state is None or not state.allowed or request.resolver_match is None:
        return None
    logger.warning(
        "The read replica failed (%s); reading the primary for %d s.",
        exception,
        RETRY_AFTER_SECONDS,
    )
    replica_failed()
    state.allowed = state.eligible = False
    match = request.resolver_match
    response = match.func(request, *match.args, **match.kwargs)
    if callable(getattr(response, "render", None)):
        response = response.render()
    return response


def reading_replica() -> bool:
    """Whether a read of the register made now would go to the replica (if one is set)."""
    state = _reads.get()
    return (
        state is not None
        and state.allowed
        and not state.wrote
        and not connections[PRIMARY].in_atomic_block
    )


class ReplicaRouter:
    """DATABASE_ROUTERS entry (production, when OCOP_REPLICA_DATABASE_URL is set)."""

    def db_for_read(self, model, **hints):
        # Always an answer, never None: Django would otherwise read a related object from the
        # database its instance came from, the replica, even after a write.
        if model._meta.app_label in REPLICA_APPS and reading_replica():
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        state = _reads.get()
        if state is not None:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The same rows on both: an object read from the replica may be related to one of
        # the primary's.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is read-only: it receives the primary's schema by replication.
        return db != REPLICA


def replica_in_use() -> bool:
    """Whether reads are sent to a replica here: the alias is set and the router installed."""
    return REPLICA in connections.settings and any(
        isinstance(each, ReplicaRouter) for each in router.routers
    )
