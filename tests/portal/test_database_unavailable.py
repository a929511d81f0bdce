"""portal.middleware.DatabaseUnavailableMiddleware: a database that went away is a 503, a
mistake in a query is still a 500.

Test-only views (this module is the URLconf, beside the portal's own) meet real PostgreSQL
failures through the whole middleware stack: the server ends the view's own session, from
another connection, at the moment the view chooses.
"""

import time

import pytest
from django.db import Error, ProgrammingError, connection, connections
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from tests.policy import missing


def _server_ends_the_session() -> None:
    """The server ends this thread's connection to it (as a fast shutdown does to every
    session), and the session is gone before this returns."""
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() is None:
                    return
                time.sleep(0.02)
        raise AssertionError(f"session {pid} still there 10 s after pg_terminate_backend")
    finally:
        other.close()


def server_side_cursor_outlived_by_the_server(request):
    """What QuerySet.iterator() does on PostgreSQL (``django.db.models.sql.compiler.
    cursor_iter``, used by every ModelChoiceField's choices): read a server-side cursor to the
    end, then close it. Here the server goes away between the two, as it did under load in
    tests/faults/test_database_restart.py."""
    cursor = connection.chunked_cursor()
    cursor.execute("SELECT generate_series(1, 3)")
    while cursor.fetchmany(2):
        pass
    _server_ends_the_session()
    cursor.close()
    return HttpResponse("the cursor closed")


def query_with_a_mistake(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM django_migrations")
    return HttpResponse("the query ran")


def driver_query_with_a_mistake(request):
    """The same mistake, straight through the driver: its own error, unwrapped by Django."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM django_migrations")
    return HttpResponse("the query ran")


urlpatterns = [
    path("test/server-side-cursor/", server_side_cursor_outlived_by_the_server),
    path("test/mistake/", query_with_a_mistake),
    path("test/driver-mistake/", driver_query_with_a_mistake),
    path("", include("portal.urls")),
]


@pytest.fixture
def anonymous(transactional_db):
    """A client that reports the server's answer instead of raising the view's exception, on
    PostgreSQL, outside any transaction (autocommit, as the portal serves pages); the
    default connection, which the views may break, is closed afterwards."""
    if connection.vendor != "postgresql":
        missing(f"needs PostgreSQL (DATABASE_URL), the database is {connection.vendor}")
    try:
        yield Client(raise_request_exception=False)
    finally:
        connection.close()


@pytest.mark.urls(__name__)
def test_a_server_side_cursor_closed_after_the_server_went_away_is_a_503(anonymous):
    response = anonymous.get("/test/server-side-cursor/")

    # Django does not wrap this one: the driver's own OperationalError comes through.
    error = response.exc_info[1]
    assert not isinstance(error, Error)
    assert type(error).__module__.startswith("psycopg")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "服务暂时不可用" in response.content.decode()


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/test/mistake/", "/test/driver-mistake/"])
def test_a_mistake_in_a_query_is_still_a_server_error(anonymous, url):
    response = anonymous.get(url)

    assert isinstance(response.exc_info[1], ProgrammingError) == (url == "/test/mistake/")
    assert "no_such_column" in str(response.exc_info[1])
    assert response.status_code == 500
