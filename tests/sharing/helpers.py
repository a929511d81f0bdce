"""Listings built for the fixed cast (tests/cast.py) through the services.

Every listing of side A belongs to firm A (武汉华中精密机床有限公司, park 武汉东湖高新区),
posted by ``member_a`` and moderated by ``park_admin_a``; side B likewise in 襄阳高新区. A
listing in a given status is reached the way a real one is: created, then driven by
:func:`sharing.moderation.listing_transition` with the actor whose action each step is.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from PIL import Image

from clusters.models import IndustryCode
from sharing import services
from sharing.choices import ListingStatus as S
from sharing.models import Listing
from sharing.moderation import listing_transition
from tests.cast import CODE_A, NAME_A, PEOPLE, ROLES, Cast

# The steps from a new draft to each status (who takes each: Listings.actor_for). Every
# status is reachable through the services, "expired" by the system's own action (actor
# None), so no test sets a status with a queryset update.
PATHS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (),
    S.PENDING: ("submit",),
    S.PUBLISHED: ("submit", "approve"),
    S.CHANGES_REQUESTED: ("submit", "request_changes"),
    S.REJECTED: ("submit", "reject"),
    S.EXPIRED: ("submit", "approve", "expire"),
    S.WITHDRAWN: ("withdraw",),
    S.CLOSED: ("submit", "approve", "close"),
    S.TAKEN_DOWN: ("submit", "approve", "take_down"),
}
REASONED = {"request_changes", "reject", "take_down"}


def capacity_fields(**overrides) -> dict:
    """An idle-capacity offer: five vertical machining centres with spare machine hours."""
    fields = {
        "kind": "capacity",
        "direction": "offer",
        "title": "数控机床闲置产能出租",
        "description": "五台立式加工中心，每月可提供约 400 机时，可承接铝合金和钢件精加工。",
        "industry": IndustryCode.objects.get(code="3421"),
        "quantity": Decimal("400"),
        "unit": "machine_hours_month",
        "price_mode": "range",
        "price_min": Decimal("80"),
        "price_max": Decimal("120"),
        "attributes": {"facility": "equipment", "machine_type": "VMC850"},
    }
    fields.update(overrides)
    return fields


def order_fields(**overrides) -> dict:
    """An order request for car parts: nothing to do with machine tools."""
    fields = {
        "kind": "order",
        "direction": "request",
        "title": "汽车座椅骨架外协订单",
        "description": "每月需要两千套座椅骨架，要求具备焊接和涂装能力。",
        "industry": IndustryCode.objects.get(code="3670"),
        "quantity": Decimal("2000"),
        "unit": "sets",
        "price_mode": "negotiable",
        "attributes": {"product": "座椅骨架"},
    }
    fields.update(overrides)
    return fields


@dataclass
class Listings:
    """Listings of either side, in any status, built through the services."""

    cast: Cast

    def member(self, side: str):
        return self.cast.member_a if side == "A" else self.cast.member_b

    def park_admin(self, side: str):
        return self.cast.park_admin_a if side == "A" else self.cast.park_admin_b

    def actor_for(self, action: str, side: str):
        if action == "expire":
            return None  # the system's daily job
        if action in ("approve", "request_changes", "reject", "take_down"):
            return self.park_admin(side)
        return self.member(side)

    def draft(self, side: str = "A", **fields) -> Listing:
        if "kind" in fields and fields["kind"] == "order":
            data = order_fields(**fields)
        else:
            data = capacity_fields(**fields)
        return services.listing_create(actor=self.member(side), **data)

    def in_status(self, status: str, side: str = "A", **fields) -> Listing:
        listing = self.draft(side, **fields)
        for action in PATHS[status]:
            extra = (
                {"reason": "incomplete", "note": "请补充设备精度。"} if action in REASONED else {}
            )
            listing = listing_transition(
                actor=self.actor_for(action, side), listing=listing, action=action, **extra
            )
        assert listing.status == status
        return listing

    def published(self, side: str = "A", **fields) -> Listing:
        return self.in_status(S.PUBLISHED, side, **fields)


def user_of(cast: Cast, role: str):
    """The user playing ``role``; the anonymous visitor is Django's AnonymousUser (``None``
    would be the system, which the transition function does not ask for permission)."""
    return AnonymousUser() if role == "anonymous" else cast.user(role)


def login(client, user) -> None:
    if user is not None and user.is_authenticated:
        client.force_login(user)


def png_bytes(size: tuple[int, int] = (32, 24), colour: str = "#2a6ebb") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def days_from_today(days: int):
    return timezone.localdate() + timedelta(days=days)


def listings_of_many_firms(cast: Cast, n: int, status: str, *, start: int = 0) -> list[Listing]:
    """One listing in ``status`` from each of ``n`` more verified firms of park A, each
    firm with its own cluster, contact and certification (what a list must not fetch one
    query per row for)."""
    from django.contrib.auth import get_user_model

    from tests.cast import more_verified_firms

    assert status in (S.PENDING, S.PUBLISHED)
    more_verified_firms(cast, n, start=start)
    made = []
    for i in range(start, start + n):
        founder = get_user_model().objects.get(email=f"firm-{i}@example.com")
        listing = services.listing_create(
            actor=founder, submit=True, **capacity_fields(title=f"数控机床闲置产能{i:02d}")
        )
        if status == S.PUBLISHED:
            listing = listing_transition(actor=cast.park_admin_a, listing=listing, action="approve")
        made.append(listing)
    return made


# --- Who sees a listing of firm A -------------------------------------------------------------

EVERYONE = set(ROLES) | {"newcomer"}
SIGNED_IN = EVERYONE - {"anonymous"}
# (status, visibility, firm B shares a cluster with firm A) -> who sees a listing of firm A.
VISIBLE_TO = {
    (S.PUBLISHED, "public", False): EVERYONE,
    (S.PUBLISHED, "registered", False): SIGNED_IN,
    # Cluster-only: firms sharing a cluster with the poster, and the supervisors and officers.
    (S.PUBLISHED, "cluster", True): {
        "member_a",
        "admin_a",
        "member_b",
        "park_admin_a",
        "park_admin_b",
        "supervisor",
        "officer_a",
        "officer_b",
    },
    (S.PUBLISHED, "cluster", False): {
        "member_a",
        "admin_a",
        "park_admin_a",
        "park_admin_b",
        "supervisor",
        "officer_a",
        "officer_b",
    },
    # A draft is the firm's own business: never shown to supervisors.
    (S.DRAFT, "public", False): {"member_a", "admin_a"},
    # Under review: the firm, its park's administrator, the platform supervisor, and the
    # officer of the prefecture it is in.
    (S.PENDING, "public", False): {
        "member_a",
        "admin_a",
        "park_admin_a",
        "supervisor",
        "officer_a",
    },
    (S.REJECTED, "public", False): {
        "member_a",
        "admin_a",
        "park_admin_a",
        "supervisor",
        "officer_a",
    },
}
VISIBILITY_CASES = [
    (status, visibility, shared, role, role in who)
    for (status, visibility, shared), who in VISIBLE_TO.items()
    for role in sorted(EVERYONE)
]


def visibility_ids(case) -> str:
    status, visibility, shared, role, visible = case
    cluster = "-shared-cluster" if shared else ""
    return f"{status}-{visibility}{cluster}-{role}-{'sees' if visible else '404'}"


NOT_MEMBERS = ["anonymous", "newcomer", "member_b", "officer_a", "park_admin_b"]


def secrets_of_firm_a(cast) -> list[str]:
    return [
        NAME_A,
        CODE_A,
        "027-87000001",  # the contact person's phone
        "contact-1@example.com",
        "联系人1",
        PEOPLE["member_a"][0],  # the poster's e-mail and name
        PEOPLE["member_a"][1],
        PEOPLE["admin_a"][1],
        f"/enterprises/{cast.a.firm.pk}/",
    ]
