"""The open-data API (/api/v1/): the certificates list with its status filter and pages, one
certificate, JSON errors, the OpenAPI description, and a constant number of queries."""

import datetime
from typing import get_args

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluations.certificates import api
from evaluations.certificates.selectors import public_certificates
from evaluations.certificates.services import certificate_revoke, decision_issue
from evaluations.certificates.validity import add_months
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate
from ocop.core.enums import UnitLevel, UnitScheme
from tests.evaluations.certificates.conftest import days_ago, scan
from tests.factories import UnitFactory

# `results` and what it is built from: built once for the module's tests that use it.
from tests.fixtures.results_world import *  # noqa: F403

pytestmark = pytest.mark.django_db

LIST = "/api/v1/certificates/"


def detail(number: str) -> str:
    return f"/api/v1/certificates/{number}/"


def numbers(response) -> list[str]:
    return [c["number"] for c in response.json()["results"]]


@pytest.fixture
def three(certificates, province_certificates):
    """The district's two certificates and the province's one."""
    return [*certificates, *province_certificates]


def test_the_list_has_the_documented_shape(client, three):
    response = client.get(LIST)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert body["next"] is None and body["previous"] is None
    first = next(c for c in body["results"] if c["number"] == three[0].number)
    certificate = three[0]
    producer = certificate.producer
    assert first == {
        "number": certificate.number,
        "status": "valid",
        "stars": 3,
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "product": {
            "name": certificate.product.name,
            "product_set": certificate.product.product_set.number,
        },
        "producer": {"name": producer.name, "kind": "cooperative"},
        "province": {"code": "17", "name": "Tỉnh Hoà Bình"},
        "district": {"code": "155", "name": "Huyện Tân Lạc"},
        "decision": {
            "number": "1520/QĐ-UBND",
            "date": certificate.decision.date.isoformat(),
            "issuer": "Huyện Tân Lạc",
        },
    }


def test_the_list_shows_nothing_private(client, three):
    text = client.get(LIST).content.decode()

    for certificate in three:
        producer = certificate.producer
        for private in (
            producer.phone,
            producer.email,
            producer.tax_code,
            producer.registration_no,
            producer.representative_name,
        ):
            assert private not in text


def test_the_list_is_newest_first_then_by_number(client, three):
    newest = three[2]
    Certificate.objects.filter(pk__in=[c.pk for c in three[:2]]).update(
        issued_on=days_ago(3), valid_until=add_months(days_ago(3), 36)
    )

    response = client.get(LIST)

    assert numbers(response) == [newest.number, three[0].number, three[1].number]


def _make_every_status(certificates, province_certificates, district_officer) -> dict:
    """The district's first certificate revoked, its second superseded by the province's;
    the province's stays valid (its dates then say valid, expiring or expired)."""
    first, second = certificates
    (third,) = province_certificates
    certificate_revoke(
        certificate=first,
        reason="quality_violation",
        decision_number="77/QĐ-UBND",
        decision_date=timezone.localdate(),
        actor=district_officer,
    )
    Certificate.objects.filter(pk=second.pk).update(
        status=CertificateStatus.SUPERSEDED, superseded_by=third
    )
    return {"revoked": first, "superseded": second, "other": third}


def _move(certificate, valid_until: datetime.date) -> None:
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=add_months(valid_until, -36), valid_until=valid_until
    )


@pytest.mark.parametrize(
    ("valid_until_days", "expected"),
    [(400, "valid"), (30, "expiring"), (-10, "expired")],
)
def test_the_status_filter_keeps_certificates_standing_so_today(
    client, certificates, province_certificates, district_officer, valid_until_days, expected
):
    made = _make_every_status(certificates, province_certificates, district_officer)
    other = made["other"]
    _move(other, timezone.localdate() + datetime.timedelta(days=valid_until_days))

    by_status = {
        status: numbers(client.get(LIST, {"status": status})) for status in CertificateStatus
    }

    assert by_status == {
        CertificateStatus.VALID: [other.number] if expected == "valid" else [],
        CertificateStatus.EXPIRING: [other.number] if expected == "expiring" else [],
        CertificateStatus.EXPIRED: [other.number] if expected == "expired" else [],
        CertificateStatus.REVOKED: [made["revoked"].number],
        CertificateStatus.SUPERSEDED: [made["superseded"].number],
    }
    body = client.get(LIST, {"status": expected}).json()
    assert body["count"] == 1
    assert body["results"][0]["status"] == expected
    assert client.get(detail(other.number)).json()["status"] == expected


def test_an_invalid_status_is_a_422_naming_the_choices(client, three):
    response = client.get(LIST, {"status": "fake"})

    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["query", "status"]
    for status in CertificateStatus.values:
        assert status in error["msg"]


def test_the_status_names_are_the_models(client):
    assert set(get_args(api.StatusName)) == set(CertificateStatus.values)


def test_pages_link_to_each_other_keeping_the_filter(client, three, monkeypatch):
    monkeypatch.setattr(api, "PAGE_SIZE", 1)

    in_order = list(public_certificates(timezone.localdate()).values_list("number", flat=True))
    first = client.get(LIST, {"status": "valid"}).json()
    assert first["count"] == 3
    assert first["previous"] is None
    # Onward by keyset: after the page's last certificate, the filter kept.
    after = f"http://testserver/api/v1/certificates/?status=valid&after={in_order[0]}"
    assert first["next"] == after

    second = client.get(first["next"]).json()
    assert second["count"] == 3
    assert second["next"].endswith(f"?status=valid&after={in_order[1]}")

    last = client.get(second["next"]).json()
    assert last["next"] is None
    seen = [page["results"][0]["number"] for page in (first, second, last)]
    assert seen == in_order
    assert len(set(seen)) == 3

    # Page numbers still work, and lead back.
    page_two = client.get(LIST, {"status": "valid", "page": 2}).json()
    assert page_two["results"] == second["results"]
    assert page_two["previous"] == "http://testserver/api/v1/certificates/?status=valid&page=1"


def test_after_and_page_together_or_an_unknown_number_are_a_422(client, three):
    both = client.get(LIST, {"page": 1, "after": three[0].number})
    assert both.status_code == 422
    assert both.json()["detail"][0]["msg"] == "Use either page or after, not both."

    unknown = client.get(LIST, {"after": "OCOP-99-2026-0001"})
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == [
        {
            "type": "value_error",
            "loc": ["query", "after"],
            "msg": "No certificate has the number OCOP-99-2026-0001.",
        }
    ]


def test_walking_the_next_links_reads_each_certificate_once_in_order(client, three, monkeypatch):
    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    seen, url = [], LIST
    while url:
        body = client.get(url).json()
        seen += [c["number"] for c in body["results"]]
        url = body["next"]
    assert seen == list(public_certificates(timezone.localdate()).values_list("number", flat=True))


def test_the_page_size_is_50(client):
    assert api.PAGE_SIZE == 50


def test_a_page_past_the_last_is_a_404(client, three):
    response = client.get(LIST, {"page": 2})

    assert response.status_code == 404
    assert response.json() == {"detail": "Page 2 does not exist: the last page is 1."}
    assert client.get(LIST, {"page": 0}).status_code == 422
    assert client.get(LIST, {"page": "x"}).status_code == 422


def test_an_empty_register_is_an_empty_first_page(client, db):
    assert client.get(LIST).json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_one_certificate(client, three):
    certificate = three[2]

    response = client.get(detail(certificate.number))

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == certificate.number
    assert body["stars"] == 4
    assert body["decision"]["number"] == "2365/QĐ-UBND"
    assert body["decision"]["issuer"] == "Tỉnh Hoà Bình"
    # Vietnamese as it is, not \\u escapes.
    assert "Hoà Bình" in response.content.decode()


def test_an_unknown_number_is_a_404_in_json(client, three):
    response = client.get(detail("OCOP-99-2020-0042"))

    assert response.status_code == 404
    assert response.json() == {"detail": "No certificate has the number OCOP-99-2020-0042."}


def test_the_two_tier_map_has_no_district(client, certificates):
    certificate = certificates[0]
    province = UnitFactory(
        scheme=UnitScheme.TWO_TIER, code="15", name="Tỉnh Phú Thọ", short_name="Phú Thọ"
    )
    commune = UnitFactory(
        scheme=UnitScheme.TWO_TIER,
        level=UnitLevel.COMMUNE,
        code="04900",
        name="Xã Tân Lạc",
        short_name="Tân Lạc",
        division_type="xã",
        parent=province,
    )
    # A certificate issued to a producer on the two-tier map (the commune it certified).
    type(certificate).objects.filter(pk=certificate.pk).update(producer_address_unit=commune)

    body = client.get(detail(certificate.number)).json()

    assert body["district"] is None
    assert body["province"] == {"code": "15", "name": "Tỉnh Phú Thọ"}


def test_anonymous_get_needs_no_csrf_and_writes_are_refused(three):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.get(LIST).status_code == 200
    assert strict.post(LIST, {}).status_code == 405
    assert strict.delete(detail(three[0].number)).status_code == 405


def test_openapi_lists_the_paths_and_the_docs_page_is_off(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "OCOP registry open data"
    assert schema["info"]["version"] == "1"
    assert set(schema["paths"]) == {
        "/api/v1/certificates/",
        "/api/v1/certificates/{number}/",
        "/api/v1/stats/funnel/",
        "/api/v1/products/",
    }
    assert set(schema["paths"]["/api/v1/certificates/"]) == {"get"}
    # The officers' report says whom it answers.
    funnel = schema["paths"]["/api/v1/stats/funnel/"]["get"]
    assert {"200", "401", "404"} <= set(funnel["responses"])
    assert client.get("/api/v1/docs").status_code == 404


# --- queries ------------------------------------------------------------------------------


def _queries(client, url, data=None) -> int:
    """The queries of the answer as made, not as kept whole in the cache (decision 0033)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_with_1_and_3_certificates(
    client, province_certificates, district_decision, district_officer
):
    one = _queries(client, LIST)
    one_filtered = _queries(client, LIST, {"status": "valid"})
    one_detail = _queries(client, detail(province_certificates[0].number))

    decision_issue(decision=district_decision, signed_scan=scan(), actor=district_officer)
    assert Certificate.objects.count() == 3

    # The count, the page's ids, their rows, their units.
    assert _queries(client, LIST) == one == 4
    # After a certificate: that certificate's place in the order, then the same four.
    after = {"after": province_certificates[0].number}
    assert _queries(client, LIST, after) == 5
    assert _queries(client, LIST, {"status": "valid"}) == one_filtered == 4
    # The certificate, its units.
    assert _queries(client, detail(province_certificates[0].number)) == one_detail == 2
