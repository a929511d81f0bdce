"""The anonymous visitor's listing list, cached for a few seconds.

The public list (``/listings/`` and ``/api/v1/listings/``) is the portal's busiest page and
the same for every visitor who is not signed in. Its rendered answer is kept in the Django
cache (Redis in production) for ``LISTING_PAGE_CACHE_SECONDS`` (30 s by default; 0 turns the
cache off), keyed by:

- the **listings generation**, a number in the cache that :func:`listings_changed` bumps
  whenever a change reaches the public lists (publication, an approved edit, renewal,
  withdrawal, closing, expiry, take-down: :func:`sharing.moderation.listing_transition`, and
  the end date of a published listing in :func:`sharing.services.listing_update`). A new
  generation makes every cached page a miss, so a newly published listing shows at once;
- the language, the whole query string (and, for the API, the host: its links are
  absolute), and whether it is an htmx request (the view answers htmx with the results
  fragment alone) or, for the API, which renderer answered.

It is never used for a signed-in user, nor while a message waits to be shown to the visitor.
The page's CSRF token (the language switch is a POST form) is not cached: the cached copy
holds a placeholder, replaced by the visitor's own token on every answer. Every answer says
``Vary: Cookie, HX-Request`` (``Accept, Cookie, Authorization`` for the API).

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


def _key(request, *parts: str) -> str:
    raw = "\n".join((request.META.get("QUERY_STRING", ""), *parts))
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"{_PAGE_PREFIX}:{generation()}:{language}:{digest}"


def anonymous_page(view):
    """Decorate an HTML view: anonymous GETs are answered from the cache (see the module)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not cacheable(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, HTML_VARY)
            return response
        key = _key(request, request.path, "htmx" if request.htmx else "page")
        stored = cache.get(key)
        if stored is not None:
            compressed, content_type = stored
            response = HttpResponse(
                zlib.decompress(compressed).replace(CSRF_PLACEHOLDER, get_token(request).encode()),
                content_type=content_type,
            )
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                cache.set(
                    key,
                    # Compressed (a tenth of the size, 0.4 ms): Redis also holds the queue.
                    (
                        zlib.compress(_without_csrf_token(response.content), 1),
                        response["Content-Type"],
                    ),
                    seconds(),
                )
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
        data = cache.get(key)
        if data is not None:
            response = Response(data)
        else:
            response = list_view(self, request, *args, **kwargs)
            if response.status_code == 200:
                cache.set(key, response.data, seconds())
        patch_vary_headers(response, API_VARY)
        return response

    return wrapper
