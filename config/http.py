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
