"""The Markdown report of a benchmark run (the JSON report holds the same and more)."""

from __future__ import annotations

# Figures timed per call, in the order of the report, with what each measures.
TIMED = (
    ("search_api", "Listing search with filters, API (`/api/v1/listings/?q=…`), anonymous"),
    ("search_html", "Listing search with filters, HTML page (`/listings/?q=…`), anonymous"),
    ("list_cached", "Anonymous list and search from the page cache (HTML and API)"),
    ("listing_detail_html", "Listing page (`/listings/<id>/`), anonymous"),
    ("listing_detail_api", "Listing detail, API (`/api/v1/listings/<id>/`)"),
    ("my_listings", "My listings (HTML pages 1–2 and API), busiest enterprise"),
    ("moderation_queue", "Moderation queue (park admin, platform supervisor)"),
    ("dashboards_rollups", "Dashboards from roll-ups (province, Wuhan, park, cluster, API)"),
    ("dashboards_raw_group_by", "The same figures by GROUP BY on the raw tables (SQL only)"),
    ("matching_throughput", "Matching one listing (`jobs.match_and_notify`), in-process"),
    ("matching_latency", "Publication → matches stored, real Celery worker"),
)


def _ms(value) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _n(value) -> str:
    return "–" if value is None else f"{value:,}"


def _pct(value) -> str:
    return "–" if value is None else f"{100 * value:.2f} %"


def markdown(report: dict) -> str:
    figures = report["figures"]
    gen = report.get("generation", {})
    counts = gen.get("counts", {})
    lines = [
        f"# Benchmark at {report['scale']:,} listings",
        "",
        f"Started {report['started']}, seed {report['seed']}, data anchored on "
        f"{gen.get('anchor', '?')}. Machine: {report['machine'].get('cpus')} CPUs, "
        f"{report['machine'].get('memory_gb')} GB, {report['machine'].get('postgresql', '')}, "
        f"load average {report['machine'].get('load_average')} before and "
        f"{report['machine'].get('load_average_after')} after. Database "
        f"{report['machine'].get('database_size')} (listings with their indexes: "
        f"{report['machine'].get('listing_table_size')}).",
        "",
        "## Setup",
        "",
        "| step | seconds |",
        "|---|---:|",
    ]
    lines += [f"| {k} | {v} |" for k, v in report["setup_seconds"].items()]
    lines += [f"| generate: {k} | {v} |" for k, v in gen.get("seconds", {}).items()]
    lines += [
        "",
        "Rows: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()) + ".",
        f"Planted offer/request pairs: {gen.get('planted_pairs')}. Roll-up refresh: "
        f"{report.get('rollups', {}).get('seconds')} s for {report.get('rollups', {}).get('rows')} rows.",
        "",
        "## Timings",
        "",
        "Median, 95th percentile and fastest call in milliseconds; the floor is the median of the "
        "same SQL the page ran, replayed through a raw psycopg2 cursor in the same run, and the "
        "ratio is median ÷ floor (p95 ÷ floor p95 in brackets).",
        "",
        "| figure | n | median | p95 | min | floor | ratio | queries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, text in TIMED:
        f = figures.get(key)
        if not f:
            lines.append(f"| {text} | – | – | – | – | – | – | – |")
            continue
        ratio = "–" if f.get("ratio") is None else f"{f['ratio']} ({f.get('ratio_p95')})"
        queries = f.get("queries_max", f.get("queries_per_listing", "–"))
        lines.append(
            f"| {text} | {f.get('n')} | {_ms(f.get('median_ms'))} | {_ms(f.get('p95_ms'))} | "
            f"{_ms(f.get('min_ms'))} | {_ms(f.get('floor_ms'))} | {ratio} | {queries} |"
        )
    thr = figures.get("matching_throughput", {})
    cand = figures.get("candidate_generation", {})
    rec = figures.get("planted_recall", {})
    lat = figures.get("matching_latency", {})
    lines += [
        "",
        "## Matching",
        "",
        f"- Listings matched per second by one process: **{thr.get('listings_per_second', '–')}** "
        f"({thr.get('queries_per_listing', '–')} queries per listing; candidates per listing: "
        f"median {thr.get('candidates_median', '–')}, p95 {thr.get('candidates_p95', '–')}).",
        f"- Publication → matches stored (real Celery worker, 1 process): median "
        f"{_ms(lat.get('median_ms'))} ms, p95 **{_ms(lat.get('p95_ms'))} ms**, "
        f"{lat.get('timeouts', '–')} timeouts.",
        f"- Share of all pairs discarded by candidate generation: **{_pct(cand.get('discarded_share'))}** "
        f"({_n(cand.get('candidates_scored'))} scored of {_n(cand.get('all_pairs'))} pairs for "
        f"{cand.get('sampled_listings', '–')} listings; before the cap of "
        f"{cand.get('max_candidates', '–')}: {_pct(cand.get('discarded_share_before_cap'))}).",
        f"- Planted pairs ({rec.get('planted_pairs', '–')} pairs, {rec.get('listings', '–')} "
        f"listings): partner among the candidates {_pct(rec.get('partner_in_candidates'))}, in the "
        f"top 5 **{_pct(rec.get('partner_in_top5'))}**, in the top 20 "
        f"{_pct(rec.get('partner_in_top20'))} (median rank {rec.get('rank_median', '–')}).",
        "",
        "## HTTP (gunicorn, 2 workers, wrk on loopback)",
        "",
        "| URL | req/s | errors | p50 ms | p90 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, text in (
        ("http_listing_list", "public listing list `/listings/` (anonymous page cache)"),
        ("http_listing_list_uncached", "the same, rendered each time (a new query string)"),
        ("http_listing_page", "listing pages `/listings/<id>/` (200 ids in turn)"),
    ):
        h = figures.get(key, {})
        lines.append(
            f"| {text} | {h.get('requests_per_second', '–')} | {h.get('errors', '–')} | "
            f"{h.get('p50_ms', '–')} | {h.get('p90_ms', '–')} | {h.get('p99_ms', '–')} |"
        )
    lines += [
        "",
        f"Peak memory (VmHWM): web worker {figures.get('http_listing_list', {}).get('web_worker_peak_rss_mb', '–')} MB, "
        f"Celery worker {lat.get('celery_worker_peak_rss_mb', '–')} MB.",
        "",
        "## Targets (stated for 1M listings and 100k enterprises on 2 cores)",
        "",
        "| target | actual | met |",
        "|---|---:|---|",
    ]
    for row in report.get("targets", []):
        met = {True: "yes", False: "**no**", None: "–"}[row["met"]]
        lines.append(
            f"| {row['target']} | {row['actual'] if row['actual'] is not None else '–'} | {met} |"
        )
    lines += ["", "## Scenarios", ""]
    lines += [f"- {name}: {status}" for name, status in report["scenarios"].items()]
    return "\n".join(lines) + "\n"
