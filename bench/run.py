"""``make bench SCALE=...``: the benchmark, end to end, on a fresh database.

    python -m bench.run --scale 100000

1. Checks DATABASE_URL (PostgreSQL) and REDIS_URL (Redis); without them it stops with a
   message that says what to set. It never touches DATABASE_URL's own database: it drops and
   creates ``portal_bench`` on the same server, and uses Redis database 15 (override with
   BENCH_DATABASE_URL and BENCH_REDIS_URL).
2. Migrates, loads the reference data, collects the static files into a temporary folder,
   generates the data at the scale (:mod:`bench.generate`) and refreshes the roll-ups.
3. Measures every scenario (:mod:`bench.scenarios`, :mod:`bench.processes`) and writes
   ``bench-reports/<timestamp>/report.md``, ``report.json`` and ``planted_pairs.json``.

It asserts nothing about speed. It exits 1 when a scenario could not run, so CI notices a
benchmark that rotted, and 2 when PostgreSQL or Redis is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench.env import (
    Missing,
    check_services,
    clear_queue,
    portal_environment,
    recreate_database,
    target_from_env,
)
from bench.stats import machine_speed


def say(message: str, *args) -> None:
    """Progress on stderr (Django's logging configuration would silence a logger)."""
    print(f"[bench] {message % args if args else message}", file=sys.stderr, flush=True)


BASE_DIR = Path(__file__).resolve().parent.parent
STATIC_ROOT = BASE_DIR / "var" / "bench-static"

# The targets at 1M listings and 100k enterprises on a 2-core machine:
# (figure, key, comparison, value, what it says).
TARGETS = (
    ("search_api", "p95_ms", "<=", 50, "search p95 ≤ 50 ms (API)"),
    ("search_api", "ratio_p95", "<=", 2, "search p95 ≤ 2× the raw-SQL floor (API)"),
    ("search_html", "p95_ms", "<=", 50, "search p95 ≤ 50 ms (HTML)"),
    ("search_html", "ratio_p95", "<=", 2, "search p95 ≤ 2× the raw-SQL floor (HTML)"),
    ("dashboards_rollups", "p95_ms", "<=", 100, "dashboards p95 ≤ 100 ms"),
    ("matching_throughput", "listings_per_second", ">=", 500, "matching ≥ 500 listings/s/worker"),
    ("matching_latency", "p95_ms", "<=", 2000, "publication → matches p95 ≤ 2 s"),
    ("candidate_generation", "discarded_share", ">=", 0.999, "candidates discard ≥ 99.9% of pairs"),
    ("planted_recall", "partner_in_candidates", ">=", 0.99, "candidates keep ≥ 99% of planted"),
    ("planted_recall", "partner_in_top5", ">=", 0.9, "planted partner in top 5 for ≥ 90%"),
    ("http_listing_list", "requests_per_second", ">=", 1000, "≥ 1,000 req/s, public list"),
    ("http_listing_list", "errors", "<=", 0, "zero errors, public list"),
)
SCENARIOS = (
    "search",
    "pages",
    "dashboards",
    "matching",
    "matching_latency",
    "http",
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale",
        type=int,
        default=int(os.environ.get("SCALE", 5000)),
        help="listings to generate (enterprises: a tenth of it)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("bench-reports"))
    parser.add_argument(
        "--repeat",
        type=int,
        default=int(os.environ.get("BENCH_REPEAT", 15)),
        help="timed calls per case",
    )
    parser.add_argument(
        "--http-seconds", type=int, default=int(os.environ.get("BENCH_HTTP_SECONDS", 10))
    )
    parser.add_argument("--match-sample", type=int, default=200)
    parser.add_argument("--planted-sample", type=int, default=100)
    parser.add_argument("--latency-listings", type=int, default=20)
    parser.add_argument(
        "--only", default="", help=f"comma-separated subset of {','.join(SCENARIOS)}"
    )
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="REPORT_DIR",
        help="measure again on the database an earlier run generated (its report folder gives "
        "the scale, seed and planted pairs): migrate and refresh the roll-ups, no generation. "
        "The earlier scenarios have written to it (matches, a few publications), so the "
        "report says so; a fresh run is the reference.",
    )
    return parser.parse_args(argv)


def static_fingerprint() -> str:
    """What the collected static files depend on: the npm lock, the Python packages and the
    project's own static folder."""
    digest = hashlib.sha256()
    for path in (BASE_DIR / "package-lock.json", BASE_DIR / "pyproject.toml"):
        digest.update(path.read_bytes())
    for path in sorted((BASE_DIR / "static").rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def collect_static(env: dict):
    """Start ``collectstatic`` (with :mod:`bench.settings`) into var/bench-static unless it is
    there already for the same sources; return a function that waits for it."""
    fingerprint = static_fingerprint()
    stamp = STATIC_ROOT / ".bench-fingerprint"
    manifest = STATIC_ROOT / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return lambda: None
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    STATIC_ROOT.mkdir(parents=True)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )

    def wait() -> None:
        if process.wait() != 0:
            raise RuntimeError(f"collectstatic failed with exit code {process.returncode}")
        stamp.write_text(fingerprint)

    return wait


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "python": platform.python_version()}
    try:
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
        mem = Path("/proc/meminfo").read_text().splitlines()[0].split()
        info["memory_gb"] = round(int(mem[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        target = target_from_env()
        check_services(target)
    except Missing as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    previous = None
    if args.reuse is not None:
        try:
            previous = json.loads((args.reuse / "report.json").read_text())
            previous["planted"] = json.loads((args.reuse / "planted_pairs.json").read_text())
        except (OSError, ValueError) as exc:
            print(f"bench: --reuse {args.reuse}: {exc}", file=sys.stderr)
            return 2
        args.scale, args.seed = previous["scale"], previous["seed"]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report_dir = args.out / f"{stamp}-{args.scale}"
    report_dir.mkdir(parents=True, exist_ok=True)
    env = portal_environment(target, str(STATIC_ROOT))
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    report: dict = {
        "scale": args.scale,
        "seed": args.seed,
        "started": stamp,
        "machine": machine(),
        "setup_seconds": {},
        "figures": {},
        "scenarios": {},
    }
    if previous is not None:
        report["reused"] = {"from": str(args.reuse), "generated": previous["started"]}
    return _run(args, target, env, report, report_dir, previous)


def _timed_step(report: dict, name: str, step):
    started = time.perf_counter()
    say("%s ...", name)
    result = step()
    report["setup_seconds"][name] = round(time.perf_counter() - started, 1)
    say("%s: %.1f s", name, report["setup_seconds"][name])
    return result


def _run(args, target, env: dict, report: dict, report_dir: Path, previous=None) -> int:
    if previous is None:
        recreate_database(target)
    clear_queue(target)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import scenarios
    from bench.generate import load
    from portal.stats.rollup import rollups_refresh

    _timed_step(report, "migrate", lambda: call_command("migrate", interactive=False, verbosity=0))
    _timed_step(report, "reference_data", lambda: call_command("load_reference_data", verbosity=0))
    static = collect_static(env)  # in the background, while the data is generated
    if previous is None:
        generated = _timed_step(
            report, "generate", lambda: load(listings=args.scale, seed=args.seed)
        )
        planted = generated.planted
        report["generation"] = {
            "anchor": generated.anchor,
            "counts": generated.counts,
            "seconds": generated.seconds,
            "document_cache": generated.document_cache,
            "planted_pairs": len(planted),
        }
        del generated
    else:
        planted = previous["planted"]
        report["generation"] = previous["generation"]
    _timed_step(report, "collectstatic_wait", static)
    (report_dir / "planted_pairs.json").write_text(json.dumps(planted, indent=1))
    run = _timed_step(report, "rollups_refresh", rollups_refresh)
    report["rollups"] = {"seconds": run.seconds, "rows": run.rows}
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        report["machine"]["postgresql"] = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database())), "
            "pg_size_pretty(pg_total_relation_size('sharing_listing'))"
        )
        report["machine"]["database_size"], report["machine"]["listing_table_size"] = (
            cursor.fetchone()
        )

    # Measured in this process as in a web worker: jieba loaded and what is loaded frozen
    # (portal/wsgi.py). The generator's garbage is collected first.
    from portal.warm import ready_to_serve

    ready_to_serve()
    only = {s for s in args.only.split(",") if s}
    rng = random.Random(args.seed)  # noqa: S311 - sampling, not secrets
    floor = scenarios.Floor()
    steps = {
        "search": lambda: scenarios.search(floor, args.repeat),
        "pages": lambda: scenarios.pages(floor, args.repeat, rng),
        "dashboards": lambda: scenarios.dashboards(floor, args.repeat),
        "matching": lambda: scenarios.matching(
            planted, args.match_sample, args.planted_sample, rng
        ),
        "matching_latency": lambda: _latency(env, args.latency_listings, rng),
        "http": lambda: _http(env, args.http_seconds, rng),
    }
    speeds = report["machine"]["speed_ms"] = {}
    for name in SCENARIOS:
        if only and name not in only:
            report["scenarios"][name] = "skipped (--only)"
            continue
        speeds[name] = machine_speed()
        started = time.perf_counter()
        say("scenario %s ...", name)
        try:
            report["figures"].update(steps[name]())
            report["scenarios"][name] = "ok"
        except Exception as exc:
            traceback.print_exc()
            report["scenarios"][name] = f"failed: {type(exc).__name__}: {exc}"
        say(
            "scenario %s: %s in %.1f s",
            name,
            report["scenarios"][name],
            time.perf_counter() - started,
        )
    floor.close()
    speeds["end"] = machine_speed()
    report["machine"]["load_average_after"] = machine().get("load_average")
    report["targets"] = evaluate_targets(report["figures"])
    from bench.report import markdown

    (report_dir / "report.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False, default=str)
    )
    (report_dir / "report.md").write_text(markdown(report))
    say("report: %s", report_dir / "report.md")
    failed = [n for n, status in report["scenarios"].items() if status.startswith("failed")]
    if failed:
        print(f"bench: scenarios that did not run: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _latency(env: dict, count: int, rng: random.Random) -> dict:
    from bench.processes import celery_latency
    from clusters.models import RoleGrant
    from sharing.models import Listing

    pending = list(
        Listing.objects.filter(status="pending", pending_changes__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(pending) < 2:
        raise RuntimeError("fewer than two pending listings to publish")
    chosen = rng.sample(pending, min(count + 1, len(pending)))
    supervisor = RoleGrant.objects.get(kind="platform_supervisor").user
    return {"matching_latency": celery_latency(env, chosen, supervisor)}


def _http(env: dict, seconds: int, rng: random.Random) -> dict:
    from bench.processes import http_throughput
    from sharing.models import Listing

    public = list(
        Listing.objects.filter(status="published", visibility="public")
        .order_by("-published_at")
        .values_list("pk", flat=True)[:5000]
    )
    pages = [f"/listings/{pk}/" for pk in rng.sample(public, min(200, len(public)))]
    # The list as most visitors get it (the anonymous page cache, sharing/page_cache.py), and
    # rendered for every request: a query string of its own each time misses the cache.
    uncached = [f"/listings/?page=1&bench={i}" for i in range(5000)]
    results = http_throughput(
        env,
        {
            "http_listing_list": ["/listings/"],
            "http_listing_list_uncached": uncached,
            "http_listing_page": pages,
        },
        seconds,
    )
    memory = results.pop("memory")
    if "gunicorn_exit" in results:  # an unclean exit: kept in the JSON report
        results["http_gunicorn_exit"] = results.pop("gunicorn_exit")
    results["http_listing_list"]["web_worker_peak_rss_mb"] = memory["web_worker_peak_rss_mb"]
    return results


def evaluate_targets(figures: dict) -> list[dict]:
    rows = []
    for figure, key, op, value, text in TARGETS:
        actual = figures.get(figure, {}).get(key)
        met = None
        if actual is not None:
            met = actual <= value if op == "<=" else actual >= value
        rows.append({"target": text, "figure": figure, "key": key, "actual": actual, "met": met})
    return rows


if __name__ == "__main__":
    sys.exit(main())
