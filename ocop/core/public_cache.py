"""Whole public pages from Django's cache framework (decision 0033).

A public page (the home page, the catalogue, certificate verification, the open-data page)
is the same for every anonymous visitor who reads it in the same language on the same day
while the register stays as it is. `@public_page` (a class-based view:
`@method_decorator(public_page, name="dispatch")`) keeps its rendered answer in the default
cache under a key made of:

- the register's version: a random token in the cache, replaced by `register_changed()`
  after the transaction of every service that changes what public pages show commits (a
  decision issued, a certificate revoked, superseded or imported, certificates expired by the
  daily lifecycle, a product's details, photos or points of sale, a producer's name or
  place); a change rolled back replaces nothing. A token lost from the cache (evicted,
  cleared) is replaced by a new one: every page is read afresh, never an old one served;
- today's date in the project's time zone (statuses turn with the date: valid, expiring,
  expired), so every page turns over at midnight;
- the language (LanguageMiddleware, from the language cookie) and the full address: scheme,
  host, path and query string.

Only anonymous visitors without a message waiting for them are served from the cache or
fill it; a signed-in user's pages show their menu and are never kept. A page whose rendering
would set a cookie (a CSRF token, a session) is not kept either. Every answer to a GET gets
an ETag (a hash of the body) and a 304 when If-None-Match matches; anonymous ones
`Cache-Control: public, max-age=OCOP_PUBLIC_PAGE_MAX_AGE` (`public, no-cache` for the
verification pages, which show a revocation at once), the others `private, no-cache`.
Entries also lapse after OCOP_PUBLIC_PAGE_CACHE_TIMEOUT seconds: a bound for changes made
outside the services (the admin's shell, a reload of the administrative units).
"""

import contextlib
import functools
import hashlib
import logging
import uuid

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from ocop.core.db_router import read_from_replica

logger = logging.getLogger(__name__)

VERSION_KEY = "ocop:register-version"
PAGE_KEY_PREFIX = "ocop:page:"
# The answers kept: a page, and the 404 of a certificate number or name not found (the
# verification box's most expensive answer).
CACHED_STATUSES = frozenset({200, 404})
# The view's headers worth keeping with its body (Django's middleware adds the rest to every
# answer: CSP, Vary, Content-Language, X-Frame-Options).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "X-Robots-Tag", "ETag")


class CacheUnavailable(Exception):
    """The shared cache did not answer (Redis or Memcached down, the file cache's disk full):
    public pages are then served as made, uncached, never a 500."""


def _cache_call(method: str, *args, **kwargs):
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception as error:  # the backends raise their own errors (redis, OSError…)
        logger.warning("The cache did not answer (%s): serving uncached.", error)
        raise CacheUnavailable from error


def register_version() -> str:
    """The register's current version (a new one when the cache holds none)."""
    version = _cache_call("get", VERSION_KEY)
    if version is None:
        _cache_call("add", VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = _cache_call("get", VERSION_KEY) or "unknown"
    return version


def bump_register_version() -> None:
    """Every public page is read afresh from now on. When the cache cannot be reached the
    change is logged and the pages it keeps age out (OCOP_PUBLIC_PAGE_CACHE_TIMEOUT); the
    change itself has committed and the commit's other callbacks (mail) still run."""
    try:
        _cache_call("set", VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except CacheUnavailable:
        logger.error("The register changed but the cache could not be told.")


def register_changed() -> None:
    """Call inside the transaction of a change to what public pages show: the pages are
    read afresh once it commits (not at all if it rolls back)."""
    transaction.on_commit(bump_register_version, robust=True)


def page_key(request, *, language_neutral: bool = False) -> str:
    """The cache key of this request's page (module docstring). Taken before the page reads
    the database: a page read while a change commits is kept under the version it started
    with, which the change's commit has already replaced or is about to, so it is never
    served as the new register."""
    language = "" if language_neutral else translation.get_language() or ""
    return _versioned_key(PAGE_KEY_PREFIX, language, request.build_absolute_uri())


def _versioned_key(prefix: str, *parts: str) -> str:
    """`prefix` and a digest of the register's version, the day and `parts`."""
    text = "|".join((register_version(), timezone.localdate().isoformat(), *parts))
    return prefix + hashlib.sha256(text.encode()).hexdigest()


def kept(name: str, parts: tuple, make):
    """`make()`'s value, kept in the cache like the public pages: under the register's
    version and the day (the key taken before `make` reads anything, see `page_key`), briefly
    when read from a replica, made afresh when the cache is out. For a part of a page that
    many addresses share (the catalogue's counts, the same for every page of a list)."""
    try:
        key = _versioned_key(f"ocop:kept:{name}:", repr(parts))
        value = _cache_call("get", key)
    except CacheUnavailable:
        return make()
    if value is None:
        value = make()
        _store(key, value)
    return value


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    # Messages waiting (a redirect's "Saved.") are shown once, to this visitor alone.
    return len(get_messages(request)) == 0


def _sets_cookies(request, response) -> bool:
    session = getattr(request, "session", None)
    return bool(
        response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
    )


def _keep(key: str, response) -> None:
    """Keep the answer until the register changes (at most OCOP_PUBLIC_PAGE_CACHE_TIMEOUT);
    only briefly (OCOP_REPLICA_PAGE_CACHE_TIMEOUT) when it was read from a read replica, which
    may not have the latest change yet: kept under the new register's version for an hour,
    it would show a revoked certificate as valid for that hour."""
    if response.status_code == 200 and not response.has_header("ETag"):
        set_response_etag(response)
    headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
    _store(key, (response.status_code, headers, response.content))


def _store(key: str, value) -> None:
    """Keep `value` until the register changes (at most OCOP_PUBLIC_PAGE_CACHE_TIMEOUT), or
    OCOP_REPLICA_PAGE_CACHE_TIMEOUT when it was read from a replica; nothing when the cache
    is out."""
    timeout = (
        settings.OCOP_REPLICA_PAGE_CACHE_TIMEOUT
        if read_from_replica()
        else settings.OCOP_PUBLIC_PAGE_CACHE_TIMEOUT
    )
    with contextlib.suppress(CacheUnavailable):
        _cache_call("set", key, value, timeout=timeout)


def _cached(request, *, language_neutral: bool = False):
    """(key, entry or None) of this request's page; (None, None) when the cache is out."""
    try:
        key = page_key(request, language_neutral=language_neutral)
        return key, _cache_call("get", key)
    except CacheUnavailable:
        return None, None


def _from_cache(entry) -> HttpResponse:
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def _finish(request, response, *, public: bool, revalidate: bool = False):
    """ETag and 304 on a 200, and Cache-Control."""
    if public and revalidate:
        patch_cache_control(response, public=True, no_cache=True)
    elif public:
        patch_cache_control(response, public=True, max_age=settings.OCOP_PUBLIC_PAGE_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    if response.status_code != 200 or request.method not in ("GET", "HEAD"):
        return response
    if not response.has_header("ETag"):
        set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def public_page(view=None, *, revalidate: bool = False):
    """Serve this public view's answers to anonymous visitors from the cache (module
    docstring). `revalidate=True` (`@public_page(revalidate=True)`): browsers and proxies
    must ask again each time (`public, no-cache`; a 304 while the ETag matches), for a page
    that must show a change at once (a certificate revoked)."""
    if view is None:
        return functools.partial(public_page, revalidate=revalidate)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        cacheable = _cacheable_request(request)
        key = None
        if cacheable:
            key, entry = _cached(request)
            if entry is not None:
                return _finish(request, _from_cache(entry), public=True, revalidate=revalidate)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if response.streaming:
            return response
        keep = (
            key is not None
            and response.status_code in CACHED_STATUSES
            and not _sets_cookies(request, response)
        )
        if keep:
            _keep(key, response)
        return _finish(request, response, public=keep, revalidate=revalidate)

    return wrapper


def open_data_answer(request, view, *args, **kwargs):
    """The open data's answer (ocop.core.opendata), the same for everyone and in every
    language: from the cache when kept under today's register, else the view's, kept when
    a 200 that sets no cookie. Headers, ETag and 304 are the caller's (`conditional`)."""
    if request.method not in ("GET", "HEAD"):
        return view(request, *args, **kwargs)
    key, entry = _cached(request, language_neutral=True)
    if entry is not None:
        response = _from_cache(entry)
        response.language_neutral = True
        return response
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if (
        key is not None
        and response.status_code == 200
        and not response.streaming
        and getattr(response, "language_neutral", True)
        and not _sets_cookies(request, response)
    ):
        _keep(key, response)
    return response
