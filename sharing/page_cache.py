"""The anonymous visitor's listing list, cached for a few seconds.

The public list (``/listings/`` and ``/api/v1/listings/``) is the portal's busiest page and
the same for every visitor who is not signed in. Its rendered answer is kept in the Django
cache (Redis in production) for ``LISTING_PAGE_CACHE_SECONDS`` (30 s by default; 0 turns the
cache off):

- under the **listings generation**, a number in the cache that :func:`listings_changed` bumps
  whenever a change reaches the public lists (publication, an approved edit, renewal,
  withdrawal, closing, expiry, take-down: :func:`sharing.moderation.listing_transition`, and
  the end date of a published listing in :func:`sharing.services.listing_update`). A cached
  answer of an older generation is a miss, so a newly published listing shows at once;
- keyed by the language, the whole query string (and, for the API, the host: its links are
  absolute), and whether it is an htmx request (the view answers htmx with the results
  fragment alone) or, for the API, which renderer answered.

It is never used for a signed-in user, nor while a message waits to be shown to the visitor.
The page's CSRF token (the language switch is a POST form) is not cached: the cached copy
holds a placeholder, replaced by the visitor's own token on every answer. Every answer says
``Vary: Cookie, HX-Request`` (``Accept, Cookie, Authorization`` for the API).

A cached value holds the generation it was rendered under, and is read in the same round trip
as the current generation (``MGET``): a value of an older generation is a miss. A visitor
without a session cookie (nobody is signed in, no message waits in the session) is answered by
``portal.middleware.AnonymousPageCacheMiddleware`` near the top of the middleware, before
sessions, CSRF, authentication and messages: :func:`cached_html` here.

What changes elsewhere, such as an enterprise's certification or verification shown as a
badge on its cards, shows within ``LISTING_PAGE_CACHE_SECONDS``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
import zlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import get_script_prefix, reverse
from django.utils.cache import patch_vary_headers
from rest_framework.response import Response

GENERATION_KEY = "sharing:listings:generation"
_PAGE_PREFIX = "sharing:listings:page"
# Stands for the CSRF token in a cached page; replaced by the visitor's own token.
CSRF_PLACEHOLDER = b"csrf-token-of-the-visitor-3d8f1b"
_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
HTML_VARY = ("Cookie", "HX-Request")
API_VARY = ("Cookie", "Authorization")


def seconds() -> int:
    return int(getattr(settings, "LISTING_PAGE_CACHE_SECONDS", 30))


# --- The listings generation ------------------------------------------------------------


def _fresh_generation() -> int:
    """A generation never used before: microseconds since the epoch, far above every value
    a lost key could have been incremented to, so a page cached under it cannot come back."""
    return time.time_ns() // 1000


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = _fresh_generation()
        if not cache.add(GENERATION_KEY, value, timeout=None):
            value = cache.get(GENERATION_KEY, value)  # another process set it first
    return value


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or Redis unavailable: nothing is cached then)
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def listings_changed() -> None:
    """A change that the public lists show: cached pages are stale from now on.

    Bumped at once and again after the transaction commits: a visitor who renders the page
    between the two (seeing the data before the commit) caches it under the first new
    generation, which the second bump leaves behind.
    """
    _bump()
    transaction.on_commit(_bump)


# --- Serving from the cache -------------------------------------------------------------


def _pending_messages(request) -> bool:
    # len() reads the messages without marking them shown.
    return bool(len(get_messages(request)))


def cacheable(request, *, user=None) -> bool:
    """Whether this request may be answered from, and stored in, the anonymous cache."""
    if seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    user = user if user is not None else request.user
    return not user.is_authenticated and not _pending_messages(request)


def _key(request, *parts: str, language: str | None = None) -> str:
    raw = "\n".join((request.META.get("QUERY_STRING", ""), *parts))
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    language = language or getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"{_PAGE_PREFIX}:{language}:{digest}"


def _lookup(key: str) -> tuple[int, tuple | None]:
    """The current generation and what ``key`` holds if it was stored under that generation,
    in one round trip to the cache."""
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    if current is None:
        return generation(), None
    stored = found.get(key)
    if stored is None or stored[0] != current:
        return current, None
    return current, stored[1:]


def _store(key: str, current: int, *value) -> None:
    """Store under the generation read *before* rendering: if a change came in meanwhile, the
    value is already stale and no reader will take it."""
    cache.set(key, (current, *value), seconds())


def _html_key(request, language: str | None = None) -> str:
    htmx = request.headers.get("HX-Request") == "true"  # django_htmx's request.htmx
    return _key(request, request.path, "htmx" if htmx else "page", language=language)


@functools.lru_cache(maxsize=32)
def _decompressed(compressed: bytes) -> bytes:
    # The same few pages are asked for again and again: 0.1 ms saved on each answer.
    return zlib.decompress(compressed)


def _html_response(request, stored) -> HttpResponse:
    compressed, content_type = stored
    content = _decompressed(compressed)
    # Only a page with a form asks for a token (and so sets the CSRF cookie), as rendered.
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    return HttpResponse(content, content_type=content_type)


# The pages served from the cache (their views are decorated with ``anonymous_page``).
PAGE_URL_NAMES = ("sharing:list",)


@functools.cache
def _paths(prefix: str) -> frozenset[str]:
    return frozenset(reverse(name) for name in PAGE_URL_NAMES)


def html_paths() -> frozenset[str]:
    return _paths(get_script_prefix())


# Set on a request the middleware looked up and missed, so the view does not ask again.
_MISSED = "_page_cache_missed"


def cached_html(request, *, language: str) -> HttpResponse | None:
    """The cached page for an anonymous visitor the middleware vouched for (no session, no
    message waiting), or None: the request then goes through the whole stack."""
    if seconds() <= 0:
        return None
    key = _html_key(request, language)
    current, stored = _lookup(key)
    if stored is None:
        setattr(request, _MISSED, (key, current))
        return None
    response = _html_response(request, stored)
    patch_vary_headers(response, HTML_VARY)
    return response


def anonymous_page(view):
    """Decorate an HTML view: anonymous GETs are answered from the cache (see the module)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not cacheable(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, HTML_VARY)
            return response
        key = _html_key(request)
        missed = getattr(request, _MISSED, None)
        if missed is not None and missed[0] == key:
            current, stored = missed[1], None
        else:
            current, stored = _lookup(key)
        if stored is not None:
            response = _html_response(request, stored)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                # Compressed (a tenth of the size, 0.4 ms): Redis also holds the queue.
                compressed = zlib.compress(_without_csrf_token(response.content), 1)
                _store(key, current, compressed, response["Content-Type"])
        patch_vary_headers(response, HTML_VARY)
        return response

    return wrapper


def _without_csrf_token(content: bytes) -> bytes:
    """The page with its CSRF token (one value per rendering) replaced by the placeholder."""
    found = _CSRF_INPUT.search(content)
    return content.replace(found.group(1), CSRF_PLACEHOLDER) if found else content


def api_list(list_view):
    """Decorate a DRF viewset's ``list``: anonymous JSON answers come from the cache; the
    cached value is the answer's data, rendered again for each request. The browsable API
    (HTML) is not cached. Authentication, permissions and throttling run before ``list``."""

    @functools.wraps(list_view)
    def wrapper(self, request, *args, **kwargs):
        json = getattr(request, "accepted_renderer", None) is not None and (
            request.accepted_renderer.format == "json"
        )
        if not (json and cacheable(request)):
            response = list_view(self, request, *args, **kwargs)
            patch_vary_headers(response, API_VARY)
            return response
        # The links in the answer are absolute: the host and scheme are part of the key.
        key = _key(request, request.build_absolute_uri(), "api")
        current, stored = _lookup(key)
        if stored is not None:
            response = Response(stored[0])
        else:
            response = list_view(self, request, *args, **kwargs)
            if response.status_code == 200:
                _store(key, current, response.data)
        patch_vary_headers(response, API_VARY)
        return response

    return wrapper
