"""Request types shared by the views."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """An htmx request for part of a page. A history restore (the back button after htmx's
    cache expired) is an htmx request too, but needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


# Database ids stop at 2**63 - 1 (SQLite's INTEGER, PostgreSQL's bigint): 18 digits always fit.
MAX_ID = 2**63 - 1
_MAX_ID_DIGITS = 18


def parse_id(value: str) -> int | None:
    """An id or count sent in a request, or None: ASCII digits only (str.isdigit() also says
    yes to "²", which int() refuses) and few enough for a database column."""
    if value.isascii() and value.isdigit() and len(value) <= _MAX_ID_DIGITS:
        return int(value)
    return None
