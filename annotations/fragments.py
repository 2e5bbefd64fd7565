"""Rendered pages cached under the seminar's revision (annotations/revisions.py).

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

from annotations import revisions
from readings.access import SeminarAccess

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
    revisions.forget()
    seminar = access.seminar
    # The creation time too: a database made afresh (tests, a reset) reuses primary keys.
    made = seminar.created_at.timestamp()
    digest = hashlib.blake2b(repr((template, parts)).encode(), digest_size=16).hexdigest()
    key = f"page:{seminar.pk}:{made}:{seminar.revision}:{access.membership.user_id}:{digest}"
    cache = caches["fragments"]
    html: str | None = cache.get(key)
    if html is None:
        html = render_to_string(template, {**context(), "csrf_token": CSRF_PLACEHOLDER}, request)
        try:
            cache.set(key, html)
        except OSError as error:  # a full disk slows the pages down; it must not break them
            logger.warning("Could not cache a page of seminar %s: %s", seminar.pk, error)
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
