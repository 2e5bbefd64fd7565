"""The doubling wait of accounts/ratelimit.py, in isolation (issue 19, item 6)."""

from __future__ import annotations

from accounts.ratelimit import Backoff, attempts_clear, backoff_failed, backoff_retry_after

POLICY = Backoff(free=3, first=60, longest=600, window=3600)
T0 = 1_800_000_000.0


def test_free_failures_cost_nothing_then_each_doubles_the_wait_up_to_the_longest() -> None:
    waits = [backoff_failed("ines", POLICY, now=T0) for _ in range(8)]
    assert waits == [0, 0, 60, 120, 240, 480, 600, 600]
    assert backoff_retry_after("ines", POLICY, now=T0 + 100) == 500


def test_the_wait_runs_from_the_last_failure() -> None:
    for _ in range(3):
        backoff_failed("ines", POLICY, now=T0)
    assert backoff_retry_after("ines", POLICY, now=T0 + 59) == 1
    assert backoff_retry_after("ines", POLICY, now=T0 + 60) == 0
    assert backoff_failed("ines", POLICY, now=T0 + 60) == 120
    assert backoff_retry_after("ines", POLICY, now=T0 + 60) == 120


def test_failures_older_than_the_window_are_forgotten_and_clearing_forgets_all() -> None:
    for _ in range(5):
        backoff_failed("ines", POLICY, now=T0)
    assert backoff_retry_after("ines", POLICY, now=T0 + 3601) == 0
    assert backoff_failed("ines", POLICY, now=T0 + 3601) == 0  # the first free failure again
    for _ in range(5):
        backoff_failed("sam", POLICY, now=T0)
    attempts_clear("sam")
    assert backoff_retry_after("sam", POLICY, now=T0) == 0
    assert backoff_failed("sam", POLICY, now=T0) == 0
