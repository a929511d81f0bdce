# ruff: noqa: S608 - the raw dashboard SQL is built from constants and dates, no user input
"""The scenarios measured in the benchmark's own process, through Django's test client (the
full middleware stack, views, templates and serializers, without a socket), each with the
floor of the same run: the very SQL the page ran, replayed through a raw psycopg2 cursor."""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.stats import percentile, summary

# Searches a visitor makes: words from the vocabulary of the generated listings, with filters.
SEARCHES: tuple[dict[str, str], ...] = (
    {"q": "加工中心"},
    {"q": "注塑", "kind": "capacity"},
    {"q": "数控车床", "direction": "offer", "region": "420100"},
    {"q": "反应釜", "region": "420500"},
    {"q": "焊接", "price_max": "200"},
    {"q": "模具", "sort": "newest"},
    {"q": "冷库", "kind": "capacity", "direction": "offer"},
    {"q": "检测 报告"},
    {"kind": "order", "industry": "36"},
    {"direction": "request", "certification": "iso9001"},
    {"region": "420600", "kind": "talent"},
    {},
)


class Failed(Exception):
    """A page answered with an unexpected status."""


def timed(call: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


class Floor:
    """Replays captured SQL through a raw psycopg2 connection of its own."""

    def __init__(self):
        import psycopg2

        params = connection.get_connection_params()
        self.conn = psycopg2.connect(**params)
        self.conn.autocommit = True

    def close(self) -> None:
        self.conn.close()

    def replay(self, statements: list[str], repeat: int) -> list[float]:
        def run():
            with self.conn.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    cursor.fetchall()

        return timed(run, repeat)


# ``QuerySet.iterator()`` (a form's choices, for one) reads through a server-side cursor.
_DECLARE = re.compile(r"^\s*DECLARE\s+\S+\s+NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR\s+", re.I)


def page_sql(call: Callable[[], object]) -> list[str]:
    """The SELECTs one call runs (reads only: a replay must not write)."""
    with CaptureQueriesContext(connection) as ctx:
        call()
    statements = []
    for query in ctx.captured_queries:
        sql = _DECLARE.sub("", query["sql"])
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(sql)
    return statements


def get(client: Client, url: str, params: dict | None = None) -> Callable[[], object]:
    def call():
        response = client.get(url, params or {})
        if response.status_code != 200:
            raise Failed(f"GET {url} {params or ''} answered {response.status_code}")
        return response

    return call


def measure_pages(
    calls: list[tuple[str, Callable[[], object]]], floor: Floor, repeat: int
) -> tuple[dict, list[dict]]:
    """Time each call ``repeat`` times and its SQL as often; pool the samples."""
    samples: list[float] = []
    floors: list[float] = []
    detail = []
    for label, call in calls:
        statements = page_sql(call)
        mine = timed(call, repeat)
        theirs = floor.replay(statements, repeat)
        samples += mine
        floors += theirs
        detail.append(
            {
                "case": label,
                "queries": len(statements),
                "median_ms": round(statistics.median(mine), 2),
                "p95_ms": round(percentile(mine, 0.95), 2),
                "floor_ms": round(statistics.median(theirs), 2),
            }
        )
    figure = summary(samples, floors)
    figure["queries_max"] = max(d["queries"] for d in detail)
    return figure, detail


def _query_string(params: dict) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items()) or "(no filter)"


# --- search, detail, my listings, moderation ---------------------------------------------


def search(floor: Floor, repeat: int) -> dict:
    from django.test import override_settings

    anonymous = Client()
    api_calls = [(_query_string(p), get(anonymous, "/api/v1/listings/", p)) for p in SEARCHES]
    html_calls = [(_query_string(p), get(anonymous, "/listings/", p)) for p in SEARCHES]
    # The page as rendered: without the anonymous page cache, which would answer every call
    # after the first (measured on its own below).
    with override_settings(LISTING_PAGE_CACHE_SECONDS=0):
        api, api_detail = measure_pages(api_calls, floor, repeat)
        html, html_detail = measure_pages(html_calls, floor, repeat)
    return {
        "search_api": {**api, "cases": api_detail},
        "search_html": {**html, "cases": html_detail},
        "list_cached": cached_list(repeat),
    }


def cached_list(repeat: int) -> dict:
    """The anonymous list and a search as served from the page cache (sharing/page_cache.py):
    what every visitor but the first gets until the cache expires or a listing changes."""
    anonymous = Client()
    calls = [
        ("/listings/", get(anonymous, "/listings/")),
        ("/listings/?q=加工中心", get(anonymous, "/listings/", {"q": "加工中心"})),
        ("/api/v1/listings/", get(anonymous, "/api/v1/listings/")),
    ]
    samples: list[float] = []
    detail = []
    for label, call in calls:
        call()  # the miss, which stores the page
        statements = page_sql(call)
        mine = timed(call, repeat, warmup=0)
        samples += mine
        detail.append(
            {
                "case": label,
                "queries": len(statements),
                "median_ms": round(statistics.median(mine), 2),
                "p95_ms": round(percentile(mine, 0.95), 2),
            }
        )
    figure = summary(samples)
    figure["queries_max"] = max(d["queries"] for d in detail)
    figure["cases"] = detail
    return figure


def pages(floor: Floor, repeat: int, rng: random.Random) -> dict:
    from clusters.models import RoleGrant
    from enterprises.models import Membership
    from sharing.models import Listing

    public = list(
        Listing.objects.filter(status="published", visibility="public")
        .order_by("-published_at")
        .values_list("pk", flat=True)[:2000]
    )
    ids = rng.sample(public, min(10, len(public)))
    anonymous = Client()
    figures: dict = {}
    detail, cases = measure_pages(
        [(f"/listings/{pk}/", get(anonymous, f"/listings/{pk}/")) for pk in ids], floor, repeat
    )
    figures["listing_detail_html"] = {**detail, "cases": cases}
    detail, cases = measure_pages(
        [(f"/api/v1/listings/{pk}/", get(anonymous, f"/api/v1/listings/{pk}/")) for pk in ids],
        floor,
        repeat,
    )
    figures["listing_detail_api"] = {**detail, "cases": cases}

    # The member of the enterprise with the most listings: the heaviest "my listings".
    busiest = (
        Listing.objects.values("enterprise_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "enterprise_id")
        .first()
    )
    member = Membership.objects.select_related("user").get(enterprise_id=busiest["enterprise_id"])
    client = Client()
    client.force_login(member.user)
    mine, cases = measure_pages(
        [
            ("/my/listings/", get(client, "/my/listings/")),
            ("/my/listings/?page=2", get(client, "/my/listings/", {"page": "2"})),
            ("/api/v1/my-listings/", get(client, "/api/v1/my-listings/")),
        ],
        floor,
        repeat,
    )
    figures["my_listings"] = {**mine, "cases": cases, "listings_of_enterprise": busiest["n"]}

    # The park administrator with the longest queue, and the platform supervisor's queues.
    waiting = Q(status="pending") | Q(status="published", pending_changes__isnull=False)
    park = (
        Listing.objects.filter(waiting, enterprise__park__isnull=False)
        .values("enterprise__park")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    calls = []
    if park is not None:
        grant = RoleGrant.objects.select_related("user").filter(
            kind="park_admin", park_id=park["enterprise__park"]
        )[0]
        admin = Client()
        admin.force_login(grant.user)
        calls.append((f"park admin ({park['n']} waiting)", get(admin, "/supervision/listings/")))
    supervisor = Client()
    supervisor.force_login(RoleGrant.objects.get(kind="platform_supervisor").user)
    calls.append(("platform supervisor", get(supervisor, "/supervision/listings/")))
    calls.append(
        (
            "platform supervisor, all parks",
            get(supervisor, "/supervision/listings/", {"scope": "all"}),
        )
    )
    queue, cases = measure_pages(calls, floor, max(3, repeat // 2))
    figures["moderation_queue"] = {
        **queue,
        "cases": cases,
        "waiting_total": Listing.objects.filter(waiting).count(),
    }
    return figures


# --- dashboards ------------------------------------------------------------------------


def dashboards(floor: Floor, repeat: int) -> dict:
    from clusters.models import Cluster, Park, RoleGrant
    from enterprises.models import Enterprise

    supervisor = Client()
    supervisor.force_login(RoleGrant.objects.get(kind="platform_supervisor").user)
    officer = Client()
    officer.force_login(
        RoleGrant.objects.get(kind="government_officer", region__code="420100").user
    )
    park = (
        Park.objects.annotate(n=Count("enterprises")).order_by("-n", "pk").values("pk", "n").first()
    )
    cluster = (
        Cluster.objects.annotate(n=Count("enterprises")).order_by("-n", "pk").values("pk").first()
    )
    calls = [
        ("province (supervisor)", get(supervisor, "/dashboards/regions/420000/")),
        ("Wuhan (officer)", get(officer, "/dashboards/regions/420100/")),
        (
            "Wuhan by quarter",
            get(officer, "/dashboards/regions/420100/", {"granularity": "quarter"}),
        ),
        (f"park {park['pk']}", get(supervisor, f"/dashboards/parks/{park['pk']}/")),
        (f"cluster {cluster['pk']}", get(supervisor, f"/dashboards/clusters/{cluster['pk']}/")),
        ("API stats, province", get(supervisor, "/api/v1/stats/", {"region": "420000"})),
    ]
    figure, cases = measure_pages(calls, floor, repeat)
    raw = raw_dashboard_figures(floor, repeat)
    figure["cases"] = cases
    del Enterprise
    return {"dashboards_rollups": figure, "dashboards_raw_group_by": raw}


def _period() -> tuple[date, date]:
    from django.utils import timezone

    today = timezone.localdate().replace(day=1)
    start = date(today.year - 1 + (today.month == 12), today.month % 12 + 1, 1)
    end = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return start, end


def raw_dashboard_sql(region_prefix: str) -> list[str]:
    """The dashboard's figures for a region and the last twelve months, by GROUP BY on the
    raw tables: what every page view would cost without the roll-ups."""
    start, end = _period()
    tz = settings.TIME_ZONE
    span = f"'{start.isoformat()}'::timestamp AT TIME ZONE '{tz}'"
    stop = f"'{end.isoformat()}'::timestamp AT TIME ZONE '{tz}'"
    region = (
        "JOIN clusters_region r ON r.id = {alias}.region_id AND r.code LIKE '"
        + region_prefix
        + "%%'"
    ).replace("%%", "%")

    def month(col: str) -> str:
        return f"date_trunc('month', {col} AT TIME ZONE '{tz}')"

    listing_region = region.format(alias="l")
    return [
        # enterprises registered and verified
        f"SELECT {month('e.created_at')}, count(*) FROM enterprises_enterprise e "
        f"{region.format(alias='e')} WHERE e.created_at >= {span} AND e.created_at < {stop} GROUP BY 1",
        f"SELECT {month('e.verified_at')}, count(*) FROM enterprises_enterprise e "
        f"{region.format(alias='e')} WHERE e.verified_at >= {span} AND e.verified_at < {stop} GROUP BY 1",
        # listings posted, by month, kind and division
        f"SELECT {month('l.first_submitted_at')}, l.kind, l.division, count(*) FROM sharing_listing l "
        f"{listing_region} WHERE l.first_submitted_at >= {span} AND l.first_submitted_at < {stop} "
        "GROUP BY 1, 2, 3",
        # first-hand decisions, and the waits' median and 90th percentile in whole hours
        f"SELECT {month('d.decided_at')}, l.kind, d.decision, count(*) FROM sharing_moderationdecision d "
        f"JOIN sharing_listing l ON l.id = d.listing_id {listing_region} "
        f"WHERE NOT d.was_edit AND d.decided_at >= {span} AND d.decided_at < {stop} GROUP BY 1, 2, 3",
        "SELECT percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY "
        "ceil(extract(epoch FROM d.decided_at - d.submitted_at) / 3600)) "
        f"FROM sharing_moderationdecision d JOIN sharing_listing l ON l.id = d.listing_id {listing_region} "
        f"WHERE d.decided_at >= {span} AND d.decided_at < {stop}",
        # listings matched in the month of their first match
        "SELECT date_trunc('month', first AT TIME ZONE '" + tz + "'), count(*) FROM ("
        "SELECT m.listing_id, min(m.created_at) AS first FROM ("
        "SELECT offer_id AS listing_id, created_at FROM sharing_match UNION ALL "
        "SELECT request_id, created_at FROM sharing_match) m "
        f"JOIN sharing_listing l ON l.id = m.listing_id {listing_region} "
        f"GROUP BY m.listing_id) f WHERE first >= {span} AND first < {stop} GROUP BY 1",
        # inquiries sent and accepted
        f"SELECT {month('i.created_at')}, count(*) FROM sharing_inquiry i "
        f"JOIN sharing_listing l ON l.id = i.listing_id {listing_region} "
        f"WHERE i.created_at >= {span} AND i.created_at < {stop} GROUP BY 1",
        f"SELECT {month('i.decided_at')}, count(*) FROM sharing_inquiry i "
        f"JOIN sharing_listing l ON l.id = i.listing_id {listing_region} "
        f"WHERE i.status = 'accepted' AND i.decided_at >= {span} AND i.decided_at < {stop} GROUP BY 1",
        # confirmed deals: count, value and quantities, by month and kind
        f"SELECT {month('d.confirmed_at')}, l.kind, d.unit, count(*), sum(d.value_yuan), sum(d.quantity) "
        "FROM sharing_deal d JOIN sharing_inquiry i ON i.id = d.inquiry_id "
        f"JOIN sharing_listing l ON l.id = i.listing_id {listing_region} "
        f"WHERE d.status = 'confirmed' AND d.confirmed_at >= {span} AND d.confirmed_at < {stop} "
        "GROUP BY 1, 2, 3",
    ]


def raw_dashboard_figures(floor: Floor, repeat: int) -> dict:
    samples: list[float] = []
    cases = []
    for label, prefix in (("province", "42"), ("Wuhan", "4201")):
        statements = raw_dashboard_sql(prefix)
        mine = floor.replay(statements, 3)  # seconds each at scale: three runs suffice
        samples += mine
        cases.append(
            {
                "case": label,
                "queries": len(statements),
                "median_ms": round(statistics.median(mine), 2),
            }
        )
    figure = summary(samples)
    figure["cases"] = cases
    return figure


# --- matching --------------------------------------------------------------------------

BEST_SAMPLE = 50
# Re-match batches timed for the throughput figure (each twice: fresh, then again).
MATCH_WINDOWS = 6


def _best_kept(listing_ids: list[int], k: int = 5) -> tuple[int, int]:
    """How selective candidate generation is at no cost to quality: each listing's ``k`` best
    partners by score over the whole division (same kind, other direction, live, another
    enterprise, overlapping dates: the rule before issue 7, uncapped), and how many of them
    are among the candidates the engine scores. Returns (kept, all)."""
    import heapq

    from sharing.choices import Visibility
    from sharing.matching import engine
    from sharing.matching.scoring import MIN_SCORE, score_value
    from sharing.models import Listing

    kept = total = 0
    for pk in listing_ids:
        row = Listing.objects.filter(engine.live_q(), pk=pk).values(*engine._FIELDS).first()
        if row is None:
            continue
        q = engine.hard_q(kind=row["kind"], direction=row["direction"], division=row["division"])
        q &= ~Q(enterprise_id=row["enterprise_id"])
        if row["available_from"] is not None:
            q &= Q(available_until__isnull=True) | Q(available_until__gte=row["available_from"])
        if row["available_until"] is not None:
            q &= Q(available_from__isnull=True) | Q(available_from__lte=row["available_until"])
        pool = list(Listing.objects.filter(q).values(*engine._FIELDS))
        sides = {side.id: side for side in engine._sides([row, *pool])}
        me = sides[pk]
        scored = []
        for r in pool:
            other = sides[r["id"]]
            if Visibility.CLUSTER in (row["visibility"], r["visibility"]) and not (
                me.cluster_ids & other.cluster_ids
            ):
                continue
            offer, request = (me, other) if me.direction == "offer" else (other, me)
            value = score_value(offer, request)
            if value >= MIN_SCORE:
                scored.append((value, r["id"]))
        best = {i for _v, i in heapq.nlargest(k, scored)}
        kept += len(best & set(engine.candidate_ids(pk)))
        total += len(best)
    return kept, total


def matching(
    planted: list[dict], sample_size: int, planted_sample: int, rng: random.Random
) -> dict:
    from sharing import jobs
    from sharing.choices import Direction
    from sharing.matching.engine import MAX_CANDIDATES, candidate_ids, candidates_q, live_q
    from sharing.models import Listing, Match

    planted_ids = {p["offer"] for p in planted} | {p["request"] for p in planted}
    live = list(Listing.objects.filter(live_q()).values_list("pk", flat=True))
    pool = [pk for pk in live if pk not in planted_ids]
    sample = rng.sample(pool, min(sample_size, len(pool)))

    # Candidate generation: how many of all (listing, live listing of the other direction)
    # pairs the indexed lookup keeps.
    by_direction = dict(
        Listing.objects.filter(live_q()).values_list("direction").annotate(n=Count("pk"))
    )
    kept = considered = all_pairs = 0
    candidate_counts = []
    for listing in Listing.objects.filter(pk__in=sample).select_related("industry"):
        other = Direction.REQUEST if listing.direction == Direction.OFFER else Direction.OFFER
        n = Listing.objects.filter(candidates_q(listing)).count()
        candidate_counts.append(n)
        kept += n
        considered += min(n, MAX_CANDIDATES)
        all_pairs += by_direction.get(other, 0)

    # One listing at a time: what a publication costs (match_listing_task), for the table.
    per_listing: list[float] = []
    with CaptureQueriesContext(connection) as ctx:
        jobs.match_and_notify(sample[0])
    queries_per_listing = len(ctx.captured_queries)
    for pk in sample:
        started = time.perf_counter()
        jobs.match_and_notify(pk)
        per_listing.append((time.perf_counter() - started) * 1000)

    # Throughput: what a worker runs for the re-match job (rematch_all_task, after an
    # algorithm change) and the sweeper's batches: jobs.match_batch_and_notify over batches
    # of REMATCH_BATCH live listings in (kind, direction, division) order, the order
    # engine.outstanding_batches hands them out (when all are outstanding, as after an
    # algorithm change). A few windows of that order at random places; each batch is timed
    # whole (reads, scoring, writes, notices), not the query that lists the batch.
    ordered = list(
        Listing.objects.filter(live_q())
        .order_by("kind", "direction", "division", "pk")
        .values_list("pk", flat=True)
    )
    # Six windows at least: with two, the figure swung by half between runs (the cost of a
    # batch depends on its buckets' sizes).
    windows = max(MATCH_WINDOWS, -(-sample_size // jobs.REMATCH_BATCH))
    # Each window is matched twice: first as it comes (most pairs new: inserted and notified),
    # then again (every pair already stored, as after a re-match job that changed nothing).
    batch_ms: list[float] = []
    again_ms: list[float] = []
    batch_listings = 0
    batch_queries = []
    new_matches = 0
    for _ in range(windows):
        start = rng.randrange(0, max(1, len(ordered) - jobs.REMATCH_BATCH))
        ids = ordered[start : start + jobs.REMATCH_BATCH]
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            new_matches += jobs.match_batch_and_notify(ids)
            batch_ms.append((time.perf_counter() - started) * 1000)
        batch_queries.append(len(ctx.captured_queries))
        batch_listings += len(ids)
        started = time.perf_counter()
        jobs.match_batch_and_notify(ids)
        again_ms.append((time.perf_counter() - started) * 1000)
    throughput = {
        **summary(per_listing),
        "listings": len(per_listing),
        "single_listings_per_second": round(1000 * len(per_listing) / sum(per_listing), 1),
        "listings_per_second": round(1000 * batch_listings / sum(batch_ms), 1),
        "batch_size": jobs.REMATCH_BATCH,
        "batches": len(batch_ms),
        "batch_listings": batch_listings,
        "batch_ms": [round(ms, 1) for ms in batch_ms],
        "batch_new_matches": new_matches,
        "again_listings_per_second": round(1000 * batch_listings / sum(again_ms), 1),
        "queries_per_batch": max(batch_queries),
        "queries_per_listing": queries_per_listing,
        "candidates_median": statistics.median(candidate_counts),
        "candidates_p95": percentile(candidate_counts, 0.95),
    }
    best_kept, best_total = _best_kept(sample[:BEST_SAMPLE])
    candidates = {
        "best5_sampled_listings": min(len(sample), BEST_SAMPLE),
        "best5_partners": best_total,
        "best5_kept_share": round(best_kept / best_total, 4) if best_total else None,
        "sampled_listings": len(sample),
        "all_pairs": all_pairs,
        "candidates_kept": kept,
        "candidates_scored": considered,
        "discarded_share": round(1 - considered / all_pairs, 6) if all_pairs else None,
        "discarded_share_before_cap": round(1 - kept / all_pairs, 6) if all_pairs else None,
        "max_candidates": MAX_CANDIDATES,
    }

    # Planted pairs: is the partner among the candidates, and in the top 5 / top 20 of the
    # listing's matches once both sides were matched?
    pairs = rng.sample(planted, min(planted_sample, len(planted)))
    listings = Listing.objects.in_bulk([p[s] for p in pairs for s in ("offer", "request")])
    in_candidates = 0
    sides = 0
    planted_times: list[float] = []
    for pair in pairs:
        for side, partner in (("offer", pair["request"]), ("request", pair["offer"])):
            listing = listings.get(pair[side])
            if listing is None or listing.status != "published":
                continue
            sides += 1
            ids = set(candidate_ids(listing.pk))
            in_candidates += partner in ids
            started = time.perf_counter()
            jobs.match_and_notify(listing.pk)
            planted_times.append((time.perf_counter() - started) * 1000)
    top5 = top20 = ranked = 0
    ranks = []
    for pair in pairs:
        for side, partner in (("offer", pair["request"]), ("request", pair["offer"])):
            me = pair[side]
            order = list(
                Match.objects.filter(Q(offer_id=me) | Q(request_id=me))
                .order_by("-score", "-pk")
                .values_list("offer_id", "request_id")[:20]
            )
            ranked += 1
            others = [o if r == me else r for o, r in order]
            rank = others.index(partner) + 1 if partner in others else None
            ranks.append(rank)
            top5 += rank is not None and rank <= 5
            top20 += rank is not None
    recall = {
        "planted_pairs": len(pairs),
        "listings": ranked,
        "partner_in_candidates": round(in_candidates / sides, 4) if sides else None,
        "partner_in_top5": round(top5 / ranked, 4) if ranked else None,
        "partner_in_top20": round(top20 / ranked, 4) if ranked else None,
        "rank_median": statistics.median([r for r in ranks if r]) if any(ranks) else None,
        "match_ms_median": round(statistics.median(planted_times), 2) if planted_times else None,
    }
    return {
        "matching_throughput": throughput,
        "candidate_generation": candidates,
        "planted_recall": recall,
    }
