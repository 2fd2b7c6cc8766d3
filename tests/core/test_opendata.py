"""The open data's reusable pieces (ocop.core.opendata, decision 0029) on a plain Django view,
as a download view uses them: the client's address, the rate limit, conditional GET."""

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory, override_settings

from ocop.core.opendata import client_address, content_etag, open_data_view

rf = RequestFactory()


@pytest.fixture
def counters():
    cache.clear()
    yield
    cache.clear()


@open_data_view
def download(request):
    return HttpResponse("tên;số sao\nCam Cao Phong;4\n", content_type="text/csv")


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", None, "203.0.113.7"),
        # Without the setting, a header anyone can write is never read.
        (0, "203.0.113.7", "198.51.100.4", "203.0.113.7"),
        (1, "10.0.0.2", "198.51.100.4", "198.51.100.4"),
        # The client's own entries come first; the trusted proxy appends the last one.
        (1, "10.0.0.2", "1.1.1.1, 198.51.100.4", "198.51.100.4"),
        (2, "10.0.0.2", "1.1.1.1, 198.51.100.4, 10.0.0.9", "198.51.100.4"),
        # Fewer entries than proxies: the furthest one there is.
        (2, "10.0.0.2", "198.51.100.4", "198.51.100.4"),
        # Behind the proxy setting but reached directly, or with garbage: REMOTE_ADDR.
        (1, "203.0.113.7", None, "203.0.113.7"),
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        # An IPv6 address stands for its /64.
        (0, "2001:db8:1:2:3:4:5:6", None, "2001:db8:1:2::"),
        (1, "10.0.0.2", "2001:db8:1:2::99", "2001:db8:1:2::"),
    ],
)
def test_the_client_address_is_read_as_configured(proxies, remote, forwarded, expected):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded

    with override_settings(OCOP_TRUSTED_PROXIES=proxies):
        assert client_address(rf.get("/", **headers)) == expected


def test_a_download_gets_an_etag_cache_control_and_a_304():
    response = download(rf.get("/open-data/x.csv"))

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert response.language_neutral is True
    again = download(rf.get("/open-data/x.csv", headers={"if-none-match": response["ETag"]}))
    assert again.status_code == 304
    assert again.content == b""


def test_a_view_may_set_its_own_etag():
    @open_data_view
    def workbook(request):
        response = HttpResponse(b"PK...changing bytes")
        response["ETag"] = content_etag("the rows")
        return response

    response = workbook(rf.get("/"))
    assert response["ETag"] == content_etag("the rows")
    assert (
        workbook(rf.get("/", headers={"if-none-match": content_etag("the rows")})).status_code
        == 304
    )


def test_a_streamed_body_passes_untouched():
    @open_data_view
    def streamed(request):
        return StreamingHttpResponse(iter([b"a", b"b"]))

    response = streamed(rf.get("/"))
    assert response.status_code == 200
    assert not response.has_header("ETag")


@override_settings(OCOP_OPEN_DATA_RATE="2/m")
def test_a_download_shares_the_open_data_budget_of_its_address(counters):
    ask = lambda: download(rf.get("/", REMOTE_ADDR="203.0.113.9"))  # noqa: E731

    assert [ask().status_code for _ in range(2)] == [200, 200]
    refused = ask()
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert b"Too many requests" in refused.content


class UnreachableCache(BaseCache):
    """A cache server that does not answer, as Django's Redis backend behaves when Redis is
    down: every operation raises."""

    def __init__(self, location, params):
        super().__init__(params)

    def _refuse(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 10.0.0.5:6379. Connection refused.")

    add = get = set = incr = delete = touch = _refuse


@override_settings(
    OCOP_OPEN_DATA_RATE="2/m",
    CACHES={"default": {"BACKEND": f"{__name__}.UnreachableCache"}},
)
def test_an_unreachable_shared_cache_lets_the_open_data_through_not_a_500():
    answers = [download(rf.get("/", REMOTE_ADDR="203.0.113.9")).status_code for _ in range(3)]

    assert answers == [200, 200, 200]


@override_settings(
    OCOP_OPEN_DATA_RATE="2/m",
    RATELIMIT_FAIL_OPEN=False,
    CACHES={"default": {"BACKEND": f"{__name__}.UnreachableCache"}},
)
def test_without_fail_open_the_cache_error_is_not_hidden():
    with pytest.raises(ConnectionError):
        download(rf.get("/", REMOTE_ADDR="203.0.113.9"))


@override_settings(OCOP_OPEN_DATA_RATE=None)
def test_no_rate_is_no_limit(counters):
    assert {download(rf.get("/")).status_code for _ in range(5)} == {200}
