from __future__ import annotations

from django.db import connection

from accounts.ratelimit import (
    Limit,
    attempt_failed,
    attempt_retry_after,
    attempts_clear,
    client_ip,
)

LIMIT = Limit(attempts=3, window=600)
T0 = 1_800_000_000.0


def fail(key: str, times: int, *, at: float = T0) -> None:
    for _ in range(times):
        attempt_failed(key, LIMIT, now=at)


def test_attempts_are_allowed_until_the_limit_is_reached() -> None:
    fail("alice", 2)
    assert attempt_retry_after("alice", LIMIT, now=T0) == 0
    fail("alice", 1)
    assert attempt_retry_after("alice", LIMIT, now=T0) > 0
    assert attempt_retry_after("alice", LIMIT, now=T0 + 60) == 540


def test_failures_leave_the_window_one_by_one() -> None:
    attempt_failed("alice", LIMIT, now=T0)
    attempt_failed("alice", LIMIT, now=T0 + 100)
    attempt_failed("alice", LIMIT, now=T0 + 200)
    assert attempt_retry_after("alice", LIMIT, now=T0 + 599) == 1
    # The first failure has left the window: one attempt more, not three.
    assert attempt_retry_after("alice", LIMIT, now=T0 + 600) == 0
    attempt_failed("alice", LIMIT, now=T0 + 600)
    assert attempt_retry_after("alice", LIMIT, now=T0 + 600) == 100


def test_clearing_forgets_the_failures() -> None:
    fail("alice", 3)
    attempts_clear("alice")
    assert attempt_retry_after("alice", LIMIT, now=T0) == 0


def test_keys_are_counted_separately() -> None:
    fail("alice", 3)
    assert attempt_retry_after("alice", LIMIT, now=T0) > 0
    assert attempt_retry_after("bob", LIMIT, now=T0) == 0


def test_any_text_is_a_key() -> None:
    key = "login:ip:2001:db8::1 with spaces and ünïcode " + "x" * 300
    fail(key, 3)
    assert attempt_retry_after(key, LIMIT, now=T0) > 0


def test_counters_live_in_the_database_cache_not_in_process_memory() -> None:
    fail("alice", 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM counterpoint_cache")
        assert cursor.fetchone()[0] == 1


def test_client_ip_is_remote_addr_and_ignores_forwarded_for_by_default() -> None:
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client_ip(meta) == "10.0.0.1"


def test_client_ip_trusts_only_the_entries_our_proxies_added() -> None:
    # The client sent "198.51.100.66" itself; our one proxy appended the address it saw.
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.66, 203.0.113.9"}
    assert client_ip(meta, trusted_proxies=1) == "203.0.113.9"
    assert client_ip(meta, trusted_proxies=2) == "198.51.100.66"
    assert client_ip(meta, trusted_proxies=3) == "127.0.0.1"
    assert client_ip({"REMOTE_ADDR": "127.0.0.1"}, trusted_proxies=1) == "127.0.0.1"
