"""Rendered pages cached under the seminar's revision (annotations/pagecache/revisions.py).

A key names the seminar, its revision, the viewer and everything the view reads from the request,
so an entry is never stale: a write moves the revision and the old entries are simply not asked
for again (they age out). The revision is read with the viewer's membership, before the view
reads anything else: a page rendered from older rows is stored under an older number.

What differs between two requests of the same viewer is kept out of the cache: the CSRF token is
rendered as a placeholder and filled in per response, and a page with messages waiting is
rendered afresh (showing them uses them up). The pages have no CSP nonce: every script is a file.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from annotations.pagecache import revisions
from readings.access import SeminarAccess
from readings.models import Seminar

logger = logging.getLogger(__name__)

# Never a real token: those are 64 letters and digits.
CSRF_PLACEHOLDER = "csrf-token-filled-in-per-response"


def cached_page(
    request: HttpRequest,
    access: SeminarAccess,
    parts: tuple[Any, ...],
    template: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """`template` rendered with `context()`, or the copy cached for this seminar revision,
    viewer and `parts` (whatever else of the request the page depends on)."""
    if len(get_messages(request)):
        return HttpResponse(render_to_string(template, context(), request))
    seminar = access.seminar
    key = seminar_key("page", seminar, seminar.revision, access.membership.user_id, template, parts)
    html = remembered(
        key,
        lambda: render_to_string(template, {**context(), "csrf_token": CSRF_PLACEHOLDER}, request),
    )
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))


def seminar_key(kind: str, seminar: Seminar, *parts: object) -> str:
    """A cache key for something of `seminar` that changes with `parts` (versions, viewer,
    query). The creation time too: a database made afresh (tests, a reset) reuses primary keys."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"{kind}:{seminar.pk}:{seminar.created_at.timestamp()}:{digest}"


def remembered[T](key: str, make: Callable[[], T]) -> T:
    """The value cached under `key`, else `make()`'s, cached now. A page is being read, so the
    next write in this transaction must move the versions again (revisions.forget)."""
    revisions.forget()
    cache = caches["fragments"]
    try:
        value: T | None = cache.get(key)
    except Exception as error:  # noqa: BLE001 - whatever an unreadable entry raises
        # A file cut short, or a value of a class the code has since moved (the pickle names
        # it): rendered again and stored over it, as if it had never been there.
        logger.warning("Could not read a cached page fragment (%s): %r", key, error)
        value = None
    if value is None:
        value = make()
        try:
            cache.set(key, value)
        except OSError as error:  # a full disk slows the pages down; it must not break them
            logger.warning("Could not cache a page fragment (%s): %s", key, error)
    return value
