"""/healthz/, the load balancer's check of each app server (docs/scaling.md)."""

import json
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.production import production_env, run


@pytest.mark.django_db
def test_the_health_check_answers_ok_with_one_query_and_is_never_cached(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "databases": {"default": "ok"}}
    assert response["Cache-Control"] == "no-store"
    assert [q["sql"] for q in queries] == ["SELECT 1"]
    assert "sessionid" not in response.cookies


def _production_request(database_url: str) -> dict:
    """GET /healthz/ under the production settings, over plain HTTP as a balancer asks."""
    script = (
        "import json, django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz/', HTTP_HOST='ocop.example.gov.vn');"
        "print(json.dumps({'status': r.status_code, 'body': r.content.decode()}))"
    )
    result = run("-c", script, env=production_env(DATABASE_URL=database_url, LOG_LEVEL="CRITICAL"))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_in_production_the_check_is_answered_over_plain_http():
    answer = _production_request(os.environ["DATABASE_URL"])

    # Not redirected to HTTPS (SECURE_REDIRECT_EXEMPT): the balancer asks each server directly.
    assert answer["status"] == 200
    assert json.loads(answer["body"])["status"] == "ok"


def test_a_server_that_cannot_reach_its_database_answers_503_not_500():
    # A port nothing listens on: the connection is refused.
    answer = _production_request("postgres://ocop:secret@127.0.0.1:9/ocop")

    assert answer["status"] == 503
    assert json.loads(answer["body"]) == {
        "status": "unavailable",
        "databases": {"default": "unavailable"},
    }
