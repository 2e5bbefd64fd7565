"""A database that stops answering, or a full disk, gets a 503 page, not a traceback; hosts
checked against networks as well as names (ALLOWED_HOSTS with a network in it)."""

from __future__ import annotations

import errno
import ipaddress
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost, MiddlewareNotUsed
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port, validate_host
from django.template import loader

logger = logging.getLogger(__name__)

# OperationalError: the server refused or dropped the connection (or, on SQLite, stayed locked
# past the timeout); InterfaceError: the connection object was already closed under us.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


def database_unavailable_response(*, disk_full: bool = False) -> HttpResponse:
    # Rendered without a request context: its processors (the user, messages) read the database.
    page = loader.get_template("errors/503.html").render({"disk_full": disk_full})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with the product's page when a view fails because the database is away.

    Django discards a broken connection at the end of the request (conn_health_checks checks a
    reused one before the next), so the first request after the database returns works again.
    Errors raised in other middleware reach handler500, which does the same (config.views).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OSError) and exception.errno in DISK_FULL:
            # An upload spooled to a temporary file, or SQLite writing: nothing was stored.
            logger.error("Disk full during %s %s", request.method, request.path, exc_info=True)
            return database_unavailable_response(disk_full=True)
        if not isinstance(exception, UNAVAILABLE):
            return None
        logger.error(
            "Database unavailable during %s %s",
            request.method,
            request.path,
            exc_info=exception,
        )
        return database_unavailable_response(disk_full="full" in str(exception))


class AllowedNetworksMiddleware:
    """Django's ALLOWED_HOSTS knows names and single addresses; a room served by bin/serve
    must also answer at any loopback address (127.0.0.2 as well as 127.0.0.1). With networks
    in ALLOWED_HOSTS, settings.py hands Django "*" and this, the first middleware, refuses any
    host that is neither an allowed name nor an address in an allowed network (400, as Django
    would). Without networks it is not used at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.COUNTERPOINT_ALLOWED_NETWORKS:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.networks = [ipaddress.ip_network(n) for n in settings.COUNTERPOINT_ALLOWED_NETWORKS]

    def _in_networks(self, domain: str) -> bool:
        try:
            address = ipaddress.ip_address(domain.strip("[]"))
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = request.get_host()  # checks the header's form; "*" lets every valid one through
        domain, _ = split_domain_port(host)
        if not (
            validate_host(domain, settings.COUNTERPOINT_ALLOWED_NAMES) or self._in_networks(domain)
        ):
            raise DisallowedHost(f"Invalid HTTP_HOST header: {host!r}.")
        return self.get_response(request)
