"""Project-wide pages: home, health check and the error pages."""

from __future__ import annotations

import sys

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.middleware import UNAVAILABLE, database_unavailable_response
from readings.selectors import documents_for_user, seminars_for_user


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home.html", {"documents": None})
    return render(
        request,
        "home.html",
        {
            "documents": documents_for_user(request.user),
            "seminars": seminars_for_user(request.user).filter(archived_at__isnull=True),
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not: for load balancers and benchmarks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the database may be what failed.
    from django.template import loader

    # Called while the exception is handled: a database that went away during another
    # middleware's work (saving the session, say) is a 503 like it is in a view.
    if isinstance(sys.exception(), UNAVAILABLE):
        return database_unavailable_response()
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)
