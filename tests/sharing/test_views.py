"""The listing pages: who sees what, what the public learns about a poster, the posting form's
errors, attachments, "my listings" with its allowed actions, and pinned query counts."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.services import enterprise_update
from sharing.choices import ListingStatus as S
from sharing.models import Listing, ListingAttachment
from sharing.moderation import listing_transition
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
def test_who_sees_a_listing_page(client, cast, listings, wuhan_cluster, case):
    status, visibility, shared, role, visible = case
    if shared:
        enterprise_update(actor=cast.admin_b, enterprise=cast.b.firm, clusters=[wuhan_cluster])
    listing = listings.in_status(status, visibility=visibility)
    login(client, cast.user(role))

    assert client.get(f"/listings/{listing.pk}/").status_code == (200 if visible else 404)
    if status == S.PUBLISHED:  # the list shows published listings only
        shown = client.get("/listings/").context["page"].object_list
        assert (listing in shown) is visible


# --- What the public learns about the poster --------------------------------------------------


@pytest.mark.parametrize("role", NOT_MEMBERS)
def test_the_poster_stays_anonymous_on_the_pages(client, cast, listings, wuhan_cluster, role):
    listing = listings.published()
    login(client, cast.user(role))

    detail = client.get(f"/listings/{listing.pk}/").content.decode()
    listed = client.get("/listings/", {"q": "机床"}).content.decode()

    assert listing.title in detail and listing.title in listed
    for body in (detail, listed):
        for secret in secrets_of_firm_a(cast):
            assert secret not in body, secret
    # Trust, not identity: the verification badge, certifications and cluster are shown.
    assert "已通过园区认证" in detail
    assert "ISO 9001" in detail
    assert wuhan_cluster.name in detail
    assert "认证企业" in listed and "ISO 9001" in listed


def test_the_firm_sees_its_own_name_on_its_listing(client, cast, listings):
    listing = listings.published()
    login(client, cast.member_a)
    page = client.get(f"/listings/{listing.pk}/").content.decode()
    assert cast.a.firm.name in page


def _attributes_shown(client, listing) -> list[tuple[str, str]]:
    """The label and value pairs after the place and the expiry date: the kind's attributes."""
    page = client.get(f"/listings/{listing.pk}/").content.decode()
    assert "facility" not in page and "machine_type" not in page and "headcount" not in page
    pairs = re.findall(r'<dt class="col-sm-3">([^<]*)</dt><dd class="col-sm-9">([^<]*)</dd>', page)
    return [(dt.strip(), dd.strip()) for dt, dd in pairs][len(pairs) - len(listing.attributes) :]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "zh-hans",
            {
                "capacity": [("资源类型", "设备"), ("设备型号/名称", "VMC850")],
                "order": [("产品", "座椅骨架"), ("要求的资质认证", "ISO 9001、ISO 14001")],
                "talent": [("技能", "数控编程"), ("人数", "2"), ("用工方式", "共享用工（借调）")],
            },
        ),
        (
            "en",
            {
                "capacity": [("Resource type", "Equipment"), ("Equipment model or name", "VMC850")],
                "order": [
                    ("Product", "座椅骨架"),
                    ("Required certifications", "ISO 9001, ISO 14001"),
                ],
                "talent": [
                    ("Skills", "数控编程"),
                    ("Number of people", "2"),
                    ("Form of employment", "Staff sharing (secondment)"),
                ],
            },
        ),
    ],
)
def test_the_listing_page_names_the_attributes_in_the_readers_language(
    client, settings, cast, listings, language, expected
):
    capacity = listings.published()
    order = listings.published(
        kind="order",
        attributes={"product": "座椅骨架", "required_certifications": ["iso9001", "iso14001"]},
    )
    talent = listings.published(
        kind="talent",
        title="数控编程技工共享",
        unit="persons",
        quantity=2,
        attributes={
            "skills": "数控编程",
            "headcount": 2,
            "mode": "secondment",
            "labour_contract_kept": True,
            "insurance_covered": True,
            "worker_consent": True,
        },
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert _attributes_shown(client, capacity) == expected["capacity"]
    assert _attributes_shown(client, order) == expected["order"]
    shown = _attributes_shown(client, talent)
    assert shown[:3] == expected["talent"]
    assert [value for _label, value in shown[3:]] == ["是" if language == "zh-hans" else "Yes"] * 3


# --- Posting through the form -------------------------------------------------------------------

NEW_CAPACITY_OFFER = "/listings/new/?kind=capacity&direction=offer"


def form_data(**overrides) -> dict:
    data = {
        "title": "数控机床闲置产能出租",
        "description": "五台立式加工中心，每月可提供约 400 机时。",
        "industry": "3421",
        "quantity": "400",
        "unit": "machine_hours_month",
        "price_mode": "range",
        "price_min": "80",
        "price_max": "120",
        "visibility": "public",
        "attr-facility": "equipment",
        "attr-machine_type": "VMC850",
        "submit": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_posting_starts_with_the_kind_and_direction(client, cast):
    login(client, cast.member_a)
    page = client.get("/listings/new/").content.decode()
    assert 'name="kind"' in page and 'name="direction"' in page


def test_a_member_posts_and_submits_an_offer(client, cast):
    login(client, cast.member_a)

    response = client.post(NEW_CAPACITY_OFFER, form_data())

    listing = Listing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/listings/{listing.pk}/"
    assert (listing.status, listing.enterprise) == (S.PENDING, cast.a.firm)
    assert listing.attributes == {"facility": "equipment", "machine_type": "VMC850"}
    assert "待审核" in client.get(response["Location"]).content.decode()


FORM_ERRORS = {
    "price-min-above-max": ({"price_min": "500", "price_max": "100"}, "price_max"),
    "dates-reversed": (
        {
            "available_from": days_from_today(30).isoformat(),
            "available_until": days_from_today(10).isoformat(),
        },
        "available_until",
    ),
    "expiry-past-the-maximum": (
        {"expires_on": days_from_today(181).isoformat()},
        "expires_on",
    ),
    "unit-of-another-kind": ({"unit": "persons"}, "unit"),
    "unknown-industry-code": ({"industry": "9999"}, "industry"),
    "equipment-without-model": ({"attr-machine_type": ""}, "attr-machine_type"),
}


@pytest.mark.parametrize("case", FORM_ERRORS, ids=list(FORM_ERRORS))
def test_the_form_shows_an_error_by_the_field_and_stores_nothing(client, cast, case):
    overrides, field = FORM_ERRORS[case]
    login(client, cast.member_a)

    response = client.post(NEW_CAPACITY_OFFER, form_data(**overrides))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'id="id_{re.escape(field)}_error"><div>[^<]+</div>', html), field
    assert not Listing.objects.exists()


def test_a_shared_staff_offer_without_the_checklist_is_refused_by_field(client, cast):
    login(client, cast.member_a)
    response = client.post(
        "/listings/new/?kind=talent&direction=offer",
        form_data(
            title="共享数控操作工",
            quantity="3",
            unit="persons",
            price_mode="negotiable",
            price_min=None,
            price_max=None,
            **{
                "attr-facility": None,
                "attr-machine_type": None,
                "attr-skills": "数控车床操作",
                "attr-headcount": "3",
                "attr-mode": "secondment",
            },
        ),
    )
    html = response.content.decode()
    for name in ("labour_contract_kept", "insurance_covered", "worker_consent"):
        assert f'id="id_attr-{name}_error"' in html
    assert not Listing.objects.exists()


def test_markup_in_the_title_is_shown_escaped(client, cast, listings):
    title = "<script>alert(1)</script>数控机床"
    listing = listings.published(title=title, description="<b onmouseover=alert(2)>加粗</b>")
    assert Listing.objects.get(pk=listing.pk).title == title  # stored as typed

    for user in (None, cast.member_a):
        client.logout()
        login(client, user)
        for url in (f"/listings/{listing.pk}/", "/listings/"):
            html = client.get(url).content.decode()
            assert "&lt;script&gt;alert(1)&lt;/script&gt;数控机床" in html
            assert "<script>alert(1)</script>" not in html
            assert "<b onmouseover" not in html


# --- Attachments -----------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_image_is_attached_through_the_page(client, cast, listings, media):
    listing = listings.draft()
    login(client, cast.member_a)

    response = client.post(
        f"/listings/{listing.pk}/attachments/",
        {"file": SimpleUploadedFile("设备照片.png", png_bytes())},
        follow=True,
    )

    assert "附件已上传" in response.content.decode()
    assert ListingAttachment.objects.filter(listing=listing).count() == 1
    assert len([p for p in media.rglob("*") if p.is_file()]) == 1


def test_an_executable_named_pdf_is_refused_through_the_page(client, cast, listings, media):
    listing = listings.draft()
    login(client, cast.member_a)

    response = client.post(
        f"/listings/{listing.pk}/attachments/",
        {"file": SimpleUploadedFile("说明书.pdf", b"MZ\x90\x00" + b"\x00" * 200)},
        follow=True,
    )

    assert "文件内容与扩展名 .pdf 不符" in response.content.decode()
    assert not ListingAttachment.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


# --- My listings -------------------------------------------------------------------------------


def actions_by_listing(html: str) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for pk, action in re.findall(r'formaction="/listings/(\d+)/(\w+)/"', html):
        found.setdefault(int(pk), set()).add(action)
    return found


def test_my_listings_show_state_reasons_and_only_the_allowed_actions(client, cast, listings):
    draft = listings.draft(title="草稿信息")
    pending = listings.in_status(S.PENDING, title="待审信息")
    changes = listings.in_status(S.PENDING, title="需修改信息")
    listing_transition(
        actor=cast.park_admin_a,
        listing=changes,
        action="request_changes",
        reason="incomplete",
        note="请补充设备的加工精度。",
    )
    rejected = listings.in_status(S.PENDING, title="被拒信息")
    listing_transition(
        actor=cast.park_admin_a,
        listing=rejected,
        action="reject",
        reason="misleading",
        note="产能数据与实际不符。",
    )
    published = listings.published(title="已发布信息")
    expired = listings.in_status(S.EXPIRED, title="过期信息")
    taken_down = listings.in_status(S.TAKEN_DOWN, title="下架信息")
    other_firm = listings.published(side="B", title="别家的信息")
    login(client, cast.member_a)

    html = client.get("/my/listings/").content.decode()

    assert actions_by_listing(html) == {
        draft.pk: {"submit", "withdraw"},
        pending.pk: {"withdraw"},
        changes.pk: {"submit", "withdraw"},
        rejected.pk: {"submit"},
        published.pk: {"renew", "close", "withdraw"},
        expired.pk: {"renew"},
    }
    assert taken_down.title in html and other_firm.title not in html
    for label in ("草稿", "待审核", "需修改", "未通过", "已发布", "已过期", "已下架"):
        assert label in html
    assert "信息不完整或不清楚" in html and "请补充设备的加工精度。" in html
    assert "虚假或夸大的内容" in html and "产能数据与实际不符。" in html


def test_my_listings_filter_by_state(client, cast, listings):
    listings.draft(title="草稿信息")
    listings.published(title="已发布信息")
    login(client, cast.member_a)
    html = client.get("/my/listings/", {"status": "published"}).content.decode()
    assert "已发布信息" in html and "草稿信息" not in html


def test_my_listings_send_people_without_a_firm_to_onboarding(client, cast):
    login(client, cast.newcomer)
    response = client.get("/my/listings/")
    assert response.status_code == 302
    assert response["Location"] == "/enterprises/start/"


# --- Pinned query counts --------------------------------------------------------------------

# The most queries each page may take, whatever the number of rows.
# /listings/: its page's ids, then their rows (sharing/pagination.py), and no query for the
# filters' regions, parks and clusters (cached in the process: clusters/widgets.py); the
# queue: a page count besides the figures' pending count.
PINNED = {"/listings/": 5, "/my/listings/": 7, "/supervision/listings/": 13}


def count_queries(client, url: str) -> int:
    client.get(url)  # warm up what is cached once per process
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_listing_page_takes_the_same_queries_for_3_or_20_listings(
    client, cast, django_assert_max_num_queries, settings
):
    # What rendering costs: the anonymous page cache (tests/sharing/test_performance.py)
    # would answer the repeated requests without any query.
    settings.LISTING_PAGE_CACHE_SECONDS = 0
    listings_of_many_firms(cast, 3, S.PUBLISHED)
    few = count_queries(client, "/listings/")
    listings_of_many_firms(cast, 17, S.PUBLISHED, start=3)
    many = count_queries(client, "/listings/")

    assert many == few
    with django_assert_max_num_queries(PINNED["/listings/"]):
        assert len(client.get("/listings/").context["page"].object_list) == 20


def test_my_listings_take_the_same_queries_for_3_or_20_listings(
    client, cast, listings, django_assert_max_num_queries
):
    states = [S.DRAFT, S.PENDING, S.PUBLISHED, S.CHANGES_REQUESTED, S.REJECTED]
    for n in range(3):
        listings.in_status(states[n % len(states)], title=f"数控机床{n}")
    login(client, cast.member_a)
    few = count_queries(client, "/my/listings/")
    for n in range(3, 20):
        listings.in_status(states[n % len(states)], title=f"数控机床{n}")
    many = count_queries(client, "/my/listings/")

    assert many == few
    with django_assert_max_num_queries(PINNED["/my/listings/"]):
        assert len(client.get("/my/listings/").context["page"].object_list) == 20


def test_the_moderation_queue_takes_the_same_queries_for_3_or_20_listings(
    client, cast, django_assert_max_num_queries
):
    login(client, cast.park_admin_a)
    listings_of_many_firms(cast, 3, S.PENDING)
    few = count_queries(client, "/supervision/listings/")
    listings_of_many_firms(cast, 17, S.PENDING, start=3)
    many = count_queries(client, "/supervision/listings/")

    assert many == few
    with django_assert_max_num_queries(PINNED["/supervision/listings/"]):
        assert len(client.get("/supervision/listings/").context["queue"]) == 20
