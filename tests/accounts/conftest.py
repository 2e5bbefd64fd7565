from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache(db):
    """Rate-limit counters live in the cache, which outlives each test's transaction."""
    cache.clear()
    yield
    cache.clear()
