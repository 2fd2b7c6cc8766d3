"""The public verification page: every status in large words, nothing private, a plain 404
for an unknown number, the search box, and a constant number of queries."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from evaluations.certificates.services import certificate_revoke, decision_issue
from evaluations.certificates.validity import add_months
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate
from ocop.core.enums import UnitLevel, UnitScheme
from ocop.core.search import fold
from tests.evaluations.certificates.conftest import days_ago, scan
from tests.factories import UnitFactory

# `results` and what it is built from: built once for the module's tests that use it.
from tests.fixtures.results_world import *  # noqa: F403

pytestmark = pytest.mark.django_db


def verify_url(certificate) -> str:
    return reverse("evaluations:verify", args=[certificate.number])


def move_dates(certificate, *, valid_until: datetime.date) -> None:
    """Put the certificate's 36 months so that they end on `valid_until` (both dates move:
    the database requires valid_until > issued_on)."""
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=add_months(valid_until, -36), valid_until=valid_until
    )


def status_of(response) -> str:
    html = response.content.decode()
    marker = 'data-testid="status" data-status="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_a_valid_certificate_shows_what_it_certifies(client, certificates, producers):
    certificate = certificates[0]

    response = client.get(verify_url(certificate))

    assert response.status_code == 200
    assert status_of(response) == CertificateStatus.VALID
    assert response.context["status_text"] == "Valid"
    assert response.context["status_css"] == "success"
    page = response.content.decode()
    assert certificate.number in page
    assert certificate.product.name in page
    assert certificate.producer.name in page
    assert "Cooperative (HTX)" in page
    assert "Huyện Tân Lạc" in page and "Tỉnh Hoà Bình" in page
    assert str(certificate.product.product_set) in page
    assert "★★★" in page and "3 stars" in page
    assert "1520/QĐ-UBND" in page
    assert "Bùi Văn Cường" in page  # the decision's signer, and no one else
    assert "Valid until" in page
    assert 'data-testid="verify-search"' in page  # verify another


def test_the_page_shows_nothing_private(client, certificates, producers):
    certificate = certificates[0]
    producer = certificate.producer

    page = client.get(verify_url(certificate)).content.decode()

    assert producer.phone and producer.phone not in page
    assert producer.email and producer.email not in page
    assert producer.tax_code not in page
    assert producer.registration_no not in page
    assert producer.representative_name not in page


def test_an_expiring_certificate_says_it_is_still_valid(client, certificates):
    certificate = certificates[0]
    move_dates(certificate, valid_until=timezone.localdate() + datetime.timedelta(days=30))

    response = client.get(verify_url(certificate))

    assert response.status_code == 200
    assert status_of(response) == CertificateStatus.EXPIRING
    assert response.context["status_text"] == "Expiring soon — still valid"
    assert "Expiring soon — still valid" in response.content.decode()


def test_a_certificate_past_its_date_reads_expired(client, certificates):
    certificate = certificates[0]
    move_dates(certificate, valid_until=days_ago(10))

    response = client.get(verify_url(certificate))

    assert status_of(response) == CertificateStatus.EXPIRED
    assert response.context["status_text"] == "Expired"
    assert "It was valid until" in response.content.decode()


def test_a_revoked_certificate_names_the_revoking_decision(client, certificates, district_officer):
    certificate = certificates[0]
    certificate_revoke(
        certificate=certificate,
        reason="quality_violation",
        decision_number="77/QĐ-UBND",
        decision_date=days_ago(2),
        actor=district_officer,
    )

    response = client.get(verify_url(certificate))

    assert response.status_code == 200
    assert status_of(response) == CertificateStatus.REVOKED
    assert response.context["status_text"] == "Revoked"
    page = response.content.decode()
    assert (
        f"Revoked by decision 77/QĐ-UBND of {date_format(days_ago(2), 'SHORT_DATE_FORMAT')}" in page
    )
    assert "Quality or food-safety violation" in page


def test_a_superseded_certificate_links_to_the_newer_one(client, certificates):
    old, new = certificates
    # A re-evaluation would supersede it through decision_issue; the page only reads the row.
    Certificate.objects.filter(pk=old.pk).update(
        status=CertificateStatus.SUPERSEDED, superseded_by=new
    )

    response = client.get(verify_url(old))

    assert response.status_code == 200
    assert status_of(response) == CertificateStatus.SUPERSEDED
    assert response.context["status_text"] == "Superseded"
    assert f'href="{verify_url(new)}"' in response.content.decode()


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

    response = client.get(verify_url(certificate))

    assert response.context["place"].district is None
    assert response.context["place"].province == province
    page = response.content.decode()
    assert "Tỉnh Phú Thọ" in page
    assert 'data-testid="district"' not in page


def test_an_unknown_number_is_a_plain_404_with_the_search_box(client, certificates):
    response = client.get(reverse("evaluations:verify", args=["OCOP-99-2020-0042"]))

    assert response.status_code == 404
    assert response.templates[0].name == "evaluations/verify/not_found.html"
    page = response.content.decode()
    assert "No OCOP certificate has the number" in page
    assert 'data-testid="verify-search"' in page
    assert 'value="OCOP-99-2020-0042"' in page
    assert "Page not found" not in page  # never the generic 404


def test_the_number_in_another_case_goes_to_the_page(client, certificates):
    certificate = certificates[0]

    response = client.get(reverse("evaluations:verify", args=[certificate.number.lower()]))

    assert response.status_code == 302
    assert response.url == verify_url(certificate)


# --- the search box ---------------------------------------------------------------------


def test_the_search_page_shows_the_box(client):
    response = client.get(reverse("evaluations:verify_search"))

    assert response.status_code == 200
    assert 'data-testid="verify-search"' in response.content.decode()


def test_a_number_found_redirects_to_its_page(client, certificates):
    certificate = certificates[1]

    response = client.get(
        reverse("evaluations:verify_search"), {"number": f"  {certificate.number.lower()} "}
    )

    assert response.status_code == 302
    assert response.url == verify_url(certificate)


@pytest.mark.parametrize(
    "typed",
    [
        lambda n: n.lower(),
        lambda n: n.replace("-", " "),
        lambda n: n.replace("-", ""),
        lambda n: " " + n.replace("-", " ").lower() + " ",
        lambda n: n.replace("-", "."),
    ],
    ids=["lower", "spaces", "no-dashes", "spaces-lower", "dots"],
)
def test_a_number_typed_by_hand_finds_its_certificate(client, certificates, typed):
    certificate = certificates[1]

    response = client.get(
        reverse("evaluations:verify_search"), {"number": typed(certificate.number)}
    )

    assert response.status_code == 302
    assert response.url == verify_url(certificate)


def test_a_product_name_without_tone_marks_lists_its_certificates(client, certificates):
    certificate = certificates[0]

    response = client.get(
        reverse("evaluations:verify_search"), {"number": fold(certificate.product_name).upper()}
    )

    assert response.status_code == 200
    assert response.templates[0].name == "evaluations/verify/matches.html"
    assert certificate in response.context["certificates"]
    page = response.content.decode()
    assert verify_url(certificate) in page
    assert 'data-testid="verify-matches"' in page
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_a_number_not_found_keeps_what_was_typed(client, certificates):
    response = client.get(reverse("evaluations:verify_search"), {"number": " OCOP-17-1999-9 "})

    assert response.status_code == 404
    page = response.content.decode()
    assert "No OCOP certificate has the number <strong>OCOP-17-1999-9</strong>, and no" in page
    assert 'value="OCOP-17-1999-9"' in page


def test_an_empty_number_asks_for_one(client):
    response = client.get(reverse("evaluations:verify_search"), {"number": "   "})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the number printed on the certificate, or the product&#x27;s name." in page
    assert "is-invalid" in page


def test_a_number_too_long_is_refused_at_the_field(client):
    response = client.get(reverse("evaluations:verify_search"), {"number": "X" * 200})

    assert response.status_code == 200
    assert response.context["form"].errors["number"]


def test_pages_escape_what_was_typed(client):
    response = client.get(reverse("evaluations:verify_search"), {"number": "<script>x</script>"})

    assert response.status_code == 404
    assert "<script>x</script>" not in response.content.decode()


# --- queries ------------------------------------------------------------------------------


def _page_queries(client, certificate) -> int:
    """The queries of the page as rendered, not as kept whole in the cache (decision 0033)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(verify_url(certificate))
    assert response.status_code == 200
    return len(queries)


def test_the_page_costs_the_same_with_1_and_3_certificates(
    client, province_certificates, district_decision, district_officer
):
    certificate = province_certificates[0]
    one = _page_queries(client, certificate)

    decision_issue(decision=district_decision, signed_scan=scan(), actor=district_officer)
    assert Certificate.objects.count() == 3
    three = _page_queries(client, certificate)

    assert one == three
    assert one <= 2


def test_every_status_costs_the_same(client, certificates, district_officer):
    first, second = certificates
    baseline = _page_queries(client, first)
    Certificate.objects.filter(pk=first.pk).update(
        status=CertificateStatus.SUPERSEDED, superseded_by=second
    )
    assert _page_queries(client, first) == baseline
    certificate_revoke(
        certificate=second,
        reason="producer_request",
        decision_number="5/QĐ-UBND",
        decision_date=timezone.localdate(),
        actor=district_officer,
    )
    assert _page_queries(client, second) == baseline


@pytest.mark.parametrize("word", ["Cá", "Ốc", "Pò", "op"])
def test_a_short_word_is_not_read_as_a_part_of_every_number(word, certificates):
    from evaluations.certificates.selectors import number_matches_q

    assert not Certificate.objects.filter(number_matches_q(word)).exists()
    assert Certificate.objects.filter(number_matches_q(certificates[0].number[-6:])).exists()


def test_an_issued_decision_shows_on_the_kept_pages_once_committed(
    client, district_decision, district_officer, django_capture_on_commit_callbacks
):
    catalogue = reverse("evaluations:catalogue")
    assert client.get(catalogue).context["page"].paginator.count == 0
    assert client.get(catalogue).context is None  # kept whole (decision 0033)

    with django_capture_on_commit_callbacks(execute=True):
        issued = decision_issue(
            decision=district_decision, signed_scan=scan(), actor=district_officer
        )

    response = client.get(catalogue)
    assert response.context["page"].paginator.count == len(issued) == 2
    assert client.get(verify_url(issued[0])).status_code == 200
