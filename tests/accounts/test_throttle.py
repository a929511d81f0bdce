"""portal.accounts.throttle: counting failed log-ins and locking out, without the database."""

import pytest
from django.utils import translation

from portal.accounts import throttle

EMAIL = "li.na@example.com"
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_WINDOW = 600
    settings.LOGIN_LOCKOUT_SECONDS = 300
    return settings


def fail(times: int, *, email=EMAIL, address=""):
    lock = None
    for _ in range(times):
        lock = throttle.login_failed(email=email, address=address)
    return lock


def test_account_is_free_below_the_limit(clock):
    assert fail(2) is None
    assert throttle.locked_for(email=EMAIL, address=ADDRESS) is None


def test_failure_that_reaches_the_limit_locks_the_account(clock):
    lock = fail(3)

    assert lock is not None and not lock.by_address
    assert lock.retry_after == 300
    assert throttle.locked_for(email=EMAIL).retry_after == 300


def test_lock_message_names_the_minutes_left(clock):
    fail(3)
    clock.advance(61)

    lock = throttle.locked_for(email=EMAIL)

    assert lock.retry_after == 239
    with translation.override("zh-hans"):
        assert lock.message == "登录失败次数过多，请于 4 分钟后再试。"


def test_lock_counts_whatever_the_case_of_the_address(clock):
    fail(3, email="Li.Na@Example.com ")

    assert throttle.locked_for(email=EMAIL) is not None


def test_lock_ends_after_the_lockout(clock):
    fail(3)
    clock.advance(300)

    assert throttle.locked_for(email=EMAIL, address=ADDRESS) is None


def test_after_the_lock_the_account_gets_a_fresh_count(clock):
    fail(3)
    clock.advance(301)

    assert fail(2) is None
    assert throttle.locked_for(email=EMAIL) is None


def test_failures_older_than_the_window_are_forgotten(clock):
    fail(2)
    clock.advance(2 * 600)

    assert fail(2) is None


def test_failures_within_the_window_count_wherever_it_starts(clock):
    for offset in range(0, 600, 37):
        clock.now = 1_800_000_000 + offset
        fail(2)
        clock.advance(590)

        assert fail(1) is not None, offset
        throttle.login_succeeded(email=EMAIL)


def test_success_clears_the_account_count(clock):
    fail(2)
    throttle.login_succeeded(email=EMAIL)

    assert fail(2) is None


def test_other_accounts_are_not_locked(clock):
    fail(3)

    assert throttle.locked_for(email="wang.fang@example.com") is None


def test_many_accounts_from_one_address_lock_the_address(clock):
    for n in range(5):
        throttle.login_failed(email=f"guess{n}@example.com", address=ADDRESS)

    lock = throttle.locked_for(email="someone.else@example.com", address=ADDRESS)
    assert lock is not None and lock.by_address
    with translation.override("zh-hans"):
        assert "网络地址" in lock.message
    assert throttle.locked_for(email="someone.else@example.com", address="198.51.100.1") is None


def test_success_does_not_reset_the_address_count(clock):
    for n in range(4):
        throttle.login_failed(email=f"guess{n}@example.com", address=ADDRESS)
    throttle.login_succeeded(email="attacker@example.com")

    throttle.login_failed(email="guess9@example.com", address=ADDRESS)

    assert throttle.locked_for(email="x@example.com", address=ADDRESS) is not None


def test_cache_keys_hold_no_address_in_clear(clock):
    stems = [stem for stem, _limit, _by in throttle._subjects(EMAIL, ADDRESS)]

    assert all(EMAIL not in stem and ADDRESS not in stem for stem in stems)
