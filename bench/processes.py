"""The portal's real processes under load: gunicorn driven by wrk on loopback, a Celery worker
for the publication-to-matches latency, and the peak memory of each (from /proc)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.stats import percentile

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields follow the last ")".
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident set size (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """Stop a process this module started (TERM, then KILL), and reap it."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = exc
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s: {last}")


def parse_wrk(output: str) -> dict:
    def number(pattern: str) -> float | None:
        match = re.search(pattern, output)
        return float(match.group(1)) if match else None

    def ms(value: str, unit: str) -> float:
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    latency = {}
    for pct in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        if match:
            latency[f"p{pct}_ms"] = round(ms(*match.groups()), 2)
    errors = 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(x) for x in socket_errors.groups())
    non_2xx = int(number(r"Non-2xx or 3xx responses: (\d+)") or 0)
    return {
        "requests_per_second": number(r"Requests/sec:\s+([\d.]+)"),
        "requests": int(number(r"(\d+) requests in") or 0),
        "non_2xx": non_2xx,
        "socket_errors": errors,
        "errors": errors + non_2xx,
        **latency,
    }


def http_throughput(
    env: dict[str, str], paths: dict[str, list[str]], seconds: int, connections: int = 16
) -> dict:
    """gunicorn with 2 workers on loopback; wrk for ``seconds`` on each URL (a list of paths
    is requested in turn through a Lua script)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk (Debian's package)")
    port = free_port()
    gunicorn = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
        [str(BIN / "gunicorn"), "portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    results: dict = {}
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/healthz")
        for name, urls in paths.items():
            for path in urls[:3]:  # warm both workers' caches a little
                for _ in range(3):
                    urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                listed = ", ".join(f'"{p}"' for p in urls)
                # Each of wrk's two threads takes every other path, so two threads never ask
                # for the same path at once (the uncached list relies on it).
                script.write(
                    f"local paths = {{{listed}}}\nlocal i = 0\nlocal threads = 0\n"
                    "function setup(thread)\n  thread:set('offset', threads)\n"
                    "  threads = threads + 1\nend\n"
                    "request = function()\n  i = i + 1\n"
                    "  return wrk.format('GET', paths[((2 * i + offset) % #paths) + 1])\nend\n"
                )
            try:
                run = subprocess.run(  # noqa: S603
                    [
                        wrk,
                        "-t2",
                        f"-c{connections}",
                        f"-d{seconds}s",
                        "--timeout",
                        "10s",
                        "--latency",
                        "-s",
                        script.name,
                        base,
                    ],
                    capture_output=True,
                    text=True,
                    timeout=seconds + 60,
                    check=True,
                )
            finally:
                os.unlink(script.name)
            results[name] = {**parse_wrk(run.stdout), "paths": len(urls), "seconds": seconds}
        workers = children(gunicorn.pid)
        results["memory"] = {
            "web_worker_peak_rss_mb": max(filter(None, map(peak_rss_mb, workers)), default=None),
            "workers": len(workers),
        }
    finally:
        stop(gunicorn)
    if gunicorn.returncode not in (0, -signal.SIGTERM):
        tail = (gunicorn.stderr.read() if gunicorn.stderr else "")[-2000:]
        results["gunicorn_exit"] = {"code": gunicorn.returncode, "stderr": tail}
    return results


def celery_latency(
    env: dict[str, str], listing_ids: list[int], approver, timeout: float = 60
) -> dict:
    """Publish each listing (``listing_transition(action="approve")``, which enqueues the
    matching after commit) and poll until the real worker stored its matches."""
    from sharing.matching.scoring import ALGORITHM_VERSION
    from sharing.models import Listing, ListingMatchState
    from sharing.moderation import listing_transition

    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    worker = subprocess.Popen(  # noqa: S603 - our own venv's celery
        [
            str(BIN / "celery"),
            "-A",
            "portal",
            "worker",
            "-c",
            "1",
            "-Q",
            "portal",
            "-l",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"bench-{os.getpid()}@%h",
        ],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    latencies: list[float] = []
    timeouts = 0
    try:
        for index, pk in enumerate(listing_ids):
            listing = Listing.objects.select_related("enterprise").get(pk=pk)
            listing_transition(actor=approver, listing=listing, action="approve")
            published = time.perf_counter()
            deadline = published + (
                timeout if index else timeout * 3
            )  # the first waits for start-up
            done = False
            while time.perf_counter() < deadline:
                if ListingMatchState.objects.filter(
                    listing_id=pk, version=ALGORITHM_VERSION
                ).exists():
                    done = True
                    break
                if worker.poll() is not None:
                    raise RuntimeError("the Celery worker exited")
                time.sleep(0.005)
            if not done:
                timeouts += 1
            elif index:  # the first one waited for the worker to start: warm-up
                latencies.append((time.perf_counter() - published) * 1000)
        pool = children(worker.pid)
        memory = max(filter(None, map(peak_rss_mb, [worker.pid, *pool])), default=None)
    finally:
        stop(worker)
        log.seek(0)
        output = log.read()[-3000:]
        log.close()
        os.unlink(log.name)
    if not latencies:
        raise RuntimeError(f"no listing was matched by the Celery worker; its log:\n{output}")
    return {
        "n": len(latencies),
        "median_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "min_ms": round(min(latencies), 1),
        "timeouts": timeouts,
        "celery_worker_peak_rss_mb": memory,
    }
