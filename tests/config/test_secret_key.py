"""Production refuses to start with a weak SECRET_KEY ("x" signed every session and reset link),
by the rule of Django's own deployment check: 50 characters or more, 5 different at least, not
Django's "django-insecure-" placeholder. Development keeps its fixed key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = "a-long-random-production-secret-" + "k3y" * 20


def _check(key: str, *, debug: str = "0") -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    }
    env.update(DEBUG=debug, SECRET_KEY=key, ALLOWED_HOSTS="counterpoint.example.org")
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "key",
    ["x", "short-but-random-3f9a", "a" * 60, "ab" * 40, "django-insecure-" + "k3y" * 20],
    ids=["x", "short", "one-character", "two-characters", "django-placeholder"],
)
def test_production_refuses_a_weak_secret_key(key: str) -> None:
    result = _check(key)
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # how to make a good one


def test_production_starts_with_a_long_random_key() -> None:
    result = _check(GOOD)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_starts_with_any_key() -> None:
    result = _check("x", debug="1")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
