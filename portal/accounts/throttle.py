"""Log-in throttling: the one place that counts failed log-ins and locks accounts out.

Failures are counted per account (the e-mail address given, whether or not such an account
exists, so the lock reveals nothing) and per client address (``REMOTE_ADDR``), in the Django
cache, which is Redis in production: every web process sees the same counts. After
``LOGIN_FAILURE_LIMIT`` failures for an account within ``LOGIN_FAILURE_WINDOW`` seconds, the
account is locked for ``LOGIN_LOCKOUT_SECONDS``; an address is locked after
``LOGIN_ADDRESS_FAILURE_LIMIT`` failures. During a lock even the right password is refused.

The web log-in form and the API token endpoint both call :func:`authenticate`.

Behind a reverse proxy ``REMOTE_ADDR`` must be the client's address, not the proxy's,
or every visitor shares one address counter.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.contrib import auth
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Seconds since the epoch. Tests replace it to move time forward without sleeping; every
# timestamp this module compares comes from here, never from the cache's own expiry.
clock = time.time

_PREFIX = "login-throttle"


class LoginLocked(Exception):
    """Too many failed log-ins: refuse without checking the password."""

    def __init__(self, retry_after: int, *, by_address: bool = False):
        self.retry_after = retry_after
        self.by_address = by_address
        super().__init__(self.message)

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))

    @property
    def message(self) -> str:
        if self.by_address:
            return ngettext(
                "来自您所在网络地址的登录失败次数过多，请于 %(minutes)d 分钟后再试。",
                "来自您所在网络地址的登录失败次数过多，请于 %(minutes)d 分钟后再试。",
                self.minutes,
            ) % {"minutes": self.minutes}
        return ngettext(
            "登录失败次数过多，请于 %(minutes)d 分钟后再试。",
            "登录失败次数过多，请于 %(minutes)d 分钟后再试。",
            self.minutes,
        ) % {"minutes": self.minutes}


def normalize_email(email: str) -> str:
    """Accounts are stored with lower-case addresses; log-in ignores case and spaces."""
    return (email or "").strip().lower()


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def _subject(kind: str, value: str) -> str:
    # Hashed: the cache holds neither e-mail addresses nor IP addresses in clear.
    return f"{_PREFIX}:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def _subjects(email: str, address: str) -> list[tuple[str, int, bool]]:
    """(cache key stem, failure limit, is the address) for each counter this attempt feeds."""
    subjects = [(_subject("account", normalize_email(email)), settings.LOGIN_FAILURE_LIMIT, False)]
    if address:
        subjects.append((_subject("address", address), settings.LOGIN_ADDRESS_FAILURE_LIMIT, True))
    return subjects


def _lock_remaining(stem: str, now: float) -> int:
    until = cache.get(f"{stem}:lock")
    return math.ceil(until - now) if until and until > now else 0


def locked_for(*, email: str, address: str = "") -> LoginLocked | None:
    """The lock in force for this account or address, if any."""
    now = clock()
    for stem, _limit, by_address in _subjects(email, address):
        remaining = _lock_remaining(stem, now)
        if remaining:
            return LoginLocked(remaining, by_address=by_address)
    return None


# The window is counted in this many slots, each an atomically incremented cache entry.
# Failures up to one slot older than the window still count: the limit errs on the safe side.
_SLOTS = 15


def _slot_keys(stem: str, now: float, window: int) -> list[str]:
    current = int(now // (window / _SLOTS))
    return [f"{stem}:{slot}" for slot in range(current - _SLOTS, current + 1)]


def _failures(stem: str, now: float, window: int) -> int:
    return sum(cache.get_many(_slot_keys(stem, now, window)).values())


def _clear_failures(stem: str, now: float, window: int) -> None:
    cache.delete_many(_slot_keys(stem, now, window))


def login_failed(*, email: str, address: str = "") -> LoginLocked | None:
    """Count a failed log-in; lock the account or address that reached its limit."""
    now = clock()
    window = settings.LOGIN_FAILURE_WINDOW
    lockout = settings.LOGIN_LOCKOUT_SECONDS
    locked = None
    for stem, limit, by_address in _subjects(email, address):
        key = _slot_keys(stem, now, window)[-1]
        # add + incr rather than get + set: concurrent failures must not overwrite each other.
        cache.add(key, 0, timeout=2 * window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=2 * window)
        if _failures(stem, now, window) >= limit:
            # The cache timeout only tidies up; the stored deadline decides.
            cache.set(f"{stem}:lock", now + lockout, timeout=lockout + 60)
            _clear_failures(stem, now, window)
            locked = locked or LoginLocked(lockout, by_address=by_address)
    return locked


def login_succeeded(*, email: str) -> None:
    """Forget the account's failures and lock. The address counter stays: an attacker must not
    reset it by logging in to an account of their own between guesses."""
    now = clock()
    stem = _subject("account", normalize_email(email))
    _clear_failures(stem, now, settings.LOGIN_FAILURE_WINDOW)
    cache.delete(f"{stem}:lock")


def authenticate(request, *, email: str, password: str):
    """Check e-mail and password under the throttle.

    Returns the user, or None for wrong credentials (counted as a failure). Raises
    :class:`LoginLocked` while the account or the client address is locked, before the
    password is looked at, and on the failure that reaches the limit.
    """
    email = normalize_email(email)
    address = client_address(request)
    lock = locked_for(email=email, address=address)
    if lock is not None:
        raise lock
    user = auth.authenticate(request, username=email, password=password)
    if user is None:
        lock = login_failed(email=email, address=address)
        if lock is not None:
            raise lock
        return None
    login_succeeded(email=email)
    return user


# --- Request rates: sign-up, inquiries, complaints and the API ---------------------------------
#
# The same cache counters, per user and per client address, for the actions a person repeats
# only so often. Rates are ``(limit, window in seconds)`` from settings.THROTTLE_RATES, each
# read from the environment (see portal.env.env_rate); ``None`` turns a counter off. The HTML
# forms (:class:`FormThrottleMiddleware`) and the API (portal.api.throttling) count on the
# same keys, so a limit reached on one is reached on the other.

# What each throttled action is called, by the URL name of its HTML view or API route; the
# HTML views and the API routes of one action share their counters.
THROTTLED_ACTIONS = {
    "accounts:signup": "signup",
    "sharing:inquire": "inquiry",
    "inquiry-list": "inquiry",
    "sharing:complain": "complaint",
    "complaint-list": "complaint",
}


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"rate limited, retry after {retry_after} s")


def _rate(name: str) -> tuple[int, int] | None:
    return settings.THROTTLE_RATES.get(name)


def _count(scope: str, value: str, rate: tuple[int, int], now: float) -> int:
    """Count one request in the current fixed window; return the seconds until the window
    ends when the count is over the limit, 0 otherwise."""
    limit, window = rate
    slot = int(now // window)
    key = f"{_subject(f'rate:{scope}', value)}:{slot}"
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr, or a cache that forgets (Redis down)
        cache.set(key, 1, timeout=window + 60)
        count = 1
    if count > limit:
        return max(1, math.ceil((slot + 1) * window - now))
    return 0


def rate_check(action: str, *, user=None, address: str = "") -> None:
    """Count one ``action`` for the user and for the address; raise :class:`RateLimited`
    when either is over its rate. Both counters count, so one cannot be reset by the other."""
    now = clock()
    waits = []
    user_rate = _rate(f"{action}_user")
    if user_rate and user is not None and getattr(user, "is_authenticated", False):
        waits.append(_count(f"{action}:user", str(user.pk), user_rate, now))
    address_rate = _rate(f"{action}_address")
    if address_rate and address:
        waits.append(_count(f"{action}:address", address, address_rate, now))
    wait = max(waits, default=0)
    if wait:
        raise RateLimited(wait)


def rate_limited_response(request, exc: RateLimited):
    from django.http import JsonResponse

    from portal.middleware import error_page

    minutes = max(1, math.ceil(exc.retry_after / 60))
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": f"Request was throttled. Expected available in {exc.retry_after} seconds."},
            status=429,
        )
    else:
        response = error_page(
            request,
            status=429,
            title=_("操作过于频繁"),
            message=ngettext(
                "您的操作过于频繁，请于 %(minutes)d 分钟后再试。",
                "您的操作过于频繁，请于 %(minutes)d 分钟后再试。",
                minutes,
            )
            % {"minutes": minutes},
        )
    response["Retry-After"] = str(exc.retry_after)
    return response


class FormThrottleMiddleware:
    """Count the submissions of the throttled HTML forms (sign-up, inquiries, complaints) per
    user and per address, and answer 429 over the rate. The API's routes for the same actions
    are counted by portal.api.throttling, which knows the token's user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.path.startswith("/api/"):
            return None
        match = request.resolver_match
        action = THROTTLED_ACTIONS.get(match.view_name if match else "")
        if action is None:
            return None
        try:
            rate_check(action, user=request.user, address=client_address(request))
        except RateLimited as exc:
            return rate_limited_response(request, exc)
        return None
