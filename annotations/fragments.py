"""Rendered page bodies cached under the seminar's revision (annotations/revisions.py).

A key names the seminar, its revision, the viewer and everything the view reads from the request,
so an entry is never stale: a write moves the revision and the old entries are simply not asked
for again (they age out). The revision is read with the viewer's membership, before the view
reads anything else: a body rendered from older rows is stored under an older number.
Bodies hold no CSRF token and no CSP nonce; the page around them is rendered per request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.cache import caches

from annotations import revisions
from readings.access import SeminarAccess


def cached_body(access: SeminarAccess, parts: tuple[Any, ...], build: Callable[[], dict]) -> dict:
    """`build()`'s result (a dict of strings) for this seminar revision, viewer and `parts`."""
    revisions.forget()
    seminar = access.seminar
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    # The creation time too: a database made afresh (tests, a reset) reuses primary keys.
    made = seminar.created_at.timestamp()
    key = f"body:{seminar.pk}:{made}:{seminar.revision}:{access.membership.user_id}:{digest}"
    cache = caches["fragments"]
    body: dict | None = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body)
    return body
