"""The open data's plumbing, shared by the API (/api/v1/) and the downloads (/open-data/...):
the client's address, a rate limit per address, and conditional GET (decision 0029).

- A Django view (a CSV or XLSX download) gets the rate limit, the ETag, Cache-Control and the
  304 with one line: `@open_data_view` (a class-based view:
  `@method_decorator(open_data_view, name="dispatch")`).
- A django-ninja API gets them, and a 422 for unknown query parameters, on every operation by
  being an `ocop.core.opendata_api.OpenDataAPI`.

Rate limit: at most `OCOP_OPEN_DATA_RATE` requests (e.g. "120/m"; None: no limit) from one
client address over the whole open data (one budget for the API and the downloads), counted
by django-ratelimit in the cache `RATELIMIT_USE_CACHE`. Past it: 429, a JSON sentence and
`Retry-After`. The address is REMOTE_ADDR, or, when `OCOP_TRUSTED_PROXIES` says the app is
behind that many proxies that each append to X-Forwarded-For, the address the outermost of
them saw (never an address the client wrote itself).

Kept whole: a successful answer is kept in the cache under the register's version and the
day, and served from there until either changes (ocop.core.public_cache, decision 0033).

Conditional GET: the ETag is a hash of the body (Django's `set_response_etag`), so it changes
whenever anything shown changes (a decision issued, a certificate revoked, a status that
turned with the date) and never otherwise; a request whose If-None-Match matches answers 304
without a body. Public answers are `Cache-Control: public, max-age=OCOP_OPEN_DATA_MAX_AGE`;
answers for a signed-in user are `private, no-cache` (and vary on Cookie). A view whose bytes
change while its data does not (openpyxl writes the time into an XLSX file) sets its own
`ETag` (e.g. `content_etag(csv_bytes)` of the same rows), which is kept.
"""

import functools
import hashlib
import ipaddress
import logging

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django_ratelimit.core import get_usage

from ocop.core.db_router import allow_replica_reads
from ocop.core.public_cache import open_data_answer

RATE_GROUP = "open-data"

logger = logging.getLogger(__name__)


def _normalised(address: str) -> str | None:
    """The address as a key, or None when it is not one. An IPv6 address stands for its /64
    network (one household or server holds many addresses)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def client_address(request) -> str:
    """The address the rate limit counts by: REMOTE_ADDR, or behind `OCOP_TRUSTED_PROXIES`
    proxies the X-Forwarded-For entry that the outermost trusted proxy wrote (entries further
    left were written by the client or by proxies we do not know, and are ignored)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.OCOP_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            entry.strip()
            for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if forwarded:
            address = _normalised(forwarded[-min(proxies, len(forwarded))])
            if address is not None:
                return address
    return _normalised(remote) or remote or "unknown"


def login_address(request) -> str | None:
    """The address a failed login counts against (django-axes' AXES_CLIENT_IP_CALLABLE): read
    as `client_address` reads it, or None when the request has none (the test client's
    login() authenticates without a request's address), as axes' own reading answers."""
    if request is None:
        return None
    address = client_address(request)
    return address if _normalised(address) is not None else None


def _rate_key(group, request) -> str:
    return client_address(request)


def seconds_to_wait(request) -> int | None:
    """Count this request against its address's budget: None while within it, else the
    seconds until the budget renews."""
    rate = settings.OCOP_OPEN_DATA_RATE
    if not rate:
        return None
    try:
        usage = get_usage(request, group=RATE_GROUP, key=_rate_key, rate=rate, increment=True)
    except Exception:
        # The shared cache (Redis, docs/scaling.md) is unreachable: django-ratelimit lets
        # only a failed DNS lookup through, and Django's Redis backend raises. As
        # RATELIMIT_FAIL_OPEN says, the open data stays open rather than answering 500.
        if not getattr(settings, "RATELIMIT_FAIL_OPEN", False):
            raise
        logger.warning("Open data: the rate limit's cache does not answer.", exc_info=True)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


def too_many_requests(wait: int) -> JsonResponse:
    """The 429: a sentence in the API's `{"detail": ...}` shape, and Retry-After."""
    rate = settings.OCOP_OPEN_DATA_RATE
    response = JsonResponse(
        {
            "detail": (
                f"Too many requests from your address (the open data allows {rate}). "
                f"Try again in {wait} seconds."
            )
        },
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(wait)
    patch_cache_control(response, no_store=True)
    response.language_neutral = True
    return response


def content_etag(content: bytes | str) -> str:
    """A strong ETag for these bytes (for a view that computes its own, see above)."""
    if isinstance(content, str):
        content = content.encode()
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def conditional(request, response, *, public: bool = True):
    """ETag, Cache-Control and Vary on a successful GET, and the 304 when the client's copy
    is current. Other answers (errors, streaming bodies) pass as they are."""
    response.language_neutral = getattr(response, "language_neutral", True)
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if response.streaming:
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    if public:
        patch_cache_control(response, public=True, max_age=settings.OCOP_OPEN_DATA_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ("Cookie",))
    answer = get_conditional_response(request, etag=response["ETag"], response=response)
    answer.language_neutral = response.language_neutral  # a 304 is a new response
    return answer


def open_data_view(view):
    """Rate limit, then the view, then conditional GET (module docstring), for a public view
    whose answer is the same for everyone; its reads may come from the read replica. A
    class-based view: `@method_decorator(open_data_view, name="dispatch")`."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        wait = seconds_to_wait(request)
        if wait is not None:
            return too_many_requests(wait)
        allow_replica_reads(request)  # public: may read a replica (ocop.core.db_router)
        return conditional(request, open_data_answer(request, view, *args, **kwargs))

    return wrapper
