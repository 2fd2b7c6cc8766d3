"""Whole public pages from the cache (decision 0033): served to anonymous visitors without a
query, never to the signed-in, with Cache-Control and an ETag; read afresh when the register
changes through its services (only once their transaction commits) and at midnight; the
language switch is a link; no CSRF token, nonce or cookie on a public page."""

import datetime
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import INFO, add_message
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from evaluations.certificates.services import certificate_revoke, certificates_lifecycle
from evaluations.enums import CertificateStatus
from ocop.core.public_cache import page_key, public_page, register_changed, register_version
from products.services.products import product_update
from tests.evaluations.catalogue.test_pages import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def cam(world):
    certificate = world.certificate(
        name="Cam Cao Phong", stars=4, score=Decimal("78.50"), product_set=4
    )
    certificate.product.description = "Cam trồng trên đồi đá vôi."
    certificate.product.save()
    return certificate


def revoke(certificate, world, reason: str = "quality_violation"):
    """The district's office revokes the certificate today, through the service."""
    return certificate_revoke(
        certificate=certificate,
        reason=reason,
        decision_number="77/QĐ-UBND",
        decision_date=timezone.localdate(),
        actor=world.district_officer,
    )


def product_url(certificate) -> str:
    return reverse("evaluations:catalogue_product", args=[certificate.product_id])


def verify_url(certificate) -> str:
    return reverse("evaluations:verify", args=[certificate.number])


def public_urls(certificate) -> list[str]:
    return [
        reverse("home"),
        reverse("evaluations:catalogue"),
        reverse("evaluations:catalogue") + "?q=cam&stars=4",
        product_url(certificate),
        reverse("evaluations:catalogue_producer", args=[certificate.producer_id]),
        reverse("evaluations:verify_search"),
        verify_url(certificate),
        reverse("evaluations:open_data"),
    ]


def test_an_anonymous_visitor_is_served_from_the_cache_without_a_query(
    client, cam, django_assert_num_queries
):
    for url in public_urls(cam):
        first = client.get(url)
        assert first.status_code == 200, url

        with django_assert_num_queries(0):
            second = client.get(url)

        assert second.status_code == 200, url
        assert second.content == first.content, url
        if url.startswith("/verify/"):  # a revocation shows at once: always asked again
            assert set(second["Cache-Control"].split(", ")) == {"public", "no-cache"}, url
        else:
            assert second["Cache-Control"] == "public, max-age=60", url
        assert second["ETag"] == first["ETag"], url
        assert "Cookie" in second["Vary"], url
        assert second["Content-Language"] == "en", url
        assert "Content-Security-Policy" in second, url


def test_a_copy_still_current_answers_304(client, cam):
    etag = client.get(product_url(cam))["ETag"]

    response = client.get(product_url(cam), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert client.get(product_url(cam), HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_signed_in_user_is_never_served_a_kept_page_nor_kept(client, cam, world):
    officer = world.province_officer
    anonymous = client.get(product_url(cam)).content.decode()

    client.force_login(officer)
    signed_in = client.get(product_url(cam))
    again = client.get(product_url(cam))
    client.logout()  # which forgets every cookie, the language's too
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    after = client.get(product_url(cam))

    assert 'data-testid="account-toggle"' not in anonymous
    assert 'data-testid="account-toggle"' in signed_in.content.decode()
    assert 'data-testid="account-toggle"' in again.content.decode()
    assert set(signed_in["Cache-Control"].split(", ")) == {"private", "no-cache"}
    assert 'data-testid="account-toggle"' not in after.content.decode()
    assert after.content.decode() == anonymous


def test_a_signed_in_users_page_is_not_served_to_the_next_visitor(client, cam, world):
    client.force_login(world.province_officer)
    client.get(product_url(cam))
    client.logout()

    html = client.get(product_url(cam)).content.decode()

    assert 'data-testid="account-toggle"' not in html
    assert 'data-testid="login"' in html


def test_a_visitor_with_a_message_waiting_is_served_afresh_and_not_kept(db):
    calls = []

    @public_page
    def view(request):
        calls.append(request)
        return HttpResponse(f"page {len(calls)}")

    def visitor(message: str | None = None):
        request = RequestFactory().get("/some-page/")
        request.user = AnonymousUser()
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        if message:
            add_message(request, INFO, message)
        return request

    with_message = visitor("Saved.")
    answered = view(with_message)
    assert set(answered["Cache-Control"].split(", ")) == {"private", "no-cache"}
    assert view(visitor()).content == b"page 2"  # the first was not kept
    assert view(visitor()).content == b"page 2"  # the second was
    assert view(visitor("Saved.")).content == b"page 3"


def test_a_page_that_would_set_a_cookie_is_not_kept(db):
    from django.middleware.csrf import get_token

    @public_page
    def view(request):
        get_token(request)
        return HttpResponse(f"page {len(request.META)}")

    request = RequestFactory().get("/with-a-form/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    key = page_key(request)

    view(request)

    from django.core.cache import cache

    assert cache.get(key) is None


def test_public_pages_carry_no_csrf_token_no_nonce_and_set_no_cookie(client, cam):
    for url in public_urls(cam):
        response = client.get(url)
        html = response.content.decode()

        assert "csrfmiddlewaretoken" not in html, url
        assert "nonce" not in html, url
        assert "nonce-" not in response["Content-Security-Policy"], url
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        assert dict(response.cookies) == {}, url


def test_the_language_link_sets_the_cookie_and_goes_back(client, cam):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    url = reverse("evaluations:catalogue") + "?q=cam&stars=4"
    vietnamese = client.get(url).content.decode()
    link = reverse("core:language", args=["en"]) + "?next=" + quote(url, safe="/")
    assert f'href="{link}"' in vietnamese

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"] == url
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = client.get(url).content.decode()
    assert '<html lang="en"' in english
    assert '<html lang="vi"' in vietnamese
    assert "Log in" in english and "Đăng nhập" in vietnamese
    # Back to Vietnamese, the page kept in Vietnamese.
    client.get(reverse("core:language", args=["vi"]), {"next": url})
    assert client.get(url).content.decode() == vietnamese


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/catalogue/", "javascript:alert(1)", "http:/x"],
)
def test_the_language_link_never_leads_off_the_site(client, target):
    response = client.get(reverse("core:language", args=["en"]), {"next": target})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_an_unknown_language_answers_404(client):
    response = client.get("/language/fr/", {"next": "/"})

    assert response.status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_revocation_shows_at_once_once_committed(
    client, cam, world, django_capture_on_commit_callbacks
):
    assert client.get(verify_url(cam)).context["status"] == CertificateStatus.VALID

    with django_capture_on_commit_callbacks(execute=True):
        revoke(cam, world)

    response = client.get(verify_url(cam))
    assert response.context["status"] == CertificateStatus.REVOKED
    assert 'data-status="revoked"' in client.get(product_url(cam)).content.decode()


def test_a_change_rolled_back_keeps_the_pages(
    client, cam, world, django_capture_on_commit_callbacks
):
    before = register_version()
    client.get(product_url(cam))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError):  # a revocation refused: no reason given
            revoke(cam, world, reason="")
        with pytest.raises(RuntimeError), transaction.atomic():
            register_changed()
            raise RuntimeError

    assert callbacks == []
    assert register_version() == before
    assert client.get(product_url(cam)).context is None  # still the kept page


def test_a_change_to_the_product_shows_once_committed(
    client, cam, django_capture_on_commit_callbacks
):
    owner = cam.producer.members.get().user
    client.get(product_url(cam))

    with django_capture_on_commit_callbacks(execute=True):
        product_update(product=cam.product, actor=owner, description="Vỏ mỏng, nhiều nước.")

    assert "Vỏ mỏng, nhiều nước." in client.get(product_url(cam)).content.decode()


def test_a_new_photo_shows_once_committed(client, cam, django_capture_on_commit_callbacks):
    owner = cam.producer.members.get().user
    assert "srcset=" not in client.get(product_url(cam)).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        photo(cam.product, owner)

    assert "srcset=" in client.get(product_url(cam)).content.decode()


def test_a_new_place_to_buy_shows_once_committed(
    client, cam, units, django_capture_on_commit_callbacks
):
    from products.services.sales import sales_point_create

    client.get(product_url(cam))

    with django_capture_on_commit_callbacks(execute=True):
        sales_point_create(
            producer=cam.producer,
            actor=cam.producer.members.get().user,
            kind="shop",
            name="Cửa hàng cam Mãn Đức",
            address_unit=units["new_commune"],
            address_detail="Xóm Chiềng",
            products=[cam.product],
        )

    assert "Cửa hàng cam Mãn Đức" in client.get(product_url(cam)).content.decode()


def test_the_daily_lifecycle_renews_the_pages_when_it_expires_a_certificate(
    world, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    world.certificate(issued_on=today - datetime.timedelta(days=400))
    version = register_version()
    with django_capture_on_commit_callbacks(execute=True):
        certificates_lifecycle(today=today)
    assert register_version() == version  # nothing ended: the pages stay

    world.certificate(
        issued_on=today - datetime.timedelta(days=1200),
        valid_until=today - datetime.timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = certificates_lifecycle(today=today)

    assert len(report.expired) == 1
    assert register_version() != version


def test_the_pages_turn_over_at_midnight(client, world):
    today = timezone.localdate()
    zone = ZoneInfo(settings.TIME_ZONE)
    ending = world.certificate(issued_on=today - datetime.timedelta(days=1000), valid_until=today)

    with time_machine.travel(datetime.datetime.combine(today, datetime.time(23, 50), zone)):
        assert client.get(verify_url(ending)).context["status"] == CertificateStatus.EXPIRING
        assert client.get(verify_url(ending)).context is None  # served from the cache
    tomorrow = today + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(tomorrow, datetime.time(0, 5), zone)):
        response = client.get(verify_url(ending))

    assert response.context["status"] == CertificateStatus.EXPIRED


def test_the_open_data_is_kept_whole_and_renewed_with_the_register(
    client, cam, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    urls = [
        reverse("api-v1:product_list") + "?stars=4",
        reverse("api-v1:certificate_detail", args=[cam.number]),
        reverse("evaluations:open_data_products_csv") + "?stars=4",
    ]
    first = {url: client.get(url) for url in urls}
    for url in urls:
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.status_code == 200, url
        assert again.content == first[url].content, url
        assert again["ETag"] == first[url]["ETag"], url
        assert "Cookie" not in again.get("Vary", ""), url

    with django_capture_on_commit_callbacks(execute=True):
        revoke(cam, world)

    detail = client.get(urls[1]).json()
    assert detail["status"] == CertificateStatus.REVOKED
    assert client.get(urls[0]).json()["count"] == 0  # no longer valid


@pytest.fixture
def cache_out(settings):
    """The shared cache down (Redis unreachable): every operation raises."""
    settings.CACHES = {"default": {"BACKEND": "tests.core.test_opendata.UnreachableCache"}}


def test_with_the_cache_out_public_pages_answer_uncached(client, cam, cache_out):
    for url in public_urls(cam):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in response["Cache-Control"], url


def test_with_the_cache_out_a_revocation_still_commits_and_mails(
    client, cam, world, cache_out, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        revoke(cam, world)

    cam.refresh_from_db()
    assert cam.status == CertificateStatus.REVOKED
    # The bump failed (logged), and the callbacks after it queued the producer's mail.
    assert len(callbacks) >= 2
    assert DBTaskResult.objects.count() > queued
    assert client.get(verify_url(cam)).context["status"] == CertificateStatus.REVOKED
