"""API throttling, per user and per client address, on the counters of
portal.accounts.throttle (in the cache, so every web process sees the same counts).

- every request: ``api_user`` per signed-in user, ``api_address`` per client address;
- creating an inquiry or a complaint: the same counters as the HTML forms for these actions.

Over a rate the API answers 429 with ``Retry-After``.
"""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from portal.accounts import throttle


class _CounterThrottle(BaseThrottle):
    def __init__(self):
        self._wait: int | None = None

    def check(self, request, view) -> None:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        try:
            self.check(request, view)
        except throttle.RateLimited as exc:
            self._wait = exc.retry_after
            return False
        return True

    def wait(self) -> float | None:
        return self._wait


class ApiRateThrottle(_CounterThrottle):
    """Every API request, per user and per address."""

    def check(self, request, view) -> None:
        throttle.rate_check("api", user=request.user, address=throttle.client_address(request))


class ActionRateThrottle(_CounterThrottle):
    """Creating an inquiry or a complaint counts as the HTML form does."""

    def check(self, request, view) -> None:
        if request.method != "POST":
            return
        match = request.resolver_match
        action = throttle.THROTTLED_ACTIONS.get(match.view_name if match else "")
        if action is not None:
            throttle.rate_check(action, user=request.user, address=throttle.client_address(request))
