"""Inquiries, contact reveal, messages, deals, saved searches, digests and the switch for
personalised recommendations.

Firm A (武汉) posts a capacity offer; firm B (襄阳), whose request it matches, asks about it.
The poster sees who asks; the asker sees only the anonymous listing until the poster
accepts; then, and only then, the two sides see each other's name and contact people.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from clusters.errors import Conflict
from enterprises.models import AuditEntry, Enterprise
from sharing import digests, services
from sharing.choices import DealStatus, InquiryStatus, MatchState
from sharing.choices import ListingStatus as S
from sharing.models import Deal, Inquiry, InquiryMessage, Listing, Match, Notification, SavedSearch
from tests.cast import NAME_A, NAME_B, more_verified_firms
from tests.sharing.helpers import capacity_fields, days_from_today

# What identifies each firm: its name and its contact person (tests/cast.py).
POSTER = {
    "name": NAME_A,
    "contact": "联系人1",
    "phone": "027-87000001",
    "email": "contact-1@example.com",
}
ASKER = {
    "name": NAME_B,
    "contact": "联系人2",
    "phone": "027-87000002",
    "email": "contact-2@example.com",
}
CONTACTS = ("contact", "phone", "email")
THIRD_NAME = "武汉测试企业00"


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def text_of(response) -> str:
    """What the response shows: the HTML, or the JSON with its Chinese unescaped."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def shown(text: str, firm: dict, keys=("name", *CONTACTS)) -> set[str]:
    return {key for key in keys if firm[key] in text}


def third_firm_member(cast):
    """The founder of a third verified firm, in park A, that has nothing to do with it all."""
    more_verified_firms(cast, 1)
    return Enterprise.objects.get(name=THIRD_NAME).memberships.get().user


@pytest.fixture
def offer(market) -> Listing:
    return market.offer("A")


@pytest.fixture
def match(market, offer) -> Match:
    """Firm B's request, which the platform matched with firm A's offer."""
    request = market.request("B")
    return Match.objects.get(offer=offer, request=request)


def inquire(cast, listing, *, actor=None, **kwargs) -> Inquiry:
    kwargs.setdefault("message", "我们每月需要约 300 机时的数控加工，想了解贵方的排产。")
    return services.inquiry_create(actor=actor or cast.member_b, listing=listing, **kwargs)


@pytest.fixture
def inquiry(cast, offer) -> Inquiry:
    return inquire(cast, offer)


@pytest.fixture
def accepted(cast, inquiry) -> Inquiry:
    return services.inquiry_decide(actor=cast.member_a, inquiry=inquiry, accept=True)


# --- asking -----------------------------------------------------------------------------


def test_the_asker_sends_an_inquiry_and_the_poster_learns_who_asks(cast, match):
    inquiry = inquire(cast, match.offer, match=match, offer_text="可提供长期订单。")

    assert (inquiry.status, inquiry.from_enterprise_id) == (InquiryStatus.PENDING, cast.b.firm.pk)
    assert inquiry.created_by == cast.member_b
    notices = Notification.objects.filter(kind="inquiry")
    assert set(notices.values_list("user_id", flat=True)) == {cast.admin_a.pk, cast.member_a.pk}
    assert all(NAME_B in n.body for n in notices)
    assert {n.url for n in notices} == {f"/inquiries/{inquiry.pk}/"}
    match.refresh_from_db()
    assert (match.offer_state, match.request_state) == (MatchState.NEW, MatchState.CONTACTED)
    assert AuditEntry.objects.filter(action="inquiry.create").count() == 1


def test_the_poster_accepts_and_the_asker_is_told(cast, inquiry):
    accepted = services.inquiry_decide(actor=cast.member_a, inquiry=inquiry, accept=True)

    assert accepted.status == InquiryStatus.ACCEPTED
    assert (accepted.decided_by, accepted.decided_at is not None) == (cast.member_a, True)
    told = Notification.objects.filter(kind="inquiry", user__in=[cast.admin_b, cast.member_b])
    assert told.count() == 2
    assert AuditEntry.objects.filter(action="inquiry.accept").count() == 1


def test_the_poster_declines(cast, inquiry):
    declined = services.inquiry_decide(actor=cast.admin_a, inquiry=inquiry, accept=False)

    assert declined.status == InquiryStatus.DECLINED
    assert AuditEntry.objects.filter(action="inquiry.decline").count() == 1


@pytest.mark.parametrize("role", ["member_b", "admin_b", "park_admin_a", "supervisor"])
def test_only_the_poster_decides(cast, inquiry, role):
    with pytest.raises(PermissionDenied):
        services.inquiry_decide(actor=getattr(cast, role), inquiry=inquiry, accept=True)

    assert Inquiry.objects.get().status == InquiryStatus.PENDING


def test_a_decided_inquiry_cannot_be_decided_again(cast, accepted):
    with pytest.raises(Conflict) as refused:
        services.inquiry_decide(actor=cast.admin_a, inquiry=accepted, accept=False)

    assert refused.value.current_state == InquiryStatus.ACCEPTED
    assert Inquiry.objects.get().status == InquiryStatus.ACCEPTED


def test_the_asker_withdraws_a_pending_inquiry_and_may_ask_again(cast, offer, inquiry):
    with pytest.raises(PermissionDenied):
        services.inquiry_withdraw(actor=cast.member_a, inquiry=inquiry)
    withdrawn = services.inquiry_withdraw(actor=cast.admin_b, inquiry=inquiry)

    assert withdrawn.status == InquiryStatus.WITHDRAWN
    with pytest.raises(Conflict):
        services.inquiry_withdraw(actor=cast.member_b, inquiry=withdrawn)
    again = inquire(cast, offer)
    assert again.status == InquiryStatus.PENDING


def test_one_open_inquiry_per_listing_and_firm(cast, offer, inquiry):
    with pytest.raises(ValidationError, match="已就该信息发送过"):
        inquire(cast, offer, actor=cast.admin_b)

    assert Inquiry.objects.count() == 1


def test_inquiry_through_the_page_from_a_match(cast, match):
    client = client_for(cast.member_b)
    url = f"/listings/{match.offer_id}/inquire/?match={match.pk}"

    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "想了解排产。", "match": match.pk})

    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inquiries/{inquiry.pk}/"
    assert inquiry.match == match
    assert Match.objects.get().request_state == MatchState.CONTACTED


def test_inquiry_through_the_api(cast, match):
    response = client_for(cast.member_b).post(
        "/api/v1/inquiries/",
        {"listing": match.offer_id, "match": match.pk, "message": "想了解排产。"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["counterpart"] is None
    assert NAME_A not in text_of(response)


# --- bad inquiries: a clear error and nothing stored ------------------------------------


def _assert_nothing_stored():
    assert not Inquiry.objects.exists()
    assert not Notification.objects.filter(kind="inquiry").exists()
    assert not AuditEntry.objects.filter(action="inquiry.create").exists()


def test_no_inquiry_to_ones_own_listing(cast, market, offer):
    with pytest.raises(ValidationError, match="本企业"):
        inquire(cast, offer, actor=cast.admin_a)

    page = client_for(cast.member_a).get(f"/listings/{offer.pk}/inquire/", follow=True)
    api = client_for(cast.member_a).post(
        "/api/v1/inquiries/", {"listing": offer.pk, "message": "自己问自己"}, "application/json"
    )
    assert "不能对本企业发布的信息发送对接意向" in page.content.decode()
    assert api.status_code == 400 and "本企业" in text_of(api)
    _assert_nothing_stored()


@pytest.mark.parametrize("status", [S.DRAFT, S.PENDING, S.WITHDRAWN, S.CLOSED, S.EXPIRED])
def test_no_inquiry_to_a_listing_that_is_not_published(cast, market, status):
    listing = market.in_status(status, "A", **capacity_fields())

    with pytest.raises(ValidationError, match="未发布或已过期"):
        inquire(cast, listing)

    page = client_for(cast.member_b).post(f"/listings/{listing.pk}/inquire/", {"message": "你好"})
    api = client_for(cast.member_b).post(
        "/api/v1/inquiries/", {"listing": listing.pk, "message": "你好"}, "application/json"
    )
    assert page.status_code == 404
    assert api.status_code == 400 and "listing" in api.json()
    _assert_nothing_stored()


def test_no_inquiry_to_a_listing_past_its_date(cast, offer):
    Listing.objects.filter(pk=offer.pk).update(expires_on=days_from_today(-1))

    with pytest.raises(ValidationError, match="未发布或已过期"):
        inquire(cast, offer)

    api = client_for(cast.member_b).post(
        "/api/v1/inquiries/", {"listing": offer.pk, "message": "你好"}, "application/json"
    )
    assert api.status_code == 400 and "已过期" in text_of(api)
    _assert_nothing_stored()


def test_no_inquiry_from_a_firm_not_yet_verified(cast, offer):
    with pytest.raises(ValidationError, match="企业通过认证后"):
        inquire(cast, offer, actor=cast.founder_b)

    _assert_nothing_stored()


def test_no_inquiry_from_someone_without_a_firm(cast, offer):
    with pytest.raises(PermissionDenied):
        inquire(cast, offer, actor=cast.newcomer)

    _assert_nothing_stored()


@pytest.mark.parametrize("message", ["", "   \n "])
def test_no_inquiry_without_a_message(cast, offer, message):
    with pytest.raises(ValidationError) as refused:
        inquire(cast, offer, message=message)

    assert "message" in refused.value.message_dict
    api = client_for(cast.member_b).post(
        "/api/v1/inquiries/", {"listing": offer.pk, "message": message}, "application/json"
    )
    assert api.status_code == 400 and "message" in api.json()
    _assert_nothing_stored()


@override_settings(INQUIRY_DAILY_LIMIT=2)
def test_inquiries_are_limited_per_firm_per_day(cast, market):
    offers = [market.offer("A", title=f"数控机床闲置产能 {n}") for n in range(4)]
    first = inquire(cast, offers[0], actor=cast.member_b)
    inquire(cast, offers[1], actor=cast.admin_b)  # the firm's count, not the person's

    with pytest.raises(ValidationError, match="已达上限"):
        inquire(cast, offers[2], actor=cast.member_b)
    api = client_for(cast.admin_b).post(
        "/api/v1/inquiries/", {"listing": offers[2].pk, "message": "你好"}, "application/json"
    )
    assert api.status_code == 400 and "已发送 2 条对接意向，已达上限" in text_of(api)
    assert Inquiry.objects.count() == 2

    # A day later the oldest no longer counts.
    Inquiry.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=25))
    inquire(cast, offers[2], actor=cast.member_b)
    assert Inquiry.objects.count() == 3


def test_the_daily_limit_defaults_to_twenty(cast, market, settings):
    del settings.INQUIRY_DAILY_LIMIT  # not set: the default applies
    offers = [market.offer("A", title=f"数控机床闲置产能 {n}") for n in range(21)]
    for listing in offers[:20]:
        inquire(cast, listing)

    with pytest.raises(ValidationError, match="20"):
        inquire(cast, offers[20])


# --- contact reveal ---------------------------------------------------------------------


def pages_about_the_poster(offer, match) -> dict[str, str]:
    """Every route (HTML and API) the asker reaches that concerns the listing or its poster;
    the value says what the route may show of the poster before acceptance."""
    inquiry = Inquiry.objects.get()
    firm = offer.enterprise_id
    return {
        f"/listings/{offer.pk}/": "nothing",
        "/listings/?q=数控": "nothing",
        f"/inquiries/{inquiry.pk}/": "nothing",
        "/inquiries/": "nothing",
        f"/listings/{match.request_id}/matches/": "nothing",
        f"/enterprises/{firm}/": "no contacts",  # the public directory names verified firms
        f"/api/v1/listings/{offer.pk}/": "nothing",
        "/api/v1/listings/": "nothing",
        f"/api/v1/inquiries/{inquiry.pk}/": "nothing",
        "/api/v1/inquiries/": "nothing",
        f"/api/v1/inquiries/{inquiry.pk}/messages/": "nothing",
        "/api/v1/matches/": "nothing",
        "/api/v1/notifications/": "nothing",
        f"/api/v1/enterprises/{firm}/": "no contacts",
    }


def assert_poster_hidden_from(user, offer, match):
    client = client_for(user)
    for url, allowed in pages_about_the_poster(offer, match).items():
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        hidden = CONTACTS if allowed == "no contacts" else ("name", *CONTACTS)
        assert shown(text_of(response), POSTER, hidden) == set(), url


def test_before_acceptance_no_route_shows_the_asker_who_posts(cast, offer, match):
    inquire(cast, offer, match=match)

    for user in (cast.member_b, cast.admin_b):
        assert_poster_hidden_from(user, offer, match)


def test_after_a_decline_nothing_is_revealed(cast, offer, match):
    inquiry = inquire(cast, offer, match=match)
    services.inquiry_decide(actor=cast.member_a, inquiry=inquiry, accept=False)

    assert_poster_hidden_from(cast.member_b, offer, match)
    # Nor does the poster get the asker's contact people.
    poster = client_for(cast.member_a)
    for url in (f"/enterprises/{cast.b.firm.pk}/", f"/api/v1/enterprises/{cast.b.firm.pk}/"):
        assert shown(text_of(poster.get(url)), ASKER, CONTACTS) == set(), url
    assert (
        client_for(cast.member_a).get(f"/api/v1/inquiries/{inquiry.pk}/").json()["counterpart"]
        is None
    )


def test_the_poster_sees_who_asks_but_not_their_contacts_before_accepting(cast, inquiry):
    client = client_for(cast.member_a)

    page = text_of(client.get(f"/inquiries/{inquiry.pk}/"))
    api = client.get(f"/api/v1/inquiries/{inquiry.pk}/").json()
    profile = text_of(client.get(f"/enterprises/{cast.b.firm.pk}/"))

    assert shown(page, ASKER) == {"name"}
    assert (api["from_enterprise"], api["counterpart"]) == (NAME_B, None)
    assert shown(profile, ASKER, CONTACTS) == set()


def test_after_acceptance_the_asker_sees_the_posters_name_and_contacts(cast, offer, accepted):
    client = client_for(cast.member_b)

    page = text_of(client.get(f"/inquiries/{accepted.pk}/"))
    api = client.get(f"/api/v1/inquiries/{accepted.pk}/").json()
    profile = text_of(client.get(f"/enterprises/{cast.a.firm.pk}/"))
    profile_api = client.get(f"/api/v1/enterprises/{cast.a.firm.pk}/").json()
    listing_page = text_of(client.get(f"/listings/{offer.pk}/"))
    listing_api = client.get(f"/api/v1/listings/{offer.pk}/").json()

    assert shown(page, POSTER) == {"name", *CONTACTS}
    assert api["counterpart"] == {
        "id": cast.a.firm.pk,
        "name": NAME_A,
        "contacts": [
            {
                "name": "联系人1",
                "position": "销售经理",
                "phone": POSTER["phone"],
                "email": POSTER["email"],
            }
        ],
    }
    assert shown(profile, POSTER, CONTACTS) == set(CONTACTS)
    assert [c["phone"] for c in profile_api["contacts"]] == [POSTER["phone"]]
    assert NAME_A in listing_page
    assert listing_api["enterprise"] == cast.a.firm.pk


def test_after_acceptance_the_poster_sees_the_askers_name_and_contacts(cast, accepted):
    client = client_for(cast.admin_a)

    page = text_of(client.get(f"/inquiries/{accepted.pk}/"))
    api = client.get(f"/api/v1/inquiries/{accepted.pk}/").json()
    profile = text_of(client.get(f"/enterprises/{cast.b.firm.pk}/"))

    assert shown(page, ASKER) == {"name", *CONTACTS}
    assert api["counterpart"]["name"] == NAME_B
    assert [c["email"] for c in api["counterpart"]["contacts"]] == [ASKER["email"]]
    assert shown(profile, ASKER, CONTACTS) == set(CONTACTS)


@pytest.mark.parametrize("who", ["third firm", "anonymous"])
def test_after_acceptance_nobody_else_learns_anything(cast, offer, match, who):
    inquiry = inquire(cast, offer, match=match)
    services.inquiry_decide(actor=cast.member_a, inquiry=inquiry, accept=True)
    user = third_firm_member(cast) if who == "third firm" else None
    client = client_for(user)

    inquiry_page = client.get(f"/inquiries/{inquiry.pk}/")
    inquiry_api = client.get(f"/api/v1/inquiries/{inquiry.pk}/")
    assert inquiry_page.status_code == (404 if user else 302)
    assert inquiry_api.status_code in ((404,) if user else (401, 403))
    for firm, secrets in ((cast.a.firm, POSTER), (cast.b.firm, ASKER)):
        for url in (f"/enterprises/{firm.pk}/", f"/api/v1/enterprises/{firm.pk}/"):
            assert shown(text_of(client.get(url)), secrets, CONTACTS) == set(), url
    for url in (f"/listings/{offer.pk}/", f"/api/v1/listings/{offer.pk}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert shown(text_of(response), POSTER) == set(), url
    assert client.get(f"/api/v1/listings/{offer.pk}/").json()["enterprise"] is None


# --- messages ---------------------------------------------------------------------------


def test_messages_flow_between_the_two_sides_after_acceptance(cast, accepted):
    first = services.inquiry_message_create(
        actor=cast.member_b, inquiry=accepted, body="何时可以看设备？"
    )
    reply = services.inquiry_message_create(
        actor=cast.member_a, inquiry=accepted, body="周三上午。"
    )

    assert list(accepted.messages.all()) == [first, reply]
    assert (first.enterprise_id, reply.enterprise_id) == (cast.b.firm.pk, cast.a.firm.pk)
    told = Notification.objects.filter(kind="message")
    assert set(told.values_list("user_id", "body")) == {
        (cast.admin_a.pk, "何时可以看设备？"),
        (cast.member_a.pk, "何时可以看设备？"),
        (cast.admin_b.pk, "周三上午。"),
        (cast.member_b.pk, "周三上午。"),
    }
    thread = client_for(cast.admin_b).get(f"/api/v1/inquiries/{accepted.pk}/messages/").json()
    assert [(m["body"], m["enterprise"]) for m in thread] == [
        ("何时可以看设备？", NAME_B),
        ("周三上午。", NAME_A),
    ]
    page = client_for(cast.member_b).get(f"/inquiries/{accepted.pk}/").content.decode()
    assert "何时可以看设备？" in page and "周三上午。" in page


@pytest.mark.parametrize("decision", ["pending", "declined", "withdrawn"])
def test_no_messages_unless_accepted(cast, inquiry, decision):
    if decision == "declined":
        services.inquiry_decide(actor=cast.member_a, inquiry=inquiry, accept=False)
    elif decision == "withdrawn":
        services.inquiry_withdraw(actor=cast.member_b, inquiry=inquiry)
    inquiry.refresh_from_db()

    for actor in (cast.member_a, cast.member_b):
        with pytest.raises(PermissionDenied):
            services.inquiry_message_create(actor=actor, inquiry=inquiry, body="你好")
    api = client_for(cast.member_b).post(
        f"/api/v1/inquiries/{inquiry.pk}/messages/", {"body": "你好"}, "application/json"
    )
    page = client_for(cast.member_b).post(f"/inquiries/{inquiry.pk}/message/", {"body": "你好"})

    assert api.status_code == 403
    assert page.status_code == 403
    assert client_for(cast.member_b).get(f"/api/v1/inquiries/{inquiry.pk}/messages/").json() == []
    assert not InquiryMessage.objects.exists()


def test_no_empty_message_and_no_message_from_outside(cast, accepted):
    with pytest.raises(ValidationError):
        services.inquiry_message_create(actor=cast.member_b, inquiry=accepted, body="  ")
    with pytest.raises(PermissionDenied):
        services.inquiry_message_create(actor=cast.park_admin_a, inquiry=accepted, body="监管")

    assert not InquiryMessage.objects.exists()


# --- deals ------------------------------------------------------------------------------


def record(cast, inquiry, *, actor=None, **fields) -> Deal:
    data = {
        "description": "三个月数控加工，每月 300 机时",
        "value_yuan": Decimal("72000"),
        "start_date": days_from_today(7),
        "end_date": days_from_today(97),
        "quantity": Decimal("900"),
        "unit": "机时",
    }
    data.update(fields)
    return services.deal_record(actor=actor or cast.member_b, inquiry=inquiry, **data)


def test_either_side_records_a_deal_and_the_other_is_asked_to_confirm(cast, accepted):
    deal = record(cast, accepted)

    assert deal.status == DealStatus.PROPOSED
    assert (deal.recorded_by_id, deal.recorded_by_user) == (cast.b.firm.pk, cast.member_b)
    asked = Notification.objects.filter(kind="deal")
    assert set(asked.values_list("user_id", flat=True)) == {cast.admin_a.pk, cast.member_a.pk}
    assert "72000" in asked.first().body
    assert record(cast, accepted, actor=cast.admin_a).recorded_by_id == cast.a.firm.pk


@pytest.mark.parametrize("role", ["member_b", "admin_b"])
def test_the_recording_side_cannot_confirm_its_own_deal(cast, accepted, role):
    deal = record(cast, accepted)

    with pytest.raises(PermissionDenied):
        services.deal_confirm(actor=getattr(cast, role), deal=deal)

    assert Deal.objects.get().status == DealStatus.PROPOSED


def test_the_other_side_confirms_and_the_deal_counts(cast, offer, accepted):
    deal = record(cast, accepted)

    confirmed = services.deal_confirm(actor=cast.member_a, deal=deal)

    assert confirmed.status == DealStatus.CONFIRMED
    assert (confirmed.confirmed_by, confirmed.confirmed_at is not None) == (cast.member_a, True)
    assert Listing.objects.get(pk=offer.pk).status == S.PUBLISHED  # the poster did not ask
    with pytest.raises(PermissionDenied):  # once is enough
        services.deal_confirm(actor=cast.admin_a, deal=confirmed)
    assert AuditEntry.objects.filter(action="deal.confirm").count() == 1


def test_a_third_firm_cannot_confirm(cast, accepted):
    deal = record(cast, accepted)

    with pytest.raises(PermissionDenied):
        services.deal_confirm(actor=third_firm_member(cast), deal=deal)


def test_the_poster_confirming_may_close_the_listing(cast, offer, match, accepted):
    deal = record(cast, accepted)

    services.deal_confirm(actor=cast.member_a, deal=deal, close_listing=True)

    closed = Listing.objects.get(pk=offer.pk)
    assert closed.status == S.CLOSED
    close = AuditEntry.objects.get(action="listing.close")
    assert close.actor_id == cast.member_a.pk
    # A closed listing's matches are no longer shown.
    assert client_for(cast.member_b).get("/api/v1/matches/").json()["count"] == 0


def test_the_poster_recording_may_close_the_listing_once_confirmed(cast, offer, accepted):
    deal = record(cast, accepted, actor=cast.member_a, close_listing=True)
    assert deal.close_listing
    assert Listing.objects.get(pk=offer.pk).status == S.PUBLISHED  # not before it counts

    services.deal_confirm(actor=cast.member_b, deal=deal)

    assert Listing.objects.get(pk=offer.pk).status == S.CLOSED


def test_the_asker_cannot_close_the_posters_listing(cast, offer, accepted):
    deal = record(cast, accepted, close_listing=True)
    assert not deal.close_listing

    services.deal_confirm(actor=cast.member_a, deal=deal)
    other = record(cast, accepted, actor=cast.member_a)
    services.deal_confirm(actor=cast.member_b, deal=other, close_listing=True)

    assert Listing.objects.get(pk=offer.pk).status == S.PUBLISHED


def test_the_other_side_may_dispute_instead(cast, accepted):
    deal = record(cast, accepted)

    disputed = services.deal_dispute(
        actor=cast.member_a, deal=deal, note="金额不对，应为 7.2 万元以下。"
    )

    assert (disputed.status, disputed.dispute_note) == (
        DealStatus.DISPUTED,
        "金额不对，应为 7.2 万元以下。",
    )
    with pytest.raises(PermissionDenied):
        services.deal_confirm(actor=cast.member_a, deal=disputed)


def test_deal_confirmed_through_the_page_closes_the_listing(cast, offer, accepted):
    deal = record(cast, accepted)
    client = client_for(cast.member_a)

    page = client.get(f"/inquiries/{accepted.pk}/").content.decode()
    response = client.post(f"/deals/{deal.pk}/confirm/", {"close_listing": "1"})

    assert f'action="/deals/{deal.pk}/confirm/"' in page
    assert response.status_code == 302
    assert Deal.objects.get().status == DealStatus.CONFIRMED
    assert Listing.objects.get(pk=offer.pk).status == S.CLOSED
    recorder_page = client_for(cast.member_b).get(f"/inquiries/{accepted.pk}/").content.decode()
    assert f'action="/deals/{deal.pk}/confirm/"' not in recorder_page


# --- bad deals: a clear error and nothing stored ----------------------------------------


@pytest.mark.parametrize("decision", ["pending", "declined", "withdrawn"])
def test_no_deal_on_an_inquiry_that_was_not_accepted(cast, inquiry, decision):
    if decision == "declined":
        services.inquiry_decide(actor=cast.member_a, inquiry=inquiry, accept=False)
    elif decision == "withdrawn":
        services.inquiry_withdraw(actor=cast.member_b, inquiry=inquiry)
    inquiry.refresh_from_db()

    for actor in (cast.member_a, cast.member_b):
        with pytest.raises(ValidationError, match="只有已接受的对接意向才能登记成交"):
            record(cast, inquiry, actor=actor)
    api = client_for(cast.member_b).post(
        "/api/v1/deals/",
        {
            "inquiry": inquiry.pk,
            "description": "加工",
            "value_yuan": "1000",
            "start_date": "2026-12-01",
        },
        "application/json",
    )

    assert api.status_code == 400, api.content
    assert "只有已接受的对接意向才能登记成交" in text_of(api)
    assert not Deal.objects.exists()


def test_no_deal_by_a_firm_outside_the_inquiry(cast, accepted):
    with pytest.raises(PermissionDenied):
        record(cast, accepted, actor=third_firm_member(cast))

    assert not Deal.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"value_yuan": Decimal("-1")}, "value_yuan", "不能为负数"),
        ({"value_yuan": Decimal("10000000000.01")}, "value_yuan", "100 亿"),
        ({"value_yuan": Decimal("99999999999")}, "value_yuan", "100 亿"),
        ({"value_yuan": None}, "value_yuan", "请填写成交金额"),
        ({"quantity": Decimal("-5")}, "quantity", "不能为负数"),
        ({"end_date": days_from_today(6)}, "end_date", "不能早于开始日期"),
    ],
    ids=["negative", "over-ten-billion", "absurd", "missing", "negative-quantity", "ends-first"],
)
def test_bad_deal_values_are_refused(cast, accepted, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        record(cast, accepted, **fields)

    assert message in " ".join(refused.value.message_dict[field])
    assert not Deal.objects.exists()
    assert not Notification.objects.filter(kind="deal").exists()


def test_ten_billion_yuan_is_still_a_deal(cast, accepted):
    assert record(cast, accepted, value_yuan=Decimal("10000000000")).value_yuan == Decimal(
        "10000000000"
    )


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("-1", "value_yuan"),
        ("20000000000", "value_yuan"),
        ("1e30", "value_yuan"),
        ("NaN", "value_yuan"),
    ],
)
def test_bad_deal_values_through_the_api(cast, accepted, value, field):
    response = client_for(cast.member_b).post(
        "/api/v1/deals/",
        {
            "inquiry": accepted.pk,
            "description": "加工",
            "value_yuan": value,
            "start_date": "2026-12-01",
        },
        "application/json",
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Deal.objects.exists()


def test_bad_deal_through_the_page_shows_the_error(cast, accepted):
    client = client_for(cast.member_b)

    response = client.post(
        f"/inquiries/{accepted.pk}/deal/",
        {"description": "加工", "value_yuan": "-5", "start_date": "2026-12-01"},
        follow=True,
    )

    assert "成交金额不能为负数" in response.content.decode()
    assert not Deal.objects.exists()


# --- saved searches and alerts ----------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"price_min": "abc"}, "price_min"),
        ({"kind": "spaceship"}, "kind"),
        ({"available_from": "明天"}, "available_from"),
        ({"unknown": "x"}, "params"),
    ],
)
def test_a_saved_search_with_a_bad_parameter_is_refused_naming_it(cast, params, named):
    response = client_for(cast.member_b).post(
        "/api/v1/saved-searches/",
        {"name": "数控", "params": params, "frequency": "immediate"},
        "application/json",
    )

    assert response.status_code == 400
    assert named in text_of(response)
    assert not SavedSearch.objects.exists()


def test_a_saved_search_keeps_only_known_conditions(cast):
    response = client_for(cast.member_b).post(
        "/api/v1/saved-searches/",
        {
            "name": "数控",
            "params": {"q": "数控", "kind": "capacity", "x": "1"},
            "frequency": "daily",
        },
        "application/json",
    )

    assert response.status_code == 201
    assert SavedSearch.objects.get().params == {"q": "数控", "kind": "capacity"}


def test_a_saved_search_with_a_bad_parameter_through_the_page(cast):
    client = client_for(cast.member_b)

    response = client.post(
        "/my/searches/",
        {"name": "数控", "frequency": "daily", "p_price_min": "abc"},
        follow=True,
    )

    assert "price_min" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_an_immediate_alert_when_a_matching_listing_is_published(cast, market):
    def save(user, frequency, **params):
        services.saved_search_create(
            actor=user, name="数控产能", params=params, frequency=frequency
        )

    save(cast.member_b, "immediate", q="数控", kind="capacity", direction="offer")
    save(cast.admin_b, "daily", q="数控", kind="capacity")
    save(cast.newcomer, "immediate", kind="talent")
    save(cast.admin_a, "immediate", q="数控")  # its own firm's listing is no news to it

    offer = market.offer("A")

    alerts = Notification.objects.filter(kind="saved_search")
    assert list(alerts.values_list("user_id", "url")) == [
        (cast.member_b.pk, f"/listings/{offer.pk}/")
    ]
    assert offer.title in alerts.get().title


def test_no_alert_for_a_listing_the_searcher_may_not_see(cast, market):
    services.saved_search_create(
        actor=cast.member_b, name="数控", params={"q": "数控"}, frequency="immediate"
    )

    market.offer("A", visibility="cluster")  # firm B is not in firm A's cluster

    assert not Notification.objects.filter(kind="saved_search").exists()


# --- the daily digest -------------------------------------------------------------------


def test_the_daily_digest_goes_only_to_those_who_opted_in_and_have_news(cast, market):
    def prefs(user, *, digest, recommendations=True):
        services.preferences_update(
            actor=user, recommendations_enabled=recommendations, digest_opt_in=digest
        )

    prefs(cast.member_b, digest=True)  # news: a new match
    prefs(cast.admin_b, digest=False)  # the same news, but did not opt in
    prefs(cast.member_a, digest=True, recommendations=False)  # opted in, nothing to tell
    prefs(cast.newcomer, digest=True)  # news: a daily saved search hit
    prefs(cast.officer_a, digest=True)  # opted in, nothing at all
    services.saved_search_create(
        actor=cast.newcomer, name="武汉数控", params={"q": "数控", "direction": "offer"}
    )
    offer = market.offer("A")
    request = market.request("B")
    mail.outbox.clear()

    assert digests.send_daily_digests() == 2

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {cast.member_b.email, cast.newcomer.email}
    to_b = by_recipient[cast.member_b.email].body
    assert offer.title in to_b
    assert f"/listings/{request.pk}/matches/" in to_b
    to_newcomer = by_recipient[cast.newcomer.email].body
    assert "武汉数控" in to_newcomer and f"/listings/{offer.pk}/" in to_newcomer
    # Yesterday's news is not sent again tomorrow.
    mail.outbox.clear()
    assert digests.send_daily_digests(now=timezone.now() + timedelta(days=2)) == 0
    assert mail.outbox == []


# --- personalised recommendations -------------------------------------------------------


def test_recommendations_off_hides_matches_in_the_api_and_the_page(cast, offer, match):
    client = client_for(cast.member_b)
    page_url = f"/listings/{match.request_id}/matches/"
    assert client.get("/api/v1/matches/").json()["count"] == 1
    assert offer.title in client.get(page_url).content.decode()

    response = client.post("/my/preferences/", {"digest_opt_in": "1"})  # the switch left off
    assert response.status_code == 302
    cast.member_b.refresh_from_db()
    assert not cast.member_b.recommendations_enabled

    assert client.get("/api/v1/matches/").json()["count"] == 0
    assert client.get(f"/api/v1/matches/{match.pk}/").status_code == 404
    page = client.get(page_url).content.decode()
    assert "您已关闭个性化推荐" in page
    assert offer.title not in page
    # A preference of one person, not of the firm.
    assert client_for(cast.admin_b).get("/api/v1/matches/").json()["count"] == 1

    client.post("/my/preferences/", {"recommendations_enabled": "1"})
    assert client.get("/api/v1/matches/").json()["count"] == 1


def test_a_member_sets_the_state_of_a_match_for_their_side_only(cast, match):
    client = client_for(cast.member_b)

    response = client.post(
        f"/api/v1/matches/{match.pk}/state/", {"state": "dismissed"}, "application/json"
    )
    bad = client.post(f"/api/v1/matches/{match.pk}/state/", {"state": "loved"}, "application/json")

    assert response.status_code == 200 and response.json()["my_state"] == "dismissed"
    assert bad.status_code == 400 and "state" in bad.json()
    match.refresh_from_db()
    assert (match.offer_state, match.request_state) == (MatchState.NEW, MatchState.DISMISSED)
    with pytest.raises(PermissionDenied):
        services.match_set_state(actor=cast.park_admin_a, match=match, state=MatchState.SEEN)
