"""A small world on top of the cast for the write endpoints: a published listing of firm B
(firm A's member inquires about it and reports it), an accepted inquiry between the two firms
(on which deals are recorded) and a draft of firm A (which its member edits)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from clusters.models import Region
from enterprises.credit_code import make_credit_code
from enterprises.models import AuditEntry, ContactPerson, Enterprise
from portal.models import User
from sharing import services
from sharing.models import (
    Complaint,
    Deal,
    Inquiry,
    InquiryMessage,
    Listing,
    ListingAttachment,
    Notification,
    SavedSearch,
)
from tests.sharing.helpers import Listings

# Every table a write endpoint touches: a refused request must leave each count unchanged.
COUNTED = (
    User,
    Enterprise,
    ContactPerson,
    Listing,
    ListingAttachment,
    Inquiry,
    InquiryMessage,
    Complaint,
    Deal,
    SavedSearch,
    Notification,
    AuditEntry,
)

_codes = itertools.count(1)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def fresh_credit_code() -> str:
    return make_credit_code("9", "1", "420100", f"HXT{next(_codes):05d}")


@dataclass
class World:
    listing_b: Listing  # published, firm B's
    draft_a: Listing  # firm A's draft
    inquiry: Inquiry  # accepted: firm A asked about listing_b
    region_pk: int


def build_world(cast) -> dict:
    listings = Listings(cast)
    listing_b = listings.published("B", title="汽车零部件检测设备共享")
    # A second published listing of B: the accepted inquiry is about this one, so firm A can
    # still send a new inquiry about listing_b.
    other_b = listings.published("B", title="三坐标测量机闲置机时")
    inquiry = services.inquiry_create(
        actor=cast.member_a, listing=other_b, message="想了解机时安排"
    )
    inquiry = services.inquiry_decide(actor=cast.admin_b, inquiry=inquiry, accept=True)
    return {
        "listing_b": listing_b.pk,
        "draft_a": listings.draft("A", title="草稿：闲置加工中心").pk,
        "inquiry": inquiry.pk,
        "region_pk": Region.objects.get(code="420100").pk,
    }


def load_world(ids: dict) -> World:
    return World(
        listing_b=Listing.objects.get(pk=ids["listing_b"]),
        draft_a=Listing.objects.get(pk=ids["draft_a"]),
        inquiry=Inquiry.objects.get(pk=ids["inquiry"]),
        region_pk=ids["region_pk"],
    )
