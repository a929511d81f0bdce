"""The database restarts under load: while it is down the portal answers 503 with a clear
page (JSON under /api/) and Retry-After, never a server error; once it is back the portal
recovers by itself, without restarting a web process.

A PostgreSQL instance of the test's own (initdb on a free port) is migrated and served by
gunicorn, while threads keep requesting pages and the API; the instance is stopped (fast
shutdown, every connection cut) and started again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections import Counter
from urllib.parse import quote

import pytest

from tests.faults.conftest import VENV_BIN, Process, free_port, portal_env, wait_until

PATHS = ("/", "/healthz", "/listings/", "/enterprises/", "/api/v1/regions/", "/api/v1/listings/")


def get(base: str, path: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(base + path, timeout=15) as response:
            body = response.read().decode("utf-8", "replace")
            return response.status, response.headers.get("Content-Type", ""), body
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        return error.code, error.headers.get("Content-Type", ""), body
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        return 0, "", str(error)


class Load:
    """Threads requesting PATHS in turn until stopped (and at most ``limit`` requests each),
    counting the status codes."""

    def __init__(self, base: str, threads: int = 4, limit: int = 3000) -> None:
        self.base = base
        self.limit = limit
        self.statuses: Counter[int] = Counter()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self) -> None:
        for i in range(self.limit):
            if self.stopping.is_set():
                return
            status, _type, _body = get(self.base, PATHS[i % len(PATHS)])
            with self.lock:
                self.statuses[status] += 1

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)


@pytest.fixture
def portal(own_postgres, processes):
    """gunicorn on the own PostgreSQL, migrated; the base URL."""
    env = portal_env(DATABASE_URL=own_postgres.url(), CONN_MAX_AGE="60")
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=str(VENV_BIN.parent.parent),
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    port = free_port()
    server = Process(
        [
            str(VENV_BIN / "gunicorn"),
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--timeout",
            "60",
        ],
        env,
        "gunicorn-db-restart",
    )
    processes.append(server)
    base = f"http://127.0.0.1:{port}"
    wait_until(
        lambda: get(base, "/healthz")[0] == 200, what=f"gunicorn answers ({server.log_path})"
    )
    return base, server


def test_the_portal_answers_503_while_the_database_is_down_and_recovers_by_itself(
    own_postgres, portal
):
    base, server = portal
    workers_before = server.process.pid

    with Load(base) as load:
        wait_until(lambda: sum(load.statuses.values()) > 20, what="the load is running")
        own_postgres.stop()

        # While it is down: 503 everywhere, a clear page for people, JSON for programs.
        wait_until(lambda: get(base, "/healthz")[0] == 503, timeout=30, what="/healthz says down")
        status, content_type, body = get(base, "/healthz")
        assert json.loads(body)["database"] == "down"
        status, content_type, body = get(base, "/")
        assert status == 503
        assert content_type.startswith("text/html")
        assert "服务暂时不可用" in body
        # A search nobody asked before is not in the anonymous page cache: it needs the
        # database. (The plain list, asked by the load, may still come from that cache,
        # at most LISTING_PAGE_CACHE_SECONDS old: public pages outlive a short outage.)
        status, content_type, body = get(base, "/listings/?q=" + quote("停机检修"))
        assert status == 503 and "服务暂时不可用" in body
        status, content_type, body = get(base, "/listings/")
        assert status in (200, 503)
        assert ("服务暂时不可用" in body) == (status == 503)
        status, content_type, body = get(base, "/api/v1/regions/")
        assert status == 503
        assert json.loads(body)["detail"] == "service temporarily unavailable"

        own_postgres.start()

        # Back by itself: every page answers again, served by the same processes.
        def recovered():
            return all(get(base, path)[0] == 200 for path in PATHS)

        wait_until(recovered, timeout=60, what="every page answers 200 again")
        for _ in range(3):
            assert all(get(base, path)[0] == 200 for path in PATHS)

    assert server.alive and server.process.pid == workers_before
    assert set(load.statuses) <= {200, 503}, load.statuses
    assert load.statuses[200] > 0 and load.statuses[503] > 0, load.statuses
