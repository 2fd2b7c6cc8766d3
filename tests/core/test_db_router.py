"""The read replica's router (ocop.core.db_router, decision 0034): where a read goes, by the
request it serves. The pages themselves, on two aliases: tests/evaluations/catalogue/
test_replica_reads.py."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import RequestFactory

from evaluations.models import Certificate
from ocop.core.db_router import (
    PRIMARY,
    REPLICA,
    ReplicaRouter,
    allow_replica_reads,
    read_from_replica,
    replica_reads,
    request_scope,
)
from ocop.core.models import AdministrativeUnit
from products.models import Product

rf = RequestFactory()
replica_router = ReplicaRouter()


def read_in(request, *, allow=True, model=Certificate) -> str:
    """Where a read of `model` goes while serving `request`, a public view having allowed the
    replica (or not)."""
    with request_scope(request):
        if allow:
            allow_replica_reads(request)
        return replica_router.db_for_read(model)


def test_a_public_view_of_an_anonymous_visitor_reads_the_replica():
    assert read_in(rf.get("/verify/OCOP-17-2025-0001/")) == REPLICA


@pytest.mark.parametrize("model", [Certificate, Product, AdministrativeUnit])
def test_every_table_of_the_register_is_read_there(model):
    assert read_in(rf.get("/catalogue/"), model=model) == REPLICA


def test_a_view_not_marked_public_reads_the_primary():
    assert read_in(rf.get("/certificates/"), allow=False) == PRIMARY


def test_outside_a_request_everything_reads_the_primary():
    # Commands and the task worker: no request scope.
    assert replica_router.db_for_read(Certificate) == PRIMARY
    allow_replica_reads(rf.get("/verify/"))  # nothing to allow outside a scope
    assert replica_router.db_for_read(Certificate) == PRIMARY


def test_a_signed_in_visitor_reads_the_primary_even_on_public_pages():
    request = rf.get("/verify/OCOP-17-2025-0001/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session-key"

    assert read_in(request) == PRIMARY


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_request_that_may_change_something_reads_the_primary(method):
    assert read_in(getattr(rf, method)("/verify/")) == PRIMARY


def test_a_head_request_reads_the_replica_as_a_get_does():
    assert read_in(rf.head("/verify/")) == REPLICA


def test_sessions_and_other_tables_outside_the_register_read_the_primary():
    assert read_in(rf.get("/verify/"), model=Session) == PRIMARY


def test_after_a_write_the_rest_of_the_request_reads_the_primary():
    request = rf.get("/verify/")
    with request_scope(request):
        allow_replica_reads(request)
        before = replica_router.db_for_read(Certificate)
        written = replica_router.db_for_write(Certificate)
        after = replica_router.db_for_read(Certificate)

    assert (before, written, after) == (REPLICA, PRIMARY, PRIMARY)


def test_the_next_request_starts_afresh():
    request = rf.get("/verify/")
    with request_scope(request):
        allow_replica_reads(request)
        replica_router.db_for_write(Certificate)

    assert read_in(rf.get("/verify/")) == REPLICA


def test_a_request_says_whether_it_reads_the_replica(settings):
    """What the page cache asks before keeping a page (kept briefly when read from a
    replica, ocop.core.public_cache)."""
    request = rf.get("/verify/")
    settings.DATABASE_ROUTERS = ["ocop.core.db_router.ReplicaRouter"]
    with request_scope(request):
        before = read_from_replica()
        allow_replica_reads(request)
        allowed = read_from_replica()
    settings.DATABASE_ROUTERS = []
    with request_scope(request):
        allow_replica_reads(request)
        without_replica = read_from_replica()

    assert (before, allowed, without_replica) == (False, True, False)


def test_every_write_goes_to_the_primary():
    request = rf.get("/verify/")
    with request_scope(request):
        allow_replica_reads(request)
        assert replica_router.db_for_write(Certificate) == PRIMARY


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_reads_go_to_the_primary():
    request = rf.get("/verify/")
    with request_scope(request):
        allow_replica_reads(request)
        outside = replica_router.db_for_read(Certificate)
        with transaction.atomic():
            inside = replica_router.db_for_read(Certificate)

    assert (outside, inside) == (REPLICA, PRIMARY)


def test_the_decorator_allows_the_replica_for_the_view_it_wraps():
    @replica_reads
    def view(request):
        return replica_router.db_for_read(Certificate)

    def unmarked(request):
        return replica_router.db_for_read(Certificate)

    request = rf.get("/verify/")
    with request_scope(request):
        marked_reads = view(request)
    with request_scope(request):
        unmarked_reads = unmarked(request)

    assert (marked_reads, unmarked_reads) == (REPLICA, PRIMARY)


def test_migrations_run_on_the_primary_only():
    assert replica_router.allow_migrate(PRIMARY, "evaluations") is True
    assert replica_router.allow_migrate(REPLICA, "evaluations") is False


def test_objects_of_both_aliases_may_be_related():
    certificate, product = Certificate(), Product()
    certificate._state.db, product._state.db = REPLICA, PRIMARY

    assert replica_router.allow_relation(certificate, product) is True
