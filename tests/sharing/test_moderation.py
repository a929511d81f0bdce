"""The listing lifecycle, moderation, complaints and the supervisor's figures.

The matrix plays every action of :data:`sharing.moderation.TRANSITIONS` from every status by
every role of the cast, on a listing of firm A (park 武汉东湖高新区). What is allowed moves the
listing and leaves one audit entry (and a moderation decision for the supervisors' verdicts);
everything else is refused and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clusters.errors import Conflict
from enterprises.choices import VerificationStatus
from enterprises.models import AuditEntry
from enterprises.services import enterprise_transition
from sharing import selectors, services
from sharing.choices import ComplaintStatus, ModerationDecisionKind
from sharing.choices import ListingStatus as S
from sharing.models import Complaint, Listing, ModerationDecision
from sharing.moderation import TRANSITIONS, listing_transition
from tests.cast import ROLES
from tests.sharing.helpers import capacity_fields, login, user_of

OWNERS_OF_A = frozenset({"member_a", "admin_a"})
SUPERVISORS_OF_A = frozenset({"park_admin_a", "supervisor"})

# The lifecycle, as the issue states it: action -> (who may, from which states, to which state).
LIFECYCLE: dict[str, tuple[frozenset, frozenset, str]] = {
    "submit": (OWNERS_OF_A, frozenset({S.DRAFT, S.CHANGES_REQUESTED, S.REJECTED}), S.PENDING),
    "approve": (SUPERVISORS_OF_A, frozenset({S.PENDING}), S.PUBLISHED),
    "request_changes": (SUPERVISORS_OF_A, frozenset({S.PENDING}), S.CHANGES_REQUESTED),
    "reject": (SUPERVISORS_OF_A, frozenset({S.PENDING}), S.REJECTED),
    "withdraw": (
        OWNERS_OF_A,
        frozenset({S.DRAFT, S.PENDING, S.CHANGES_REQUESTED, S.PUBLISHED}),
        S.WITHDRAWN,
    ),
    "close": (OWNERS_OF_A, frozenset({S.PUBLISHED}), S.CLOSED),
    "renew": (OWNERS_OF_A, frozenset({S.PUBLISHED, S.EXPIRED}), S.PUBLISHED),
    "take_down": (SUPERVISORS_OF_A, frozenset({S.PUBLISHED}), S.TAKEN_DOWN),
}
# A supervisor's verdict is also kept as a moderation decision (for the figures).
VERDICTS = {
    "approve": ModerationDecisionKind.APPROVE,
    "request_changes": ModerationDecisionKind.REQUEST_CHANGES,
    "reject": ModerationDecisionKind.REJECT,
}
NEEDS_REASON = {"request_changes", "reject", "take_down"}

ALLOWED = [
    (action, status, role)
    for action, (who, sources, _target) in LIFECYCLE.items()
    for status in S.values
    for role in ROLES
    if role in who and status in sources
]
REFUSED = [
    (action, status, role)
    for action, (who, sources, _target) in LIFECYCLE.items()
    for status in S.values
    for role in ROLES
    if not (role in who and status in sources)
]


def ids(params):
    return [f"{action}-from-{status}-by-{role}" for action, status, role in params]


def row(listing) -> dict:
    return Listing.objects.filter(pk=listing.pk).values().get()


def last_seq() -> int:
    entry = AuditEntry.objects.order_by("-seq").first()
    return entry.seq if entry else 0


def reason_for(action: str) -> dict:
    return {"reason": "incomplete", "note": "请补充设备型号。"} if action in NEEDS_REASON else {}


def test_the_lifecycle_table_covers_every_action_a_person_takes():
    """The matrix below is built from LIFECYCLE; it must cover what the code knows, so a new
    action or state cannot slip past it. 'expire' is the system's alone (actor None)."""
    in_code = {
        name: (frozenset(rule.sources), rule.target)
        for name, rule in TRANSITIONS.items()
        if name != "expire"
    }
    in_spec = {name: (sources, target) for name, (_who, sources, target) in LIFECYCLE.items()}
    assert in_code == in_spec


# --- The matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "status", "role"), ALLOWED, ids=ids(ALLOWED))
def test_allowed_transition_moves_the_listing_and_is_audited(cast, listings, action, status, role):
    listing = listings.in_status(status)
    actor = user_of(cast, role)
    seq, decisions = last_seq(), ModerationDecision.objects.count()

    result = listing_transition(actor=actor, listing=listing, action=action, **reason_for(action))

    target = LIFECYCLE[action][2]
    assert result.status == target
    assert Listing.objects.get(pk=listing.pk).status == target
    [entry] = AuditEntry.objects.filter(seq__gt=seq)
    assert (entry.action, entry.object_type, entry.object_id) == (
        f"listing.{action}",
        "sharing.listing",
        str(listing.pk),
    )
    assert (entry.from_state, entry.to_state, entry.actor_id) == (status, target, actor.pk)
    if action in VERDICTS:
        [decision] = ModerationDecision.objects.filter(listing=listing).order_by("-pk")[:1]
        assert ModerationDecision.objects.count() == decisions + 1
        assert (decision.decision, decision.moderator_id) == (VERDICTS[action], actor.pk)
        assert decision.was_edit is False
    else:
        assert ModerationDecision.objects.count() == decisions


@pytest.mark.parametrize(("action", "status", "role"), REFUSED, ids=ids(REFUSED))
def test_refused_transition_changes_nothing(cast, listings, action, status, role):
    listing = listings.in_status(status)
    before, seq, decisions = row(listing), last_seq(), ModerationDecision.objects.count()
    may_act = role in LIFECYCLE[action][0]

    with pytest.raises(Conflict if may_act else PermissionDenied) as refused:
        listing_transition(
            actor=user_of(cast, role), listing=listing, action=action, **reason_for(action)
        )

    if may_act:  # the right person, the wrong moment: told the state it is in
        assert refused.value.current_state == status
    assert row(listing) == before
    assert last_seq() == seq
    assert ModerationDecision.objects.count() == decisions


@pytest.mark.parametrize("action", sorted(NEEDS_REASON))
def test_a_verdict_against_the_poster_needs_a_reason(cast, listings, action):
    listing = listings.in_status(S.PUBLISHED if action == "take_down" else S.PENDING)
    before, seq = row(listing), last_seq()

    with pytest.raises(ValidationError) as refused:
        listing_transition(actor=cast.park_admin_a, listing=listing, action=action)

    assert "reason" in refused.value.message_dict
    assert row(listing) == before
    assert last_seq() == seq


def test_an_unknown_reason_is_refused(cast, listings):
    listing = listings.in_status(S.PENDING)
    with pytest.raises(ValidationError) as refused:
        listing_transition(
            actor=cast.park_admin_a, listing=listing, action="reject", reason="not-a-reason"
        )
    assert "reason" in refused.value.message_dict
    assert Listing.objects.get(pk=listing.pk).status == S.PENDING


def test_expiry_is_the_systems_and_only_from_published(listings):
    published, pending = listings.in_status(S.PUBLISHED), listings.in_status(S.PENDING)

    assert listing_transition(actor=None, listing=published, action="expire").status == S.EXPIRED
    with pytest.raises(Conflict):
        listing_transition(actor=None, listing=pending, action="expire")


def test_nobody_expires_a_listing_through_the_site(client, cast, listings):
    listing = listings.published()
    login(client, cast.park_admin_a)
    response = client.post(f"/listings/{listing.pk}/expire/")
    assert response.status_code == 404
    assert Listing.objects.get(pk=listing.pk).status == S.PUBLISHED


def test_a_stale_expected_status_is_a_conflict_even_if_the_action_fits_the_new_state(
    cast, listings
):
    # The supervisor saw the listing pending; meanwhile it was withdrawn and nothing applies,
    # but even a renewal that would fit the current state is refused when the view was stale.
    listing = listings.in_status(S.PUBLISHED)
    with pytest.raises(Conflict) as refused:
        listing_transition(
            actor=cast.member_a, listing=listing, action="renew", expected_status=S.EXPIRED
        )
    assert refused.value.current_state == S.PUBLISHED


# --- Only verified enterprises submit ------------------------------------------------------


def test_member_of_a_suspended_firm_cannot_submit(cast, listings):
    draft = listings.draft()
    enterprise_transition(
        actor=cast.park_admin_a, enterprise=cast.a.firm, action="suspend", reason="举报核实"
    )
    seq = last_seq()

    with pytest.raises(ValidationError):
        listing_transition(actor=cast.member_a, listing=draft, action="submit")

    assert Listing.objects.get(pk=draft.pk).status == S.DRAFT
    assert last_seq() == seq


def test_a_suspended_firm_creating_and_submitting_at_once_stores_nothing(cast):
    enterprise_transition(
        actor=cast.park_admin_a, enterprise=cast.a.firm, action="suspend", reason="举报核实"
    )
    count, seq = Listing.objects.count(), last_seq()

    with pytest.raises(ValidationError):
        services.listing_create(actor=cast.member_a, submit=True, **capacity_fields())

    assert Listing.objects.count() == count
    assert last_seq() == seq


def test_founder_of_a_firm_still_under_review_cannot_submit(cast, listings):
    founder = cast.founder_a  # of 武汉光谷新材料科技有限公司, not yet verified
    draft = services.listing_create(actor=founder, **capacity_fields())
    with pytest.raises(ValidationError):
        listing_transition(actor=founder, listing=draft, action="submit")
    assert Listing.objects.get(pk=draft.pk).status == S.DRAFT


# --- Editing a published listing -----------------------------------------------------------

OLD_TITLE, NEW_TITLE = "数控机床闲置产能出租", "五轴联动加工中心共享机时"


@pytest.fixture
def edited(cast, listings):
    """A published listing whose owner has proposed a new title, waiting for review."""
    listing = listings.published(title=OLD_TITLE)
    services.listing_update(actor=cast.member_a, listing=listing, title=NEW_TITLE)
    return Listing.objects.get(pk=listing.pk)


def test_edit_of_a_published_listing_waits_for_review_and_the_old_stays_public(
    client, cast, edited
):
    assert edited.status == S.PUBLISHED
    assert edited.title == OLD_TITLE
    assert edited.pending_changes == {"title": NEW_TITLE}

    # Another firm's member, through the API and the page, and an anonymous visitor.
    login(client, cast.member_b)
    api = client.get(f"/api/v1/listings/{edited.pk}/").json()
    assert api["title"] == OLD_TITLE
    assert api["pending_changes"] is None
    assert NEW_TITLE not in str(api)
    page = client.get(f"/listings/{edited.pk}/").content.decode()
    assert OLD_TITLE in page and NEW_TITLE not in page
    client.logout()
    page = client.get(f"/listings/{edited.pk}/").content.decode()
    assert OLD_TITLE in page and NEW_TITLE not in page


def test_edit_of_a_published_listing_is_in_its_park_administrators_queue(client, cast, edited):
    assert edited in selectors.moderation_queue(cast.park_admin_a)
    assert edited not in selectors.moderation_queue(cast.park_admin_b)
    login(client, cast.park_admin_a)
    page = client.get("/supervision/listings/").content.decode()
    assert OLD_TITLE in page
    assert "已发布信息的修改" in page


def test_approving_an_edit_applies_it(cast, edited):
    seq = last_seq()

    listing = listing_transition(actor=cast.park_admin_a, listing=edited, action="approve")

    assert (listing.status, listing.title, listing.pending_changes) == (
        S.PUBLISHED,
        NEW_TITLE,
        None,
    )
    assert Listing.objects.get(pk=edited.pk).title == NEW_TITLE
    decision = ModerationDecision.objects.get(listing=edited, was_edit=True)
    assert (decision.decision, decision.was_edit) == (ModerationDecisionKind.APPROVE, True)
    [entry] = AuditEntry.objects.filter(seq__gt=seq)
    assert entry.action == "listing.edit_approve"
    # The search index follows the approved words.
    assert Listing.objects.filter(pk=edited.pk, search_document__contains=" 五轴 ").exists()
    assert edited not in selectors.moderation_queue(cast.park_admin_a)


def test_rejecting_an_edit_keeps_the_published_version(cast, edited):
    listing = listing_transition(
        actor=cast.park_admin_a,
        listing=edited,
        action="reject",
        reason="misleading",
        note="五轴设备未见证明材料。",
    )

    stored = Listing.objects.get(pk=edited.pk)
    assert (stored.status, stored.title, stored.pending_changes) == (S.PUBLISHED, OLD_TITLE, None)
    assert listing.moderation_reason == "misleading"
    decision = ModerationDecision.objects.get(listing=edited, was_edit=True)
    assert (decision.decision, decision.was_edit) == (ModerationDecisionKind.REJECT, True)


def test_park_administrator_of_the_other_park_cannot_decide_an_edit(cast, edited):
    with pytest.raises(PermissionDenied):
        listing_transition(actor=cast.park_admin_b, listing=edited, action="approve")
    assert Listing.objects.get(pk=edited.pk).pending_changes == {"title": NEW_TITLE}


# --- Telling the author ----------------------------------------------------------------------


def test_author_is_emailed_with_the_reason_after_commit(
    cast, listings, django_capture_on_commit_callbacks
):
    listing = listings.in_status(S.PENDING)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        listing_transition(
            actor=cast.park_admin_a,
            listing=listing,
            action="request_changes",
            reason="incomplete",
            note="请补充设备的加工精度。",
        )

    [message] = mails_to(cast.member_a)  # the author
    assert listing.title in message.subject
    assert "信息不完整或不清楚" in message.body  # the reason from the list ...
    assert "请补充设备的加工精度。" in message.body  # ... and the free text
    # The firm's other members are told too; nobody outside the firm is.
    assert len(mails_to(cast.admin_a)) == 1
    assert {address for m in mail.outbox for address in m.to} == {
        cast.member_a.email,
        cast.admin_a.email,
    }


def mails_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]


def test_nothing_is_mailed_when_the_decision_is_rolled_back(cast, listings):
    listing = listings.in_status(S.PENDING)
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        listing_transition(actor=cast.park_admin_a, listing=listing, action="reject")
    assert mail.outbox == []


# --- Bulk decisions ----------------------------------------------------------------------------


@pytest.fixture
def three_pending(listings):
    return [listings.in_status(S.PENDING, title=f"数控机床闲置产能出租{n}") for n in range(3)]


def test_bulk_approve_in_the_page_decides_each_and_says_which_failed(client, cast, three_pending):
    first, already, third = three_pending
    listing_transition(actor=cast.supervisor, listing=already, action="approve")
    login(client, cast.park_admin_a)

    response = client.post(
        "/supervision/listings/bulk/",
        {"action": "approve", "listing": [first.pk, already.pk, third.pk]},
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "已处理 2 条" in page
    assert "1 条未处理" in page
    assert [Listing.objects.get(pk=x.pk).status for x in three_pending] == [S.PUBLISHED] * 3
    assert ModerationDecision.objects.filter(moderator=cast.park_admin_a).count() == 2
    assert ModerationDecision.objects.filter(listing=already).count() == 1


def test_bulk_approve_through_the_api_answers_per_listing(client, cast, listings, three_pending):
    first, already, third = three_pending
    listing_transition(actor=cast.supervisor, listing=already, action="approve")
    invisible = listings.in_status(S.PENDING, side="B")  # another park's queue
    login(client, cast.park_admin_a)

    response = client.post(
        "/api/v1/moderation/bulk/",
        {"decision": "approve", "listings": [first.pk, already.pk, third.pk, invisible.pk]},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": first.pk, "ok": True},
        {"id": already.pk, "ok": False, "error": "conflict", "current_state": S.PUBLISHED},
        {"id": third.pk, "ok": True},
        {"id": invisible.pk, "ok": False, "error": "not_found"},
    ]
    assert Listing.objects.get(pk=invisible.pk).status == S.PENDING


def test_bulk_reject_without_a_reason_decides_none(client, cast, three_pending):
    login(client, cast.park_admin_a)
    response = client.post(
        "/api/v1/moderation/bulk/",
        {"decision": "reject", "listings": [x.pk for x in three_pending]},
        content_type="application/json",
    )
    assert [r["error"] for r in response.json()["results"]] == ["invalid"] * 3
    assert {Listing.objects.get(pk=x.pk).status for x in three_pending} == {S.PENDING}


def test_bulk_reject_with_a_reason_tells_each_author(
    client, cast, three_pending, django_capture_on_commit_callbacks
):
    login(client, cast.park_admin_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/moderation/bulk/",
            {
                "decision": "reject",
                "reason": "duplicate",
                "note": "与已发布信息重复。",
                "listings": [x.pk for x in three_pending],
            },
            content_type="application/json",
        )
    assert all(r["ok"] for r in response.json()["results"])
    to_author = mails_to(cast.member_a)
    assert sorted(m.subject for m in to_author) == sorted(
        f"供需信息审核结果：{x.title}" for x in three_pending
    )
    assert all("重复发布" in m.body and "与已发布信息重复。" in m.body for m in to_author)


def test_a_member_cannot_bulk_decide(client, cast, three_pending):
    login(client, cast.member_a)
    response = client.post(
        "/supervision/listings/bulk/",
        {"action": "approve", "listing": [x.pk for x in three_pending]},
    )
    assert response.status_code == 404
    response = client.post(
        "/api/v1/moderation/bulk/",
        {"decision": "approve", "listings": [x.pk for x in three_pending]},
        content_type="application/json",
    )
    assert response.status_code == 404  # the route is not theirs, as the queue's
    assert {Listing.objects.get(pk=x.pk).status for x in three_pending} == {S.PENDING}


# --- The queue ---------------------------------------------------------------------------------


def _submitted(listing, ago: timedelta) -> None:
    # Set the submission time precisely: the services stamp "now".
    Listing.objects.filter(pk=listing.pk).update(submitted_at=timezone.now() - ago)


def test_queue_is_per_supervisor_oldest_first_with_the_waiting_time(client, cast, listings):
    recent = listings.in_status(S.PENDING, title="注塑机闲置产能")
    oldest = listings.in_status(S.PENDING, title="数控机床闲置产能出租")
    middle = listings.in_status(S.PENDING, title="模具加工中心机时")
    other_park = listings.in_status(S.PENDING, side="B", title="汽车零部件检测设备共享")
    _submitted(recent, timedelta(minutes=10))
    _submitted(oldest, timedelta(days=3, hours=1))
    _submitted(middle, timedelta(hours=5, minutes=3))

    assert list(selectors.moderation_queue(cast.park_admin_a)) == [oldest, middle, recent]
    assert list(selectors.moderation_queue(cast.park_admin_b)) == [other_park]
    # The platform supervisor's own queue is the firms in no park; "all" widens it.
    assert list(selectors.moderation_queue(cast.supervisor)) == []
    assert set(selectors.moderation_queue(cast.supervisor, everything=True)) == {
        oldest,
        middle,
        recent,
        other_park,
    }
    assert list(selectors.moderation_queue(cast.officer_a)) == []

    login(client, cast.park_admin_a)
    page = client.get("/supervision/listings/").content.decode()
    positions = [page.index(x.title) for x in (oldest, middle, recent)]
    assert positions == sorted(positions)
    assert other_park.title not in page
    assert "3\xa0日" in page  # how long the oldest has waited
    assert "5\xa0小时" in page


def test_queue_page_offers_the_verdicts_for_each_listing(client, cast, listings):
    listing = listings.in_status(S.PENDING)
    login(client, cast.park_admin_a)

    page = client.get("/supervision/listings/").content.decode()

    for action in ("approve", "request_changes", "reject"):
        assert f'formaction="/listings/{listing.pk}/{action}/"' in page
    assert 'value="incomplete"' in page  # the reasons to choose from


def test_approving_from_the_queue_page_returns_to_the_queue(client, cast, listings):
    listing = listings.in_status(S.PENDING)
    login(client, cast.park_admin_a)

    response = client.post(
        f"/listings/{listing.pk}/approve/", {"expected_status": S.PENDING, "next": "queue"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/supervision/listings/"
    assert Listing.objects.get(pk=listing.pk).status == S.PUBLISHED


def test_queue_page_is_not_for_members_or_officers(client, cast):
    for role in ("member_a", "officer_a"):
        login(client, user_of(cast, role))
        assert client.get("/supervision/listings/").status_code == 404
        assert client.get("/api/v1/moderation/").status_code == 404


# --- Complaints --------------------------------------------------------------------------------


@pytest.fixture
def reported(cast, listings):
    """A published listing of firm A, reported by a member of firm B."""
    listing = listings.published()
    complaint = services.complaint_create(
        actor=cast.member_b, listing=listing, reason="fraud", text="设备照片与实物不符。"
    )
    return listing, complaint


def test_a_registered_user_reports_a_listing_into_the_queue(client, cast, listings):
    listing = listings.published()
    login(client, cast.newcomer)  # registered, no firm

    response = client.post(
        f"/listings/{listing.pk}/report/", {"reason": "spam", "text": "重复刷屏的广告。"}
    )

    assert response.status_code == 302
    complaint = Complaint.objects.get(listing=listing)
    assert (complaint.status, complaint.reporter) == (ComplaintStatus.OPEN, cast.newcomer)
    assert complaint in selectors.open_complaints(cast.park_admin_a)
    assert complaint not in selectors.open_complaints(cast.park_admin_b)
    login(client, cast.park_admin_a)
    page = client.get("/supervision/listings/").content.decode()
    assert "重复刷屏的广告。" in page
    assert f'action="/supervision/complaints/{complaint.pk}/"' in page


def test_a_member_cannot_report_their_own_firms_listing(client, cast, listings):
    listing = listings.published()
    with pytest.raises(PermissionDenied):
        services.complaint_create(
            actor=cast.member_a, listing=listing, reason="fraud", text="自己举报自己。"
        )
    login(client, cast.member_a)
    response = client.post(f"/listings/{listing.pk}/report/", {"reason": "fraud", "text": "x"})
    assert response.status_code == 403  # they see the listing: refused, not hidden
    response = client.post(
        "/api/v1/complaints/",
        {"listing": listing.pk, "reason": "fraud", "text": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Complaint.objects.exists()


def test_an_anonymous_visitor_cannot_report(client, listings):
    listing = listings.published()
    response = client.post(f"/listings/{listing.pk}/report/", {"reason": "fraud", "text": "x"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Complaint.objects.exists()


def test_upholding_a_complaint_with_suspension_takes_down_and_suspends(client, cast, reported):
    listing, complaint = reported
    login(client, cast.park_admin_a)

    response = client.post(
        f"/supervision/complaints/{complaint.pk}/",
        {"decision": "uphold", "suspend": "1", "reason": "misleading", "note": "核实为虚假信息。"},
    )

    assert response.status_code == 302
    listing.refresh_from_db()
    complaint.refresh_from_db()
    cast.a.firm.refresh_from_db()
    assert listing.status == S.TAKEN_DOWN
    assert (listing.moderation_reason, listing.moderation_note) == (
        "misleading",
        "核实为虚假信息。",
    )
    assert cast.a.firm.status == VerificationStatus.SUSPENDED
    assert (complaint.status, complaint.handled_by) == (ComplaintStatus.UPHELD, cast.park_admin_a)
    actions = list(
        AuditEntry.objects.filter(
            action__in=["listing.take_down", "enterprise.suspend"]
        ).values_list("action", flat=True)
    )
    assert actions == ["listing.take_down", "enterprise.suspend"]
    # A taken-down listing is gone from the public.
    client.logout()
    assert client.get(f"/listings/{listing.pk}/").status_code == 404


def test_dismissing_a_complaint_leaves_the_listing_published(client, cast, reported):
    listing, complaint = reported
    login(client, cast.park_admin_a)

    client.post(
        f"/supervision/complaints/{complaint.pk}/", {"decision": "dismiss", "note": "查无实据。"}
    )

    complaint.refresh_from_db()
    assert (complaint.status, complaint.resolution) == (ComplaintStatus.DISMISSED, "查无实据。")
    assert Listing.objects.get(pk=listing.pk).status == S.PUBLISHED
    assert complaint not in selectors.open_complaints(cast.park_admin_a)
    with pytest.raises(Conflict):
        services.complaint_dismiss(actor=cast.park_admin_a, complaint=complaint)


def test_park_administrator_of_the_other_park_cannot_handle_the_complaint(client, cast, reported):
    listing, complaint = reported
    login(client, cast.park_admin_b)
    response = client.post(
        f"/supervision/complaints/{complaint.pk}/", {"decision": "uphold", "note": "x"}
    )
    assert response.status_code == 404
    assert Listing.objects.get(pk=listing.pk).status == S.PUBLISHED
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.OPEN


def test_upholding_is_all_or_nothing(cast, listings, reported):
    """The firm was suspended meanwhile (over another listing): suspending again fails, and
    then the take-down must not stay half-done either."""
    listing, complaint = reported
    enterprise_transition(
        actor=cast.supervisor, enterprise=cast.a.firm, action="suspend", reason="另案处理"
    )
    seq = last_seq()

    with pytest.raises(Conflict):
        services.complaint_uphold(
            actor=cast.park_admin_a, complaint=complaint, note="虚假信息", suspend_enterprise=True
        )

    assert Listing.objects.get(pk=listing.pk).status == S.PUBLISHED
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.OPEN
    assert last_seq() == seq


def test_upholding_through_the_api(client, cast, reported):
    listing, complaint = reported
    login(client, cast.supervisor)
    response = client.post(
        f"/api/v1/complaints/{complaint.pk}/uphold/",
        {"resolution": "核实为虚假信息。", "reason": "misleading", "suspend_enterprise": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == ComplaintStatus.UPHELD
    assert Listing.objects.get(pk=listing.pk).status == S.TAKEN_DOWN
    cast.a.firm.refresh_from_db()
    assert cast.a.firm.status == VerificationStatus.SUSPENDED


# --- Supervisor figures ----------------------------------------------------------------------

WAITS_HOURS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]


def _decide_with_wait(cast, listing, action: str, hours: float, *, days_ago: float = 1):
    listing_transition(
        actor=cast.park_admin_a, listing=listing, action=action, **reason_for(action)
    )
    decided = timezone.now() - timedelta(days=days_ago)
    # Set the decision's times precisely; the service stamps "now".
    ModerationDecision.objects.filter(listing=listing).update(
        decided_at=decided, submitted_at=decided - timedelta(hours=hours)
    )


def test_figures_give_the_median_and_90th_percentile_time_to_decision(client, cast, listings):
    for n, hours in enumerate(WAITS_HOURS):
        listing = listings.in_status(S.PENDING, title=f"数控机床闲置产能{n}")
        _decide_with_wait(cast, listing, "approve" if n % 2 else "reject", hours)
    # Outside the 90-day window, and outside park A: neither counts.
    _decide_with_wait(cast, listings.in_status(S.PENDING), "approve", 500, days_ago=100)
    other = listings.in_status(S.PENDING, side="B")
    listing_transition(actor=cast.park_admin_b, listing=other, action="approve")
    # Two still waiting.
    listings.in_status(S.PENDING)
    listings.in_status(S.PENDING)

    figures = selectors.supervisor_figures(cast.park_admin_a)

    assert figures["decided"] == 10
    # Nearest rank, as percentile_disc: the 5th of 10 waits (ceil(0.5 * 10) = 5).
    assert figures["median_hours"] == 5.0
    # Nearest rank: the 9th of 10 waits (ceil(0.9 * 10) = 9).
    assert figures["p90_hours"] == 9.0
    assert figures["pending"] == 2

    login(client, cast.park_admin_a)
    assert client.get("/api/v1/moderation/figures/").json() == {**figures}


@pytest.mark.parametrize(
    ("waits", "p90"),
    [
        ([4.0], 4.0),
        ([1.0, 2.0], 2.0),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 5.0),
        ([float(h) for h in range(1, 11)], 9.0),
        ([float(h) for h in range(1, 21)], 18.0),
        ([float(h) for h in range(1, 101)], 90.0),
    ],
)
def test_the_90th_percentile_is_the_nearest_rank(waits, p90):
    assert selectors._percentile(waits, 0.9) == p90


def test_the_90_day_waits_are_kept_a_minute_per_viewer_and_the_counts_stay_live(
    cast, listings, settings
):
    settings.SUPERVISOR_FIGURES_SECONDS = 60
    _decide_with_wait(cast, listings.in_status(S.PENDING), "approve", 4)
    first = selectors.supervisor_figures(cast.park_admin_a)
    assert (first["decided"], first["median_hours"], first["pending"]) == (1, 4.0, 0)

    _decide_with_wait(cast, listings.in_status(S.PENDING), "approve", 8)
    listings.in_status(S.PENDING)
    kept = selectors.supervisor_figures(cast.park_admin_a)
    # The waits are the minute-old ones; what waits now is counted afresh.
    assert (kept["decided"], kept["median_hours"], kept["pending"]) == (1, 4.0, 1)
    # Another viewer (here: the other park's administrator) has figures of their own.
    assert selectors.supervisor_figures(cast.park_admin_b)["decided"] == 0

    settings.SUPERVISOR_FIGURES_SECONDS = 0  # off: computed for every page
    live = selectors.supervisor_figures(cast.park_admin_a)
    assert (live["decided"], live["p90_hours"], live["pending"]) == (2, 8.0, 1)


def test_figures_are_empty_before_any_decision(cast):
    figures = selectors.supervisor_figures(cast.park_admin_b)
    assert (figures["decided"], figures["median_hours"], figures["p90_hours"]) == (0, None, None)
    assert selectors.supervisor_figures(cast.member_a)["pending"] == 0
