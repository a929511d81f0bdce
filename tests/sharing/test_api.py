"""The listings API: who sees what, what the public learns about a poster, bad input, checked
attachments and pinned query counts.

Listing visibility comes from the one policy (sharing/access.py): a listing a user may not
see answers 404, exactly as one that does not exist.
"""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from enterprises.models import AuditEntry
from enterprises.services import enterprise_update
from sharing.choices import ListingStatus as S
from sharing.models import Listing, ListingAttachment
from tests.sharing.helpers import (
    NOT_MEMBERS,
    VISIBILITY_CASES,
    days_from_today,
    listings_of_many_firms,
    login,
    png_bytes,
    secrets_of_firm_a,
    visibility_ids,
)

# --- Visibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", VISIBILITY_CASES, ids=visibility_ids)
def test_who_sees_a_listing(client, cast, listings, wuhan_cluster, case):
    status, visibility, shared, role, visible = case
    if shared:
        enterprise_update(actor=cast.admin_b, enterprise=cast.b.firm, clusters=[wuhan_cluster])
    listing = listings.in_status(status, visibility=visibility)
    login(client, cast.user(role))

    detail = client.get(f"/api/v1/listings/{listing.pk}/")
    listed = client.get("/api/v1/listings/").json()["results"]

    assert detail.status_code == (200 if visible else 404)
    assert any(item["id"] == listing.pk for item in listed) is visible


def test_a_listing_that_does_not_exist_is_the_same_404(client, db):
    assert client.get("/api/v1/listings/999999/").status_code == 404


# --- What the public learns about the poster --------------------------------------------------


@pytest.mark.parametrize("role", NOT_MEMBERS)
def test_the_poster_stays_anonymous_in_the_json(client, cast, listings, wuhan_cluster, role):
    listing = listings.published()
    login(client, cast.user(role))

    detail = client.get(f"/api/v1/listings/{listing.pk}/")
    listed = client.get("/api/v1/listings/", {"q": "机床"})

    for response in (detail, listed):
        body = response.content.decode()
        for secret in secrets_of_firm_a(cast):
            assert secret not in body, secret
    data = detail.json()
    assert data["enterprise"] is None
    # Trust, not identity: the badge, the valid certifications, the clusters.
    assert data["poster"]["verified"] is True
    assert data["poster"]["certifications"] == ["iso9001"]
    assert data["poster"]["clusters"] == [wuhan_cluster.name]


@pytest.mark.parametrize("role", ["member_a", "admin_a", "park_admin_a", "supervisor"])
def test_the_firm_and_its_supervisors_see_who_posted(client, cast, listings, role):
    listing = listings.published()
    login(client, cast.user(role))
    assert client.get(f"/api/v1/listings/{listing.pk}/").json()["enterprise"] == cast.a.firm.pk


# --- Creating through the API, and bad input ---------------------------------------------------


def capacity_payload(**overrides) -> dict:
    payload = {
        "kind": "capacity",
        "direction": "offer",
        "title": "数控机床闲置产能出租",
        "description": "五台立式加工中心，每月可提供约 400 机时。",
        "industry": "3421",
        "quantity": "400",
        "unit": "machine_hours_month",
        "price_mode": "range",
        "price_min": "80",
        "price_max": "120",
        "attributes": {"facility": "equipment", "machine_type": "VMC850"},
    }
    payload.update(overrides)
    return payload


def talent_payload(**attributes) -> dict:
    return capacity_payload(
        kind="talent",
        title="共享数控操作工",
        industry="3421",
        quantity="3",
        unit="persons",
        price_mode="negotiable",
        price_min=None,
        price_max=None,
        attributes={"skills": "数控车床操作", "headcount": 3, "mode": "secondment", **attributes},
    )


def post(client, payload):
    return client.post("/api/v1/listings/", payload, content_type="application/json")


def test_a_member_creates_a_draft_and_submits_it(client, cast):
    login(client, cast.member_a)

    draft = post(client, capacity_payload())
    submitted = post(client, capacity_payload(title="注塑机闲置产能", submit=True))

    assert draft.status_code == 201, draft.content
    assert draft.json()["status"] == S.DRAFT
    assert submitted.json()["status"] == S.PENDING
    assert Listing.objects.get(pk=draft.json()["id"]).enterprise == cast.a.firm


def test_anonymous_visitors_and_people_without_a_firm_cannot_post(client, cast):
    assert post(client, capacity_payload()).status_code in (401, 403)
    login(client, cast.newcomer)
    assert post(client, capacity_payload()).status_code == 403
    assert not Listing.objects.exists()


BAD_INPUT = {
    "price-min-above-max": ({"price_min": "500", "price_max": "100"}, {"price_max"}),
    "negative-price": ({"price_min": "-1"}, {"price_min"}),
    "dates-reversed": (
        {
            "available_from": days_from_today(30).isoformat(),
            "available_until": days_from_today(10).isoformat(),
        },
        {"available_until"},
    ),
    "expiry-past-the-maximum": (
        {"expires_on": days_from_today(181).isoformat()},  # capacity: at most 180 days
        {"expires_on"},
    ),
    "expiry-in-the-past": ({"expires_on": days_from_today(-1).isoformat()}, {"expires_on"}),
    "unit-of-another-kind": ({"unit": "persons"}, {"unit"}),
    "unknown-attribute": (
        {"attributes": {"facility": "equipment", "machine_type": "VMC850", "colour": "红"}},
        {"attributes"},
    ),
    "attribute-missing": ({"attributes": {"facility": "plant"}}, {"attributes.area_sqm"}),
    "industry-section": ({"industry": "C"}, {"industry"}),
    "park-outside-the-region": ({"park": "PARK_B"}, {"park"}),
    "empty-title": ({"title": "   "}, {"title"}),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_a_400_by_field_and_stores_nothing(client, cast, case):
    overrides, fields = BAD_INPUT[case]
    if overrides.get("park") == "PARK_B":
        overrides = {"park": cast.b.park.pk}
    login(client, cast.member_a)
    count, seq = Listing.objects.count(), AuditEntry.objects.count()

    response = post(client, capacity_payload(**overrides))

    assert response.status_code == 400, response.content
    assert fields <= set(response.json()), response.json()
    assert all(response.json()[name] for name in fields)
    assert Listing.objects.count() == count
    assert AuditEntry.objects.count() == seq


def test_a_shared_staff_offer_needs_the_labour_checklist(client, cast):
    login(client, cast.member_a)

    refused = post(client, talent_payload())

    assert refused.status_code == 400
    assert {
        "attributes.labour_contract_kept",
        "attributes.insurance_covered",
        "attributes.worker_consent",
    } <= set(refused.json())
    assert not Listing.objects.exists()
    accepted = post(
        client,
        talent_payload(labour_contract_kept=True, insurance_covered=True, worker_consent=True),
    )
    assert accepted.status_code == 201, accepted.content


def test_markup_in_text_is_stored_as_text(client, cast):
    login(client, cast.member_a)
    title = "<script>alert(1)</script>数控机床"
    description = '<img src=x onerror="alert(2)"> 五台加工中心'

    response = post(client, capacity_payload(title=title, description=description))

    assert response.status_code == 201
    stored = Listing.objects.get(pk=response.json()["id"])
    assert (stored.title, stored.description) == (title, description)
    assert response.json()["title"] == title  # JSON carries the text; the pages escape it


def test_an_edit_by_another_firm_is_refused(client, cast, listings):
    listing = listings.published()
    login(client, cast.member_b)
    response = client.patch(
        f"/api/v1/listings/{listing.pk}/", {"title": "篡改"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Listing.objects.get(pk=listing.pk).title == "数控机床闲置产能出租"


def test_an_edit_of_a_published_listing_through_the_api_waits_for_review(client, cast, listings):
    listing = listings.published()
    login(client, cast.member_a)
    response = client.patch(
        f"/api/v1/listings/{listing.pk}/",
        {"title": "五轴联动加工中心共享机时"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["title"] == "数控机床闲置产能出租"
    assert response.json()["pending_changes"] == {"title": "五轴联动加工中心共享机时"}


def test_a_transition_refused_by_state_is_a_409_with_the_current_state(client, cast, listings):
    listing = listings.in_status(S.PUBLISHED)
    login(client, cast.park_admin_a)
    response = client.post(
        f"/api/v1/listings/{listing.pk}/reject/",
        {"reason": "misleading"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["current_state"] == S.PUBLISHED


def test_a_transition_by_someone_without_the_right_is_refused(client, cast, listings):
    listing = listings.in_status(S.PENDING)
    login(client, cast.officer_a)  # sees it, may not decide it
    response = client.post(f"/api/v1/listings/{listing.pk}/approve/")
    assert response.status_code == 403
    login(client, cast.park_admin_b)  # does not even see it
    assert client.post(f"/api/v1/listings/{listing.pk}/approve/").status_code == 404
    assert Listing.objects.get(pk=listing.pk).status == S.PENDING


# --- Attachments -----------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def upload(client, listing, name: str, content: bytes):
    return client.post(
        f"/api/v1/listings/{listing.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content)},
    )


def noisy_png(side: int = 64) -> bytes:
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, format="PNG")
    return buffer.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A one-colour PNG that is tiny on disk and huge in memory once decoded.

    Written chunk by chunk: Pillow itself would have to hold the 20000×20000 image in memory
    (400 MB) to save it. One-bit greyscale, every row the same, compressed by zlib.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + the row's bits
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_real_png_is_accepted_and_served_back(client, cast, listings, media):
    listing = listings.draft()
    login(client, cast.member_a)
    content = png_bytes()

    response = upload(client, listing, "设备照片.png", content)

    assert response.status_code == 201, response.content
    attachment = ListingAttachment.objects.get(listing=listing)
    assert (attachment.content_type, attachment.size) == ("image/png", len(content))
    [path] = stored_files(media)
    assert path.read_bytes() == content
    assert path.name != "设备照片.png"  # stored under a random name
    served = client.get(response.json()["url"])
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == content


def test_a_real_pdf_is_accepted(client, cast, listings, media):
    listing = listings.draft()
    login(client, cast.member_a)
    assert upload(client, listing, "设备清单.pdf", PDF).status_code == 201


REFUSED_UPLOADS = {
    "executable-named-pdf": ("说明书.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
    "png-named-pdf": ("说明书.pdf", png_bytes()),
    "pdf-named-png": ("照片.png", PDF),
    "executable": ("setup.exe", b"MZ\x90\x00" + b"\x00" * 200),
    "html-named-jpg": ("照片.jpg", b"<html><script>alert(1)</script></html>"),
    "truncated-png": ("照片.png", png_bytes()[:40]),
    "decompression-bomb": ("照片.png", bomb_png(20000, 20000)),
    "over-the-pixel-limit": ("照片.png", bomb_png(7000, 7000)),  # 49 M pixels, below Pillow's
}


@pytest.mark.parametrize("case", REFUSED_UPLOADS, ids=list(REFUSED_UPLOADS))
def test_a_file_that_is_not_what_its_name_says_is_refused(client, cast, listings, media, case):
    name, content = REFUSED_UPLOADS[case]
    listing = listings.draft()
    login(client, cast.member_a)

    response = upload(client, listing, name, content)

    assert response.status_code == 400
    assert response.json()["file"]
    assert not ListingAttachment.objects.exists()
    assert stored_files(media) == []


def test_an_oversize_file_is_refused(client, cast, listings, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 4096
    content = noisy_png(64)
    assert len(content) > 4096
    listing = listings.draft()
    login(client, cast.member_a)

    response = upload(client, listing, "照片.png", content)

    assert response.status_code == 400
    assert response.json()["file"]
    assert not ListingAttachment.objects.exists()
    assert stored_files(media) == []


def test_another_firm_cannot_attach_files(client, cast, listings, media):
    listing = listings.published()
    login(client, cast.member_b)
    response = upload(client, listing, "照片.png", png_bytes())
    assert response.status_code == 403
    assert stored_files(media) == []


# --- Pinned query counts --------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    client.get(url)  # warm up what is cached once per process (content types, ...)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.json()["results"]
    return len(queries)


# The most queries each list may take, whatever the number of rows.
# /api/v1/listings/: its page's ids, then their rows (sharing/pagination.py).
PINNED = {"/api/v1/listings/": 5, "/api/v1/moderation/": 8, "/api/v1/my-listings/": 8}


def test_the_public_list_takes_the_same_queries_for_3_or_20_listings(
    client, cast, django_assert_max_num_queries, settings
):
    # What answering costs: the anonymous cache (tests/sharing/test_performance.py) would
    # answer the repeated requests without any query.
    settings.LISTING_PAGE_CACHE_SECONDS = 0
    listings_of_many_firms(cast, 3, S.PUBLISHED)
    few = count_queries(client, "/api/v1/listings/")
    listings_of_many_firms(cast, 17, S.PUBLISHED, start=3)
    many = count_queries(client, "/api/v1/listings/")

    assert many == few
    with django_assert_max_num_queries(PINNED["/api/v1/listings/"]):
        assert len(client.get("/api/v1/listings/").json()["results"]) == 20


def test_the_moderation_queue_takes_the_same_queries_for_3_or_20_listings(
    client, cast, django_assert_max_num_queries
):
    login(client, cast.park_admin_a)
    listings_of_many_firms(cast, 3, S.PENDING)
    few = count_queries(client, "/api/v1/moderation/")
    listings_of_many_firms(cast, 17, S.PENDING, start=3)
    many = count_queries(client, "/api/v1/moderation/")

    assert many == few
    with django_assert_max_num_queries(PINNED["/api/v1/moderation/"]):
        assert len(client.get("/api/v1/moderation/").json()["results"]) == 20


def test_my_listings_take_the_same_queries_for_3_or_20_listings(
    client, cast, listings, django_assert_max_num_queries
):
    login(client, cast.member_a)
    states = [S.DRAFT, S.PENDING, S.PUBLISHED, S.CHANGES_REQUESTED, S.REJECTED]
    for n in range(3):
        listings.in_status(states[n % len(states)], title=f"数控机床{n}")
    few = count_queries(client, "/api/v1/my-listings/")
    for n in range(3, 20):
        listings.in_status(states[n % len(states)], title=f"数控机床{n}")
    many = count_queries(client, "/api/v1/my-listings/")

    assert many == few
    with django_assert_max_num_queries(PINNED["/api/v1/my-listings/"]):
        assert len(client.get("/api/v1/my-listings/").json()["results"]) == 20
