"""A schema-driven fuzzer on the open-data API (issue 15, decision 0029): schemathesis reads
/api/v1/openapi.json and sends each operation requests made from it, valid and invalid, to
the app in this process (WSGI, the test database with certificates in it). Every answer must
be no server error, a status the schema documents for that operation, with the documented
content type, headers and body.

The number of examples is capped so that the whole module runs in tens of seconds.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# `results` and what it is built from: built once for the module's tests that use it.
from tests.fixtures.results_world import *  # noqa: F403

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# Loaded when the module is collected: the schema is made from the code, with no query.
# (schemathesis.pytest.from_fixture, which would load it in a fixture, fails on pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler()).include(method="GET")


@pytest.fixture
def register(certificates, province_certificates):
    """Three certificates in the register, and the app kept on the test's transaction:
    Django's WSGI handler closes the database connection after each request, which would end
    it; the test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield [*certificates, *province_certificates]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def officer_cookie(client, province_officer) -> dict:
    """The session of the province's officer, for the officers' /stats/ operations."""
    client.force_login(province_officer)
    return {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_documented_and_conforms(case, register, officer_cookie):
    for headers in ({}, officer_cookie):
        case.call_and_validate(headers=headers, checks=CHECKS)
