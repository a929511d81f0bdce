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
