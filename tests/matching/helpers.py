"""A market of the fixed cast's listings (tests/cast.py), built through the services.

Side A's listings belong to firm A (武汉, park 武汉东湖高新区), side B's to firm B (襄阳, park
襄阳高新区); :class:`tests.sharing.helpers.Listings` drives each one to its status with the
actor whose step it is. Publishing runs what the approval leaves for after commit (the
matching task, e-mails) at once, the way a real commit would.
"""

from __future__ import annotations

from decimal import Decimal

from clusters.models import IndustryCode
from sharing.models import Listing
from sharing.moderation import listing_transition
from tests.cast import Cast
from tests.sharing.helpers import Listings, capacity_fields


def request_fields(**overrides) -> dict:
    """A capacity request that fits side A's offer (tests.sharing.helpers.capacity_fields):
    three hundred machine hours a month of CNC machining, within budget."""
    fields = {
        "kind": "capacity",
        "direction": "request",
        "title": "寻求数控机床加工产能",
        "description": "需要数控机床加工产能，每月约 300 机时，加工铝合金和钢件。",
        "industry": IndustryCode.objects.get(code="3421"),
        "quantity": Decimal("300"),
        "unit": "machine_hours_month",
        "price_mode": "range",
        "price_min": Decimal("60"),
        "price_max": Decimal("150"),
        "attributes": {"facility": "equipment", "machine_type": "立式加工中心"},
    }
    fields.update(overrides)
    return fields


class Market:
    """Listings of the cast, with their after-commit work run as a real commit would."""

    def __init__(self, cast: Cast, capture_on_commit) -> None:
        self.cast = cast
        self.listings = Listings(cast)
        self._capture = capture_on_commit

    def committed(self):
        """Run what the block leaves for after commit when it ends (tasks run eagerly)."""
        return self._capture(execute=True)

    def in_status(self, status: str, side: str, **fields) -> Listing:
        with self.committed():
            listing = self.listings.in_status(status, side, **fields)
        listing.refresh_from_db()
        return listing

    def offer(self, side: str = "A", **fields) -> Listing:
        """A published capacity offer (matched at once)."""
        return self.in_status("published", side, **capacity_fields(**fields))

    def request(self, side: str = "B", **fields) -> Listing:
        """A published capacity request (matched at once)."""
        return self.in_status("published", side, **request_fields(**fields))

    def act(self, listing: Listing, action: str, actor, **kwargs) -> Listing:
        with self.committed():
            listing = listing_transition(actor=actor, listing=listing, action=action, **kwargs)
        listing.refresh_from_db()
        return listing
