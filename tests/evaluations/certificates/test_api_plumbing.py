"""The open data's plumbing on the API (decision 0029): every status documented, 422 for an
unknown parameter, ETag and 304, cache headers, the rate limit per client address."""

import datetime

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from evaluations.certificates.services import certificate_revoke
from evaluations.certificates.validity import add_months
from evaluations.models import Certificate
from tests.fixtures.clock import on_day

# `results` and what it is built from: built once for the module's tests that use it.
from tests.fixtures.results_world import *  # noqa: F403

pytestmark = pytest.mark.django_db

LIST = "/api/v1/certificates/"
FUNNEL = "/api/v1/stats/funnel/"


def detail(number: str) -> str:
    return f"/api/v1/certificates/{number}/"


@pytest.fixture
def three(certificates, province_certificates):
    return [*certificates, *province_certificates]


@pytest.fixture
def counters():
    """The rate limit's counters start from nothing and are left so."""
    cache.clear()
    yield
    cache.clear()


# --- the schema ---------------------------------------------------------------------------


def test_the_schema_lists_every_status_each_operation_answers(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    statuses = {path: set(item["get"]["responses"]) for path, item in paths.items()}

    assert statuses == {
        "/api/v1/certificates/": {"200", "304", "404", "422", "429"},
        "/api/v1/certificates/{number}/": {"200", "304", "404", "422", "429"},
        "/api/v1/stats/funnel/": {"200", "304", "401", "404", "422", "429"},
        "/api/v1/products/": {"200", "304", "404", "422", "429"},
    }


def test_the_schema_shares_one_error_shape_and_names_the_headers(client):
    schema = client.get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/certificates/"]["get"]["responses"]
    components = schema["components"]["schemas"]

    def ref(status):
        return responses[status]["content"]["application/json"]["schema"]["$ref"]

    assert ref("404") == ref("429") == "#/components/schemas/Message"
    assert ref("422") == "#/components/schemas/ValidationErrors"
    assert components["Message"]["required"] == ["detail"]
    assert components["ValidationErrors"]["properties"]["detail"]["items"] == {
        "$ref": "#/components/schemas/ValidationIssue"
    }
    assert set(responses["200"]["headers"]) == {"ETag", "Cache-Control"}
    assert set(responses["429"]["headers"]) == {"Retry-After"}
    assert "content" not in responses["304"]
    parameters = schema["paths"]["/api/v1/certificates/"]["get"]["parameters"]
    assert [(p["in"], p["name"]) for p in parameters] == [
        *[
            ("query", name)
            for name in (
                "q",
                "stars",
                "min_stars",
                "province",
                "district",
                "commune",
                "sector",
                "product_set",
                "year",
                "sold_in",
                "status",
                "page",
                "after",
            )
        ],
        ("header", "If-None-Match"),
    ]


# --- 422 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "takes"),
    [
        (
            LIST,
            "after, commune, district, min_stars, page, product_set, province, q, sector, "
            "sold_in, stars, status, year",
        ),
        (detail("OCOP-17-2025-0001"), "no query parameter"),
        (FUNNEL, "province, round, year"),
    ],
)
def test_an_unknown_parameter_is_a_422_naming_it_on_every_operation(client, url, takes):
    response = client.get(url, {"province_code": "17", "sort_by": "name"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "extra_forbidden",
                "loc": ["query", name],
                "msg": f"Unknown parameter: this operation takes {takes}.",
            }
            for name in ("province_code", "sort_by")
        ]
    }


def test_known_parameters_pass(client, three):
    assert client.get(LIST, {"status": "valid", "page": 1}).status_code == 200


def test_a_bad_value_is_a_documented_422(client, three):
    response = client.get(LIST, {"status": "valid-ish"})

    assert response.status_code == 422
    (issue,) = response.json()["detail"]
    assert issue["type"] == "literal_error"
    assert issue["loc"] == ["query", "status"]
    assert "'valid', 'expiring', 'expired', 'revoked' or 'superseded'" in issue["msg"]
    schema = client.get("/api/v1/openapi.json").json()
    documented = schema["paths"]["/api/v1/certificates/"]["get"]["responses"]["422"]
    assert documented["content"]["application/json"]["schema"]["$ref"].endswith("ValidationErrors")


# --- ETag, 304, Cache-Control, Vary -------------------------------------------------------


def test_an_answer_carries_an_etag_and_may_be_kept_five_minutes_by_anyone(client, three):
    response = client.get(LIST)

    assert response.status_code == 200
    assert response["ETag"].startswith('"') and len(response["ETag"]) > 20
    assert response["Cache-Control"] == "public, max-age=300"
    # The English JSON reads neither the language cookie nor the session.
    assert "Vary" not in response
    assert "Content-Language" not in response


def test_a_matching_if_none_match_is_a_304_without_a_body(client, three):
    etag = client.get(detail(three[0].number))["ETag"]

    response = client.get(detail(three[0].number), headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Vary" not in response


def test_another_etag_is_a_200_with_the_body(client, three):
    response = client.get(LIST, headers={"if-none-match": '"something-older"'})

    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_each_page_and_filter_has_its_own_etag(client, three):
    etags = {
        client.get(LIST)["ETag"],
        client.get(LIST, {"status": "revoked"})["ETag"],
        client.get(detail(three[0].number))["ETag"],
    }

    assert len(etags) == 3


def test_a_revocation_changes_the_etag(
    client, three, district_officer, django_capture_on_commit_callbacks
):
    before = client.get(LIST)["ETag"]
    assert client.get(LIST)["ETag"] == before  # nothing changed, the same ETag

    # The answers kept in the cache are renewed once the revocation commits (decision 0033).
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(
            certificate=three[0],
            reason="quality_violation",
            decision_number="77/QĐ-UBND",
            decision_date=timezone.localdate(),
            actor=district_officer,
        )

    response = client.get(LIST, headers={"if-none-match": before})
    assert response.status_code == 200
    assert response["ETag"] != before
    assert "revoked" in {c["status"] for c in response.json()["results"]}


def test_the_date_turning_a_status_changes_the_etag(client, three):
    certificate = three[0]
    valid_until = timezone.localdate() + datetime.timedelta(days=400)
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=add_months(valid_until, -36), valid_until=valid_until
    )
    url = detail(certificate.number)
    today = client.get(url)
    assert today.json()["status"] == "valid"

    # The same register, read on a day inside the certificate's last months.
    with on_day(valid_until - datetime.timedelta(days=30)):
        later = client.get(url, headers={"if-none-match": today["ETag"]})

    assert later.status_code == 200
    assert later.json()["status"] == "expiring"
    assert later["ETag"] != today["ETag"]


def test_errors_carry_no_etag(client, three):
    response = client.get(detail("OCOP-99-2020-0042"))

    assert response.status_code == 404
    assert "ETag" not in response
    assert "Vary" not in response


def test_the_officers_report_is_private_and_varies_on_the_session(client, province_officer):
    client.force_login(province_officer)

    response = client.get(FUNNEL, {"province": "17", "year": 2025})

    assert response.status_code == 200
    assert response["ETag"]
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-cache"}
    assert "Cookie" in response["Vary"]
    again = client.get(
        FUNNEL, {"province": "17", "year": 2025}, headers={"if-none-match": response["ETag"]}
    )
    assert again.status_code == 304


# --- the rate limit -----------------------------------------------------------------------


@override_settings(OCOP_OPEN_DATA_RATE="3/m")
def test_past_the_limit_an_address_gets_a_429_with_retry_after(client, three, counters):
    answers = [client.get(LIST, REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)]
    refused = client.get(detail(three[0].number), REMOTE_ADDR="203.0.113.7")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    assert refused.json() == {
        "detail": "Too many requests from your address (the open data allows 3/m). "
        f"Try again in {wait} seconds."
    }
    assert refused["Content-Type"] == "application/json"
    assert "no-store" in refused["Cache-Control"]
    # Another address has its own budget.
    assert client.get(LIST, REMOTE_ADDR="203.0.113.8").status_code == 200


@override_settings(OCOP_OPEN_DATA_RATE="2/m")
def test_every_answer_counts_errors_and_304s_too(client, three, counters):
    etag = client.get(LIST)["ETag"]
    assert client.get(LIST, headers={"if-none-match": etag}).status_code == 304

    assert client.get(LIST, {"bad": 1}).status_code == 429


@override_settings(OCOP_OPEN_DATA_RATE="2/m", OCOP_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_limit_counts_the_address_the_proxy_saw(client, three, counters):
    def ask(forwarded):
        return client.get(LIST, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    # The client wrote a first entry itself: only the proxy's own entry counts.
    assert ask("1.1.1.1, 198.51.100.4").status_code == 200
    assert ask("2.2.2.2, 198.51.100.4").status_code == 200
    assert ask("198.51.100.4").status_code == 429
    assert ask("198.51.100.5").status_code == 200


@override_settings(OCOP_OPEN_DATA_RATE="2/m")
def test_without_a_proxy_setting_x_forwarded_for_is_ignored(client, three, counters):
    for spoofed in ("1.1.1.1", "2.2.2.2"):
        assert client.get(LIST, HTTP_X_FORWARDED_FOR=spoofed).status_code == 200

    assert client.get(LIST, HTTP_X_FORWARDED_FOR="3.3.3.3").status_code == 429
