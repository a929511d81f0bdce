"""sharing.matching.engine and sharing.jobs, in the test's process: publishing a listing
matches it (the task runs eagerly after commit), candidates come from one indexed query and
never include the wrong listings, reruns update in place, the sweeper and ``manage.py
rematch`` leave nothing unmatched, good new matches are notified once, and listings expire,
warn and renew.

Side A (firm A, 武汉) offers idle CNC capacity; side B (firm B, 襄阳) requests it.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clusters import access
from clusters.models import Cluster, IndustryCode, Park
from enterprises.models import AuditEntry
from enterprises.services import enterprise_update
from sharing import jobs, services, tasks
from sharing.choices import EXPIRY_DAYS, JobStatus, MatchState
from sharing.choices import ListingStatus as S
from sharing.matching import engine
from sharing.matching.scoring import (
    ALGORITHM_VERSION,
    MIN_SCORE,
    NOTIFY_SCORE,
    WEIGHTS,
    full_explanation,
)
from sharing.models import (
    BackgroundJob,
    Listing,
    ListingMatchState,
    Match,
    ModerationDecision,
    Notification,
)
from tests.matching.helpers import request_fields
from tests.sharing.helpers import capacity_fields, days_from_today, order_fields


def pairs() -> set[tuple[int, int]]:
    return set(Match.objects.values_list("offer_id", "request_id"))


def matched_version(listing) -> int | None:
    """The algorithm version that last matched the listing; None when outstanding."""
    return (
        ListingMatchState.objects.filter(listing=listing).values_list("version", flat=True).first()
    )


def candidates(listing) -> set[int]:
    return set(Listing.objects.filter(engine.candidates_q(listing)).values_list("pk", flat=True))


# --- publication matches ----------------------------------------------------------------


def test_publishing_an_offer_and_a_fitting_request_pairs_them(market):
    offer = market.offer("A")
    assert Match.objects.count() == 0  # nothing to pair with yet, but matching did run
    assert matched_version(offer) == ALGORITHM_VERSION

    request = market.request("B")

    match = Match.objects.get()
    assert (match.offer_id, match.request_id) == (offer.pk, request.pk)
    assert match.algorithm_version == ALGORITHM_VERSION
    assert (match.offer_state, match.request_state) == (MatchState.NEW, MatchState.NEW)
    assert matched_version(request) == ALGORITHM_VERSION
    # Every factor is stored with its value and detail; shown with its contribution, and
    # the score is their sum.
    assert set(match.factors) == set(WEIGHTS)
    assert match.score == pytest.approx(
        sum(f["contribution"] for f in full_explanation(match.factors).values()), abs=1e-3
    )
    assert match.factors["industry"]["detail"] == {"level": "same_code"}
    assert match.factors["quantity"]["detail"] == {"covered": 1.0}
    assert match.factors["price"]["detail"] == {"within_budget": True}
    assert 250 < match.factors["distance"]["detail"]["km"] < 300  # 武汉 ↔ 襄阳
    assert "数控机床" in match.factors["text"]["detail"]["shared"]
    assert match.factors["trust"]["detail"] == {"verified": True, "missing_certifications": []}
    assert match.score >= NOTIFY_SCORE


def test_a_match_is_shown_with_each_factors_weight_and_contribution(market):
    # Stored: each factor's value and detail. Shown on the matches page and by the API: with
    # the algorithm's weight and the contribution, the same for a match stored earlier with
    # them (sharing.matching.scoring.full_explanation).
    from django.test import Client

    cast = market.cast
    offer = market.offer("A")
    market.request("B")
    match = Match.objects.get()
    assert all(set(entry) == {"value", "detail"} for entry in match.factors.values())
    client = Client()
    client.force_login(cast.member_a)

    shown = client.get("/api/v1/matches/").json()["results"][0]["factors"]
    page = client.get(f"/listings/{offer.pk}/matches/").content.decode()

    assert set(shown) == set(WEIGHTS)
    for name, entry in shown.items():
        stored = match.factors[name]
        assert entry == {
            "value": stored["value"],
            "weight": WEIGHTS[name],
            "contribution": round(stored["value"] * WEIGHTS[name], 4),
            "detail": stored["detail"],
        }
    industry = round(shown["industry"]["contribution"] * 100, 1)
    assert f"<td>行业相近</td><td>100%</td><td>{industry}</td>" in page

    earlier = {
        name: {**entry, "weight": 0.5, "contribution": round(entry["value"] * 0.5, 4)}
        for name, entry in match.factors.items()
    }
    Match.objects.filter(pk=match.pk).update(factors=earlier)
    assert client.get("/api/v1/matches/").json()["results"][0]["factors"] == earlier
    page = client.get(f"/listings/{offer.pk}/matches/").content.decode()
    assert f"<td>行业相近</td><td>100%</td><td>{round(0.5 * 100, 1)}</td>" in page


def test_an_offer_published_after_the_request_is_paired_the_same_way(market):
    request = market.request("B")
    offer = market.offer("A")

    assert pairs() == {(offer.pk, request.pk)}


def test_another_group_of_the_same_division_is_paired_with_a_lower_score(market):
    offer = market.offer("A")
    same_code = market.request("B")
    same_division = market.request(
        "B", title="寻求起重设备加工产能", industry=IndustryCode.objects.get(code="3431")
    )

    scores = dict(Match.objects.values_list("request_id", "score"))
    assert set(scores) == {same_code.pk, same_division.pk}
    assert scores[same_division.pk] < scores[same_code.pk]
    detail = Match.objects.get(request=same_division).factors["industry"]["detail"]
    assert detail == {"level": "same_division"}
    assert offer.pk in set(Match.objects.values_list("offer_id", flat=True))


# --- what is never proposed -------------------------------------------------------------


def _past_due(listing):
    """Published, but its date has passed (the hourly expiry job has not run yet)."""
    Listing.objects.filter(pk=listing.pk).update(expires_on=days_from_today(-1))
    return listing


def _order_request_in_machine_tools():
    return order_fields(
        title="机床零件外协订单",
        industry=IndustryCode.objects.get(code="3421"),
        attributes={"product": "机床主轴"},
    )


# Each builds a listing that must never be paired with side A's capacity offer, and returns
# it with the offer's own fields.
NEVER_PROPOSED = {
    "own-enterprise": lambda m: (m.request("A"), {}),
    "draft": lambda m: (m.in_status(S.DRAFT, "B", **request_fields()), {}),
    "pending": lambda m: (m.in_status(S.PENDING, "B", **request_fields()), {}),
    "changes-requested": lambda m: (m.in_status(S.CHANGES_REQUESTED, "B", **request_fields()), {}),
    "rejected": lambda m: (m.in_status(S.REJECTED, "B", **request_fields()), {}),
    "withdrawn": lambda m: (m.in_status(S.WITHDRAWN, "B", **request_fields()), {}),
    "closed": lambda m: (m.in_status(S.CLOSED, "B", **request_fields()), {}),
    "taken-down": lambda m: (m.in_status(S.TAKEN_DOWN, "B", **request_fields()), {}),
    "expired": lambda m: (m.in_status(S.EXPIRED, "B", **request_fields()), {}),
    "past-its-expiry-date": lambda m: (_past_due(m.request("B")), {}),
    "wrong-kind": lambda m: (
        m.in_status(S.PUBLISHED, "B", **_order_request_in_machine_tools()),
        {},
    ),
    "same-direction": lambda m: (m.offer("B", title="数控车床闲置产能"), {}),
    "other-division": lambda m: (
        m.request("B", title="汽车座椅加工产能", industry=IndustryCode.objects.get(code="3670")),
        {},
    ),
    "no-overlapping-dates": lambda m: (
        m.request("B", available_from=days_from_today(40), available_until=days_from_today(60)),
        {"available_from": days_from_today(1), "available_until": days_from_today(30)},
    ),
}


@pytest.mark.parametrize("case", NEVER_PROPOSED)
def test_candidates_never_include(market, case):
    wrong, offer_fields = NEVER_PROPOSED[case](market)
    offer = market.offer("A", **offer_fields)
    # A fitting request of firm B, so the offer does have a match, just not the wrong one.
    right = market.request("B", title="寻求数控加工产能（对照）")

    assert candidates(offer) == {right.pk}
    if wrong.status == S.PUBLISHED:
        engine.match_listing(wrong.pk)  # and not from the other side either
    assert pairs() == {(offer.pk, right.pk)}


def test_matching_an_unpublished_listing_does_nothing(market):
    draft = market.in_status(S.DRAFT, "A", **capacity_fields())
    market.request("B")

    assert engine.match_listing(draft.pk) is None
    assert engine.match_listing(10**9) is None  # gone: a late message is dropped quietly
    assert jobs.match_and_notify(draft.pk) == 0
    assert Match.objects.count() == 0
    assert matched_version(draft) is None


def test_a_cluster_only_listing_is_proposed_only_to_firms_of_its_cluster(market):
    cast = market.cast
    offer = market.offer("A", visibility="cluster")
    request = market.request("B")
    # Firm B shares no cluster with firm A, so it may not see A's cluster-only offer, and a
    # match would show it the offer's title, place and industry all the same.
    assert not access.scope(cast.member_b, Listing).filter(pk=offer.pk).exists()
    assert pairs() == set()

    cluster = Cluster.objects.filter(region__code__startswith="4201").first()
    for admin, firm in ((cast.admin_a, cast.a.firm), (cast.admin_b, cast.b.firm)):
        enterprise_update(actor=admin, enterprise=firm, clusters=[cluster])
    access.forget(cast.member_b)
    engine.match_listing(request.pk)

    assert access.scope(cast.member_b, Listing).filter(pk=offer.pk).exists()
    assert pairs() == {(offer.pk, request.pk)}
    assert Match.objects.get().factors["cluster"]["detail"] == {"same": "cluster"}


# --- reruns -----------------------------------------------------------------------------


def test_rerunning_creates_no_duplicates_and_keeps_each_sides_state(market):
    cast = market.cast
    offer, request = market.offer("A"), market.request("B")
    match = Match.objects.get()
    services.match_set_state(actor=cast.member_a, match=match, state=MatchState.SEEN)
    services.match_set_state(actor=cast.member_b, match=match, state=MatchState.DISMISSED)

    for _ in range(2):
        for listing in (offer, request):
            assert jobs.match_and_notify(listing.pk) == 0
        tasks.sweep_matching_task()
        tasks.match_listing_task(offer.pk)

    again = Match.objects.get()
    assert again.pk == match.pk
    assert (again.offer_state, again.request_state) == (MatchState.SEEN, MatchState.DISMISSED)
    assert (again.score, again.factors) == (match.score, match.factors)


def test_matching_takes_as_many_queries_for_many_candidates_as_for_one(market):
    offer = market.offer("A")
    market.request("B")
    with CaptureQueriesContext(connection) as one:
        engine.match_listing(offer.pk)
    for n in range(4):
        market.request("B", title=f"寻求数控加工产能 {n}")
    with CaptureQueriesContext(connection) as five:
        result = engine.match_listing(offer.pk)

    assert result.candidates == 5
    assert Match.objects.filter(offer=offer).count() == 5
    assert len(five) == len(one)


def test_a_changed_listing_updates_the_score_of_the_same_match(market):
    cast = market.cast
    offer, request = market.offer("A"), market.request("B")
    before = Match.objects.get()

    # Firm B cuts its budget below the asking price; the park administrator approves the edit.
    with market.committed():
        services.listing_update(
            actor=cast.member_b,
            listing=request,
            price_min=Decimal("30"),
            price_max=Decimal("40"),
        )
    assert Match.objects.get().score == before.score  # held for review: nothing changes yet
    market.act(request, "approve", cast.park_admin_b)

    after = Match.objects.get()
    assert after.pk == before.pk
    assert after.score < before.score
    assert after.factors["price"]["detail"] == {"within_budget": False, "over_by": 0.5}
    assert after.factors["price"]["value"] == 0.0
    assert after.updated_at > before.updated_at
    assert matched_version(request) == ALGORITHM_VERSION
    assert offer.pk == after.offer_id


def test_a_pair_that_no_longer_fits_is_dropped_unless_a_side_acted_on_it(market):
    cast = market.cast
    offer = market.offer("A")
    untouched = market.request("B", title="寻求数控加工产能（未查看）")
    seen = market.request("B", title="寻求数控加工产能（已查看）")
    services.match_set_state(
        actor=cast.member_b, match=Match.objects.get(request=seen), state=MatchState.SEEN
    )

    # Firm A moves its offer to another industry division; the edit is approved.
    with market.committed():
        services.listing_update(
            actor=cast.member_a, listing=offer, industry=IndustryCode.objects.get(code="3670")
        )
    offer = market.act(offer, "approve", cast.park_admin_a)

    assert offer.division == "36"
    assert candidates(offer) == set()
    # The pair firm B has looked at stays (with its state); the untouched one is gone.
    assert pairs() == {(offer.pk, seen.pk)}
    assert Match.objects.get().request_state == MatchState.SEEN
    assert untouched.pk not in set(Match.objects.values_list("request_id", flat=True))


# --- the index --------------------------------------------------------------------------


def test_candidate_query_uses_the_partial_index(requires_postgres, market):
    offer = market.offer("A")
    market.request("B")
    query = (
        Listing.objects.filter(engine.candidates_q(offer))
        .order_by("-published_at", "-pk")
        .values(*engine._FIELDS)[: engine.MAX_CANDIDATES]
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    plan = query.explain()

    assert "listing_candidates_idx" in plan, plan
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'listing_candidates_idx'")
        (definition,) = cursor.fetchone()
    assert "WHERE ((status)::text = 'published'::text)" in definition


# --- the sweeper and the full re-match --------------------------------------------------


def test_sweeper_finds_exactly_the_published_listings_left_unmatched(market):
    matched = market.offer("A")
    # Published, but the message to match them was lost (their commit callbacks never ran).
    lost = market.listings.published("B", **request_fields(title="消息丢失的需求"))
    stale = market.request("B", title="旧算法匹配的需求")
    engine.mark_matched([stale.pk], timezone.now(), version=ALGORITHM_VERSION - 1)
    # Never matched either, but not published: nothing to do.
    market.listings.in_status(S.PENDING, "B", **request_fields(title="待审核"))
    market.listings.in_status(S.CLOSED, "B", **request_fields(title="已完成"))
    gone = market.listings.published("A", **capacity_fields(title="已过期的供给"))
    market.act(gone, "expire", None)
    # Past its date but not yet expired by the hourly job: matching it would be wasted.
    _past_due(market.listings.published("A", **capacity_fields(title="昨天到期的供给")))

    assert engine.outstanding_listing_ids() == [lost.pk, stale.pk]
    assert engine.outstanding_listing_ids(limit=1) == [lost.pk]
    assert jobs.sweep_outstanding() == [lost.pk, stale.pk]

    assert tasks.sweep_matching_task() == 2  # enqueues both; they run at once here

    assert engine.outstanding_listing_ids() == []
    assert pairs() == {(matched.pk, lost.pk), (matched.pk, stale.pk)}
    assert matched_version(stale) == ALGORITHM_VERSION


def test_rematch_command_prints_a_progress_bar_and_matches_every_published_listing(
    market, monkeypatch
):
    offers = [market.offer("A", title=f"数控机床闲置产能 {n}") for n in range(3)]
    requests = [
        market.listings.published("B", **request_fields(title=f"寻求数控加工产能 {n}"))
        for n in range(2)
    ]
    market.listings.in_status(S.DRAFT, "B", **request_fields(title="草稿"))
    engine.mark_matched([offers[0].pk], timezone.now(), version=ALGORITHM_VERSION - 1)
    monkeypatch.setattr(jobs, "REMATCH_BATCH", 2)  # bounded batches: 2 + 2 + 1
    out = io.StringIO()

    call_command("rematch", stdout=out)

    output = out.getvalue()
    assert output.startswith("job #")
    assert "\r[" + "█" * 16 + "·" * 24 + "] 2/5" in output
    assert "\r[" + "█" * 32 + "·" * 8 + "] 4/5" in output
    assert "\r[" + "█" * 40 + "] 5/5" in output
    assert output.rstrip().endswith("re-matched 5 listings (done)")
    job = BackgroundJob.objects.get()
    assert (job.status, job.done, job.total, job.percent) == (JobStatus.DONE, 5, 5, 100)
    assert job.finished_at is not None
    published = Listing.objects.filter(status=S.PUBLISHED)
    assert {matched_version(x) for x in published} == {ALGORITHM_VERSION}
    assert pairs() == {(o.pk, r.pk) for o in offers for r in requests}


def test_rematch_command_twice_finds_no_duplicates(market):
    market.offer("A")
    market.request("B")
    first = Match.objects.get()

    call_command("rematch", stdout=io.StringIO())
    call_command("rematch", stdout=io.StringIO())

    assert list(Match.objects.values_list("pk", flat=True)) == [first.pk]
    assert BackgroundJob.objects.filter(status=JobStatus.DONE).count() == 2


def test_rematch_page_is_for_platform_supervisors_and_runs_the_job(market, client):
    cast = market.cast
    offer, request = market.offer("A"), market.request("B")
    engine.mark_outstanding(Q(pk__in=[offer.pk, request.pk]))

    for role in ("member_a", "park_admin_a"):
        client.force_login(getattr(cast, role))
        assert client.post("/supervision/rematch/").status_code == 404
    assert not BackgroundJob.objects.exists()

    client.force_login(cast.supervisor)
    response = client.post("/supervision/rematch/")

    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 2, 2)
    assert engine.outstanding_listing_ids() == []
    page = client.get("/supervision/rematch/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"任务 #{job.pk}：已完成 · 2/2" in html
    assert 'aria-valuenow="100"' in html


def test_admin_action_rematches_the_selected_published_listings(market, client):
    from django.contrib.auth import get_user_model

    offer, request = market.offer("A"), market.request("B")
    draft = market.in_status(S.DRAFT, "A", **capacity_fields(title="草稿"))
    engine.mark_outstanding(Q(pk__in=[offer.pk, request.pk]))
    Match.objects.all().delete()
    admin = get_user_model().objects.create_superuser(email="root@example.com", password="x" * 12)
    client.force_login(admin)

    response = client.post(
        "/admin/sharing/listing/",
        {"action": "rematch_selected", "_selected_action": [offer.pk, draft.pk]},
    )

    assert response.status_code == 302
    assert matched_version(offer) == ALGORITHM_VERSION
    assert matched_version(draft) is None
    assert pairs() == {(offer.pk, request.pk)}


# --- notifications ----------------------------------------------------------------------


def match_notices():
    return Notification.objects.filter(kind="match")


def test_a_good_new_match_is_notified_to_both_sides_once(market):
    cast = market.cast
    offer, request = market.offer("A"), market.request("B")
    match = Match.objects.get()
    assert match.score >= NOTIFY_SCORE and match.notified

    notices = set(match_notices().values_list("user_id", "url"))
    assert notices == {
        (cast.admin_a.pk, f"/listings/{offer.pk}/matches/"),
        (cast.member_a.pk, f"/listings/{offer.pk}/matches/"),
        (cast.admin_b.pk, f"/listings/{request.pk}/matches/"),
        (cast.member_b.pk, f"/listings/{request.pk}/matches/"),
    }
    assert match_notices().filter(user=cast.member_a).get().title == f"新的匹配：{request.title}"

    jobs.match_and_notify(offer.pk)
    jobs.match_and_notify(request.pk)
    market.act(request, "renew", cast.member_b)  # republished: matched again

    assert match_notices().count() == 4


def test_a_batch_tells_each_listing_once_with_its_count_of_new_matches_and_the_best(market):
    cast = market.cast
    offer = market.offer("A", title="数控机床闲置产能（五轴）")
    requests = [
        market.request("B", title="寻求数控加工产能（急）"),
        market.request("B", title="寻求数控机床加工产能"),
        market.request("B", title="寻求数控加工产能（预算紧）", price_max=Decimal("90")),
    ]
    Match.objects.all().delete()
    match_notices().delete()
    User = type(cast.member_a)
    User.objects.filter(pk=cast.member_a.pk).update(language="en")

    jobs.match_batch_and_notify([offer.pk] + [r.pk for r in requests])

    good = list(Match.objects.filter(score__gte=NOTIFY_SCORE).order_by("-score", "request_id"))
    assert len(good) == 3 and all(m.notified for m in good)
    best = good[0]
    # The offer's two members: one notice each for its three new matches, naming the best.
    mine = match_notices().filter(url=f"/listings/{offer.pk}/matches/")
    assert sorted(mine.values_list("user_id", flat=True)) == sorted(
        [cast.admin_a.pk, cast.member_a.pk]
    )
    chinese = mine.get(user=cast.admin_a)
    assert chinese.title == f"“{offer.title}”有 3 条新的匹配"
    assert chinese.body == (
        f"匹配度最高的是 {round(best.score * 100)}% 的需求：{best.request.title}。"
    )
    english = mine.get(user=cast.member_a)
    assert english.title == f"3 new matches for “{offer.title}”"
    assert english.body == (
        f"The best is a {round(best.score * 100)}% match: {best.request.title} (Request)."
    )
    # Each request has one new match: its members are told the offer's title, as before.
    for request in requests:
        theirs = match_notices().filter(url=f"/listings/{request.pk}/matches/")
        assert sorted(theirs.values_list("user_id", flat=True)) == sorted(
            [cast.admin_b.pk, cast.member_b.pk]
        )
        assert set(theirs.values_list("title", flat=True)) == {f"新的匹配：{offer.title}"}
    assert match_notices().count() == 2 + 2 * len(requests)

    jobs.match_batch_and_notify([offer.pk] + [r.pk for r in requests])  # nothing new

    assert match_notices().count() == 2 + 2 * len(requests)


def test_a_batch_runs_as_many_queries_however_many_matches_and_notices_it_writes(market):
    offer = market.offer("A")
    requests = [market.request("B", title=f"寻求数控加工产能 {n}") for n in range(6)]

    def batch(ids) -> list[str]:
        Match.objects.all().delete()
        match_notices().delete()
        with CaptureQueriesContext(connection) as queries:
            jobs.match_batch_and_notify(ids)
        return [q["sql"][:60] for q in queries]

    small = batch([offer.pk, requests[0].pk])
    large = batch([offer.pk] + [r.pk for r in requests])

    assert Match.objects.count() == 6 and match_notices().count() == 2 + 2 * 6
    assert len(large) == len(small) <= 20, large


def test_a_weak_match_is_stored_but_not_notified(market):
    market.offer("A")
    market.request(
        "B",
        title="寻求起重设备产能",
        description="需要起重设备，用于仓储。",
        industry=IndustryCode.objects.get(code="3431"),
        unit="tonnes_month",
        price_mode="negotiable",
        price_min=None,
        price_max=None,
        attributes={"facility": "plant", "area_sqm": "500"},
    )

    match = Match.objects.get()
    assert MIN_SCORE <= match.score < NOTIFY_SCORE
    assert not match.notified
    assert not match_notices().exists()


def test_no_match_notice_for_a_member_who_turned_recommendations_off(market):
    cast = market.cast
    services.preferences_update(
        actor=cast.member_b, recommendations_enabled=False, digest_opt_in=False
    )
    market.offer("A")
    market.request("B")

    assert set(match_notices().values_list("user_id", flat=True)) == {
        cast.admin_a.pk,
        cast.member_a.pk,
        cast.admin_b.pk,
    }


# --- expiry -----------------------------------------------------------------------------


def test_expire_due_expires_published_listings_past_their_date_and_tells_the_owner(market):
    due = market.offer("A", title="昨天到期的供给")
    today = market.offer("A", title="今天到期的供给")
    Listing.objects.filter(pk=due.pk).update(expires_on=days_from_today(-1))
    Listing.objects.filter(pk=today.pk).update(expires_on=days_from_today(0))
    mail.outbox.clear()

    with market.committed():
        assert jobs.expire_due() == 1
    with market.committed():
        assert tasks.expire_listings_task() == 0  # nothing left to do

    statuses = dict(Listing.objects.values_list("pk", "status"))
    assert (statuses[due.pk], statuses[today.pk]) == (S.EXPIRED, S.PUBLISHED)
    assert AuditEntry.objects.filter(action="listing.expire", object_id=str(due.pk)).count() == 1
    # Both members of firm A are told, in the app and by e-mail, once.
    told = Notification.objects.filter(url=f"/listings/{due.pk}/", body__contains="已到期下线")
    assert sorted(told.values_list("user__email", flat=True)) == [
        "admin-a@example.com",
        "member-a@example.com",
    ]
    mails = [m for m in mail.outbox if "已到期下线" in m.body]
    assert sorted(address for m in mails for address in m.to) == [
        "admin-a@example.com",
        "member-a@example.com",
    ]


def test_owners_are_warned_once_a_few_days_before_expiry(market):
    cast = market.cast
    soon = market.offer("A", title="三天后到期")
    later = market.offer("A", title="十天后到期")
    past = market.offer("A", title="已过期但未处理")
    for listing, days in ((soon, 3), (later, 10), (past, -1)):
        Listing.objects.filter(pk=listing.pk).update(expires_on=days_from_today(days))

    with market.committed():
        assert jobs.warn_expiring() == 1
    with market.committed():
        assert tasks.warn_expiring_task() == 0

    notices = Notification.objects.filter(kind="expiry")
    assert set(notices.values_list("user_id", "url")) == {
        (cast.admin_a.pk, f"/listings/{soon.pk}/"),
        (cast.member_a.pk, f"/listings/{soon.pk}/"),
    }
    assert Listing.objects.get(pk=soon.pk).expiry_warned_at is not None
    assert Listing.objects.get(pk=later.pk).expiry_warned_at is None


def test_the_owner_renews_an_expired_listing_with_one_click_and_no_review(market):
    cast = market.cast
    offer = market.offer("A")
    Listing.objects.filter(pk=offer.pk).update(
        expires_on=days_from_today(-1), expiry_warned_at=timezone.now()
    )
    jobs.expire_due()
    request = market.request("B")
    assert Match.objects.count() == 0  # an expired offer is no candidate
    decisions = ModerationDecision.objects.count()

    with pytest.raises(PermissionDenied):
        market.act(Listing.objects.get(pk=offer.pk), "renew", cast.park_admin_a)
    renewed = market.act(Listing.objects.get(pk=offer.pk), "renew", cast.member_a)

    assert renewed.status == S.PUBLISHED
    assert renewed.expires_on == timezone.localdate() + timedelta(days=EXPIRY_DAYS["capacity"][0])
    assert renewed.expiry_warned_at is None
    assert renewed.submitted_at is None
    assert ModerationDecision.objects.count() == decisions  # no new review
    assert matched_version(renewed) == ALGORITHM_VERSION
    assert pairs() == {(offer.pk, request.pk)}


def test_a_listing_with_an_edit_waiting_for_review_cannot_be_renewed(market):
    cast = market.cast
    offer = market.offer("A")
    services.listing_update(actor=cast.member_a, listing=offer, title="数控机床闲置产能（新）")

    with pytest.raises(ValidationError):
        market.act(Listing.objects.get(pk=offer.pk), "renew", cast.member_a)


# --- narrower candidates, batches (issue 7) ---------------------------------------------


def test_another_group_of_the_division_is_a_candidate_when_it_shares_a_key_word_or_a_park(
    market,
):
    offer = market.offer("A")  # 3421, 数控机床闲置产能出租, machine_type VMC850
    cranes = IndustryCode.objects.get(code="3431")  # same division (34), another group
    unrelated = market.request(
        "B",
        title="寻求起重设备维保服务",
        description="需要起重设备的年度维保。",
        industry=cranes,
        attributes={"facility": "equipment", "machine_type": "桥式起重机"},
    )
    related = market.request(
        "B",
        title="寻求起重机零件数控机床加工",
        description="起重机零件需要数控机床加工。",
        industry=cranes,
        attributes={"facility": "equipment", "machine_type": "加工中心"},
    )

    assert "数控机床" in engine.key_words(offer.title, offer.attributes)
    assert candidates(offer) == {related.pk}
    assert set(engine.candidate_ids(offer.pk)) == {related.pk}
    assert unrelated.pk not in set(Match.objects.values_list("request_id", flat=True))

    # In the offer's own park, it is close enough to be scored after all.
    park = Park.objects.filter(region__code__startswith="4201").first()
    Listing.objects.filter(pk__in=[offer.pk, unrelated.pk]).update(park=park)
    offer.refresh_from_db()
    assert candidates(offer) == {related.pk, unrelated.pk}
    assert set(engine.candidate_ids(offer.pk)) == {related.pk, unrelated.pk}


def test_candidates_are_capped_with_the_same_class_first(market, monkeypatch):
    offer = market.offer("A")
    same_class = [market.request("B", title=f"寻求数控机床加工产能 {n}") for n in range(2)]
    market.request(
        "B", title="寻求数控机床加工产能（起重）", industry=IndustryCode.objects.get(code="3431")
    )
    monkeypatch.setattr(engine, "MAX_CANDIDATES", 2)

    assert engine.candidate_ids(offer.pk) == [same_class[1].pk, same_class[0].pk]  # newest first
    assert len(candidates(offer)) == 3  # the rule itself, before the cap


def test_only_a_listings_best_matches_are_stored_and_others_stay_while_they_fit(
    market, monkeypatch
):
    offer = market.offer("A")
    cheap = market.request("B", title="寻求数控机床加工产能（预算足）")
    tight = market.request(
        "B",
        title="寻求数控机床加工产能（预算紧）",
        price_min=Decimal("30"),
        price_max=Decimal("60"),
    )
    Match.objects.all().delete()
    monkeypatch.setattr(engine, "MAX_MATCHES", 1)

    engine.match_listing(offer.pk)
    assert pairs() == {(offer.pk, cheap.pk)}  # the better one only

    engine.match_listing(tight.pk)  # the offer is the tight request's best match
    engine.match_listing(offer.pk)  # and the pair stays: it still fits
    assert pairs() == {(offer.pk, cheap.pk), (offer.pk, tight.pk)}


def test_a_batch_stores_exactly_what_matching_each_listing_alone_stores(market):
    offers = [market.offer("A", title=f"数控机床闲置产能 {n}") for n in range(2)]
    requests = [market.request("B", title=f"寻求数控加工产能 {n}") for n in range(2)]
    requests.append(
        market.request("B", price_min=Decimal("30"), price_max=Decimal("60"), title="预算低")
    )

    def stored():
        return sorted(Match.objects.values_list("offer_id", "request_id", "score", "factors"))

    alone = stored()
    Match.objects.all().delete()
    ids = [listing.pk for listing in offers + requests]

    with CaptureQueriesContext(connection) as batch:
        new = jobs.match_batch_and_notify(ids)

    together = stored()
    assert together == alone
    assert new == len(together) == 6
    # The reads are shared: a few queries for the whole batch, not a few per listing.
    assert len(batch) <= 20, [q["sql"][:80] for q in batch]
