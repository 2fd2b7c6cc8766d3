"""The permission matrix (issue 10): every named route of the URL configuration × every role,
with the answer the table in tests/permission_matrix/table.py expects.

The world (tests/permission_matrix/world.py) is built once for the module, through the
services, inside a transaction rolled back at the end; each test runs in a savepoint of it.
A route found by walking the resolver without an entry in the table fails
test_every_route_has_an_entry, naming the route.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse
from django_tasks_db.models import DBTaskResult

from evaluations.models import (
    Certificate,
    CouncilMember,
    Decision,
    Dossier,
    Inspection,
    SessionItem,
)
from ocop.core.models import AuditEntry, Notification
from products.models import Outlet, Producer, ProductChangeRequest, ProductPhoto, SalesPoint
from tests.permission_matrix.routes import EXCLUDED, all_routes, routes_to_check
from tests.permission_matrix.table import LOGIN, OFFICERS_OUT, TABLE, to
from tests.permission_matrix.world import ROLES, build_world

# Roles outside producer A's audience that still get 200 on their own pages and lists:
# none of those pages may name producer A, its products ("HTX A ..."), its decision or its
# certificate.
OUTSIDERS = ("producer_b", *OFFICERS_OUT, "member_unassigned")
# Pages whose content is public (A's certificate is on the public register).
PUBLIC_CONTENT = {
    "evaluations:verify",
    "evaluations:verify_search",
    "evaluations:decision_scan",
    "products:invitation",
    "api-v1:certificate_list",
    "api-v1:certificate_detail",
    "api-v1:product_list",
    "evaluations:catalogue",
    "evaluations:catalogue_product",
    "evaluations:catalogue_producer",
    "evaluations:open_data_products_csv",
    "evaluations:open_data_products_xlsx",
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    outbox = tmp_path_factory.mktemp("outbox")
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            OCOP_DEMO_OUTBOX_DIR=outbox,
            MEDIA_ROOT=str(media),
            ROOT_URLCONF="tests.permission_matrix.urls",
            # Sessions in the cookie: one query less for each of the ~2,000 requests.
            SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        ),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


def answer(response):
    """The status code, LOGIN for a redirect to the login page, or `to(view name)`."""
    if response.status_code in (301, 302, 303):
        path = urlsplit(response["Location"]).path
        if path == resolve_url(settings.LOGIN_URL):
            return LOGIN
        try:
            return to(resolve(path).view_name)
        except Resolver404:
            return f"-> {path}"
    return response.status_code


def _marks_of(world) -> list[str]:
    return [world.producer_a.name, world.decision.number, world.certificate.number]


def _marks_in(content: bytes, world) -> list[str]:
    return [mark for mark in _marks_of(world) if mark.encode() in content]


def url_of(name, world):
    route = TABLE[name]
    return reverse(name, kwargs=route.kwargs(world)) + route.query


# --- the table against the URL configuration ----------------------------------------------


def test_every_route_has_an_entry():
    found = routes_to_check()
    missing = sorted(found - TABLE.keys())
    assert missing == [], (
        f"routes without an entry in tests/permission_matrix/table.py: {missing}; "
        "add one (or, with a reason, to EXCLUDED in tests/permission_matrix/routes.py)"
    )
    stale = sorted(TABLE.keys() - found)
    assert stale == [], f"entries for routes that no longer exist: {stale}"


def test_excluded_routes_exist():
    assert sorted(EXCLUDED - all_routes()) == []


def test_every_entry_answers_every_role_and_never_403():
    malformed = {
        name: sorted(set(route.get) ^ set(ROLES))
        for name, route in TABLE.items()
        if set(route.get) != set(ROLES)
    }
    assert malformed == {}
    forbidden = sorted(name for name, route in TABLE.items() if 403 in route.get.values())
    assert forbidden == []


# --- GET: every route × every role ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TABLE))
def test_route_answers_every_role_as_the_table_says(name, world):
    url = url_of(name, world)
    expected = TABLE[name].get
    mismatches = []
    for role in ROLES:
        try:
            response = world.clients[role].get(url)
        except Exception as error:  # a server error: name the role and go on
            mismatches.append(f"{role}: expected {expected[role]}, got {error!r}")
            continue
        got = answer(response)
        if got != expected[role]:
            mismatches.append(f"{role}: expected {expected[role]}, got {got}")
        elif (
            got == 200
            and role in OUTSIDERS
            and name not in PUBLIC_CONTENT
            and not response.streaming
            and (marks := _marks_in(response.content, world))
        ):
            mismatches.append(f"{role}: 200 as expected, but the page shows {marks}")
    assert mismatches == []


# The check above has teeth: the same lists show A's objects to A's audience.
AUDIENCE_LISTS = [
    ("products:producer_list", "commune_in", "HTX A"),
    ("evaluations:dossier_list", "district_in", "HTX A"),
    ("evaluations:inbox", "district_in", "HTX A"),
    ("evaluations:decision_list", "province_in", "1520/QĐ-UBND"),
    ("evaluations:certificate_list", "producer_a", "HTX A"),
    ("products:change_request_list", "province_in", "HTX A"),
    ("products:sales_point_list", "producer_a", "HTX A trên Shopee"),
    ("core:audit_log", "province_in", "HTX A"),
]


@pytest.mark.django_db
def test_lists_show_producer_a_to_its_audience(world):
    missing = [
        (name, role)
        for name, role, mark in AUDIENCE_LISTS
        if mark.encode() not in world.clients[role].get(url_of(name, world)).content
    ]
    assert missing == []


# --- POST-only routes: those who may not see them change nothing --------------------------


def _fingerprint():
    """What a refused POST must leave as it was."""
    return (
        AuditEntry.objects.count(),
        Notification.objects.count(),
        len(mail.outbox),
        DBTaskResult.objects.count(),
        sorted(Dossier.objects.values_list("pk", "state", "version", "deadline_extended_to")),
        sorted(Producer.objects.values_list("pk", "state")),
        sorted(Certificate.objects.values_list("pk", "status")),
        sorted(Decision.objects.values_list("pk", "state")),
        sorted(SessionItem.objects.values_list("pk", "state")),
        sorted(ProductChangeRequest.objects.values_list("pk", "state")),
        CouncilMember.objects.count(),
        ProductPhoto.objects.count(),
        Inspection.objects.count(),
        sorted(SalesPoint.objects.values_list("pk", "name")),
        sorted(Outlet.objects.values_list("pk", "name")),
    )


POST_ONLY = sorted(name for name, route in TABLE.items() if route.post_only)


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_route_refuses_outsiders_and_changes_nothing(name, world):
    url = url_of(name, world)
    outsiders = [role for role, got in TABLE[name].get.items() if got in (404, LOGIN)]
    before = _fingerprint()
    mismatches = []
    for role in outsiders:
        got = answer(world.clients[role].post(url, {"reason": "x", "note": "x"}))
        if got != TABLE[name].get[role]:
            mismatches.append(f"{role}: expected {TABLE[name].get[role]}, got {got}")
    assert mismatches == []
    assert _fingerprint() == before


@pytest.mark.django_db
def test_demo_outbox_is_not_found_without_its_directory(world):
    with override_settings(OCOP_DEMO_OUTBOX_DIR=None):
        response = world.clients["administrator"].get(reverse("demo:outbox"))
    assert response.status_code == 404
