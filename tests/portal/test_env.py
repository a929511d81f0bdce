"""portal.env: strict parsing of settings from the environment."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import (
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_database_url,
    parse_redis_url,
)


def test_env_str_strips_and_defaults(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_VALUE", "  value \n")
    monkeypatch.delenv("PORTAL_TEST_UNSET", raising=False)

    assert env_str("PORTAL_TEST_VALUE") == "value"
    assert env_str("PORTAL_TEST_UNSET") is None
    assert env_str("PORTAL_TEST_UNSET", "fallback") == "fallback"


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", " yes ", "on", "True"])
def test_env_bool_true_spellings(monkeypatch, raw):
    monkeypatch.setenv("PORTAL_TEST_FLAG", raw)

    assert env_bool("PORTAL_TEST_FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "FALSE", "no", "off", ""])
def test_env_bool_false_spellings(monkeypatch, raw):
    monkeypatch.setenv("PORTAL_TEST_FLAG", raw)

    assert env_bool("PORTAL_TEST_FLAG", True) is False


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("PORTAL_TEST_FLAG", raising=False)

    assert env_bool("PORTAL_TEST_FLAG", True) is True
    assert env_bool("PORTAL_TEST_FLAG", False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled", "y"])
def test_env_bool_rejects_anything_else_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("PORTAL_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match=r"^PORTAL_TEST_FLAG: expected true/false"):
        env_bool("PORTAL_TEST_FLAG", False)


def test_env_int_parses_and_defaults(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_NUMBER", " 42 ")
    monkeypatch.setenv("PORTAL_TEST_EMPTY", "  ")
    monkeypatch.delenv("PORTAL_TEST_UNSET", raising=False)

    assert env_int("PORTAL_TEST_NUMBER", 1) == 42
    assert env_int("PORTAL_TEST_EMPTY", 7) == 7
    assert env_int("PORTAL_TEST_UNSET", 9) == 9


def test_env_int_rejects_a_non_number(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_NUMBER", "4.5")

    with pytest.raises(ImproperlyConfigured, match=r"^PORTAL_TEST_NUMBER: expected a whole"):
        env_int("PORTAL_TEST_NUMBER", 1)


def test_env_int_enforces_the_minimum(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_NUMBER", "0")

    assert env_int("PORTAL_TEST_NUMBER", 1, minimum=0) == 0
    with pytest.raises(ImproperlyConfigured, match=r"^PORTAL_TEST_NUMBER: must be at least 1"):
        env_int("PORTAL_TEST_NUMBER", 5, minimum=1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_LIST", " a.example.cn , ,b.example.cn,")
    monkeypatch.delenv("PORTAL_TEST_UNSET", raising=False)

    assert env_list("PORTAL_TEST_LIST", []) == ["a.example.cn", "b.example.cn"]
    assert env_list("PORTAL_TEST_UNSET", ["x"]) == ["x"]


def test_env_list_set_but_empty_is_an_empty_list(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_LIST", "")

    assert env_list("PORTAL_TEST_LIST", ["default"]) == []


def test_parse_database_url_postgres():
    config = parse_database_url(
        "DB", "postgres://user:pw@db.example.cn:5433/portal", conn_max_age=60
    )

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "portal"
    assert config["USER"] == "user"
    assert config["PASSWORD"] == "pw"
    assert config["HOST"] == "db.example.cn"
    assert config["PORT"] == 5433
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


def test_parse_database_url_sqlite():
    config = parse_database_url("DB", "sqlite:////tmp/portal.sqlite3", conn_max_age=0)

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/tmp/portal.sqlite3"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("mysql://x/y", "unsupported scheme in 'mysql'"),
        ("oracle://x/y", "unsupported scheme in 'oracle'"),
        ("not a url", "not a valid database URL"),
        ("postgres://db.example.cn:5432", "the URL names no database"),
    ],
)
def test_parse_database_url_rejects_naming_the_variable(raw, message):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        parse_database_url("MY_DB_URL", raw, conn_max_age=0)

    assert str(excinfo.value).startswith("MY_DB_URL: ")
    assert message in str(excinfo.value)


@pytest.mark.parametrize(
    "raw",
    ["redis://127.0.0.1:6379/0", "redis://cache", "rediss://:secret@cache.example.cn:6380/3"],
)
def test_parse_redis_url_accepts(raw):
    assert parse_redis_url("MY_REDIS", raw) == raw


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("http://x", "expected redis://host:port/db"),
        ("redis://", "expected redis://host:port/db"),
        ("redis://host:abc/0", "the port in"),
        ("redis://host:6379/zero", "must be a number"),
    ],
)
def test_parse_redis_url_rejects_naming_the_variable(raw, message):
    with pytest.raises(ImproperlyConfigured) as excinfo:
        parse_redis_url("MY_REDIS", raw)

    assert str(excinfo.value).startswith("MY_REDIS: ")
    assert message in str(excinfo.value)
