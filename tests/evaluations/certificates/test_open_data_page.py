"""The open data described for people (/open-data/): public, Vietnamese first, in the site's
layout, linked from every page's footer, and in step with the API it describes."""

import json

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from evaluations.certificates.api import CertificatePage
from evaluations.certificates.views.open_data import (
    EXAMPLE_CERTIFICATE,
    EXAMPLE_PRODUCT,
    rate_text,
)

pytestmark = pytest.mark.django_db

URL = "/open-data/"


def _in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _by_default(client):
    """No language chosen: the site's own, Vietnamese (this folder's tests choose English)."""
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)


def test_the_route_is_named():
    assert reverse("evaluations:open_data") == URL


@override_settings(OCOP_OPEN_DATA_RATE="120/m")
def test_anonymous_visitors_read_it_in_vietnamese_first(client):
    _by_default(client)

    response = client.get(URL)

    assert response.status_code == 200
    text = response.content.decode()
    assert '<h1 class="h3 mb-3">Dữ liệu mở</h1>' in text
    assert "Giấy phép" in text and "CC BY 4.0" in text
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in text
    assert "120 yêu cầu mỗi phút" in text
    assert "300 giây" in text
    # The site's layout: the menu and the footer.
    assert 'data-testid="nav"' in text
    assert 'data-testid="open-data-link"' in text


@override_settings(OCOP_OPEN_DATA_RATE="120/m")
def test_it_reads_in_english_too(client):
    _in_english(client)

    text = client.get(URL).content.decode()

    assert '<h1 class="h3 mb-3">Open data</h1>' in text
    assert "120 requests a minute" in text
    assert "Rate limit and caching" in text


def test_it_describes_every_endpoint_with_examples(client):
    _in_english(client)

    text = client.get(URL).content.decode()

    assert 'href="/api/v1/openapi.json"' in text
    for path in (
        "GET /api/v1/certificates/",
        "GET /api/v1/certificates/{number}/",
        "GET /api/v1/products/",
        "/open-data/products.csv",
        "/open-data/products.xlsx",
    ):
        assert path in text
    assert "curl 'http://testserver/api/v1/certificates/?status=expiring'" in text
    assert "curl 'http://testserver/api/v1/certificates/OCOP-17-2025-0012/'" in text
    assert "If-None-Match" in text
    for status in ("valid", "expiring", "expired", "revoked", "superseded"):
        assert f"<code>{status}</code>" in text
    for code in ("304", "404", "422", "429"):
        assert f"<code>{code}</code>" in text


def test_the_example_answer_is_what_the_api_answers(client):
    page = client.get(URL).context["example_page"]

    # Exactly the API's page shape and fields (pydantic would accept extra keys silently).
    parsed = CertificatePage.model_validate(json.loads(page))
    assert parsed.model_dump(mode="json") == json.loads(page)
    assert json.loads(page)["results"] == [EXAMPLE_CERTIFICATE]


def test_the_example_products_are_what_the_api_answers(client):
    from evaluations.catalogue.api import ListedProductPage

    page = client.get(URL).context["example_products"]
    parsed = ListedProductPage.model_validate(json.loads(page))
    assert parsed.model_dump(mode="json") == json.loads(page)
    assert json.loads(page)["results"] == [EXAMPLE_PRODUCT]


def test_the_page_is_the_same_for_a_signed_in_user(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("someone"))

    assert client.get(URL).status_code == 200


def test_every_page_links_to_it_in_the_footer(client):
    _by_default(client)
    text = client.get("/").content.decode()

    assert f'<a href="{URL}" data-testid="open-data-link">Dữ liệu mở</a>' in text


@pytest.mark.parametrize(
    ("rate", "english"),
    [
        ("120/m", "120 requests a minute"),
        ("1/h", "1 request an hour"),
        ("5000/d", "5000 requests a day"),
        ("10/s", "10 requests a second"),
        ("100/5m", "100 requests every 300 seconds"),
        (None, "no limit"),
    ],
)
def test_the_rate_in_words(rate, english):
    from django.utils import translation

    with translation.override("en"):
        assert rate_text(rate) == english


@override_settings(OCOP_OPEN_DATA_RATE="30/h")
def test_the_page_states_the_configured_rate(client):
    _in_english(client)

    assert "at most 30 requests an hour" in client.get(URL).content.decode()


def test_the_page_costs_no_query_for_a_visitor(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get(URL).status_code == 200
