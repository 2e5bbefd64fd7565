"""Count failed attempts per key in a sliding window, in Django's default cache.

The counters live in the cache (a database table in Counterpoint), so every worker and every
application server sees the same numbers; nothing is kept in process memory. Each key holds the
times of its most recent failures, at most `limit.attempts` of them, and expires one window after
the newest. Callers check `attempt_retry_after` before the expensive work, then report the
outcome with `attempt_failed` or `attempts_clear`. `Backoff` counts the same way but makes each
failure past a free few wait twice as long as the one before (`backoff_retry_after`,
`backoff_failed`); accounts/throttle.py builds the log-in policy from both.

Check-then-record is not atomic: requests already in flight when the limit is reached may still
be checked. The overshoot is bounded by the number of concurrent workers, which is acceptable for
a log-in limit and needs no locking.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """At most `attempts` failures in any `window` seconds."""

    attempts: int
    window: int


def _cache_key(key: str) -> str:
    # Hashed so that any text (user names, IPv6 addresses) is a valid key on every cache backend.
    return "ratelimit:" + hashlib.sha256(key.encode()).hexdigest()


def _recent_failures(key: str, limit: Limit, now: float) -> list[float]:
    stored = cache.get(_cache_key(key)) or []
    return [moment for moment in stored if moment > now - limit.window][-limit.attempts :]


def attempt_retry_after(key: str, limit: Limit, *, now: float | None = None) -> int:
    """Seconds until another attempt for `key` is allowed; 0 when it is allowed now."""
    now = time.time() if now is None else now
    failures = _recent_failures(key, limit, now)
    if len(failures) < limit.attempts:
        return 0
    # The oldest failure that counts leaves the window first and frees one attempt.
    return max(1, math.ceil(failures[0] + limit.window - now))


def attempt_failed(key: str, limit: Limit, *, now: float | None = None) -> None:
    now = time.time() if now is None else now
    failures = [*_recent_failures(key, limit, now), now][-limit.attempts :]
    cache.set(_cache_key(key), failures, timeout=limit.window)


def attempts_clear(key: str) -> None:
    cache.delete(_cache_key(key))


@dataclass(frozen=True)
class Backoff:
    """The `free`-th failure in `window` seconds makes the next attempt wait `first` seconds,
    and each failure after it doubles the wait, up to `longest`; the ones before cost nothing.
    A person who mistypes waits a minute; a guesser waits longer and longer."""

    free: int
    first: int
    longest: int
    window: int

    def wait(self, failures: int) -> int:
        if failures < self.free:
            return 0
        return min(self.longest, self.first << min(failures - self.free, 32))


def _backoff_failures(key: str, policy: Backoff, now: float) -> list[float]:
    stored = cache.get(_cache_key(key)) or []
    # Enough failures to reach the longest wait; older ones change nothing.
    keep = policy.free + max(1, math.ceil(math.log2(max(2, policy.longest / policy.first)))) + 1
    return [moment for moment in stored if moment > now - policy.window][-keep:]


def backoff_retry_after(key: str, policy: Backoff, *, now: float | None = None) -> int:
    """Seconds until `key` may try again under `policy`; 0 when it may now."""
    now = time.time() if now is None else now
    failures = _backoff_failures(key, policy, now)
    if not failures:
        return 0
    return max(0, math.ceil(failures[-1] + policy.wait(len(failures)) - now))


def backoff_failed(key: str, policy: Backoff, *, now: float | None = None) -> int:
    """Record a failure; returns the wait it imposes from now (0 while failures are free)."""
    now = time.time() if now is None else now
    failures = [*_backoff_failures(key, policy, now), now]
    cache.set(_cache_key(key), failures, timeout=policy.window)
    return policy.wait(len(failures))


def client_ip(meta: Mapping[str, str], *, trusted_proxies: int = 0) -> str:
    """The address a request came from.

    REMOTE_ADDR unless `trusted_proxies` says how many proxies of our own stand in front: each
    appends the address it saw to X-Forwarded-For, so the client is that many entries from the
    right. Entries further left are whatever the client chose to send and are never trusted.
    """
    remote_addr = meta.get("REMOTE_ADDR", "")
    if trusted_proxies <= 0:
        return remote_addr
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < trusted_proxies:
        # The request did not pass through every proxy we expect; take the one we can see.
        return remote_addr
    return forwarded[-trusted_proxies]
