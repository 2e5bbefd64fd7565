"""The live poll: has the seminar changed since the page's revision?

A page open on an instructor's screen asks every few seconds (static/js/live.js). Nothing
changed: 204, from the one query every seminar view makes anyway (the membership, with the
seminar and its revision), so a class of 200 tagging costs the instructor's pages no rendering
until something moved. Something did: the new revision for the next poll, a short summary for
screen readers ("2 new tags") and the `live:changed` event, on which each region of the page
asks its own view for its htmx partial, cached under the new revision
(annotations/pagecache/fragments.py).

Only instructors poll: a student's pages show nothing of the blind sets, so the revision (which
every tag in them moves) would tell a student what the page cannot.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from annotations.models import Tag
from config.http import HtmxHttpRequest, parse_id
from readings.access import get_seminar_for_user

POLL_MILLISECONDS = 3000  # a tag shows within 5 s: one interval, the poll and the refresh
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_MICROSECONDS = 2**53  # the year 2255: anything later is not a page's time


def _moment(value: str) -> datetime | None:
    """The page's `since`: microseconds since 1970 (the page prints {% now "U" %}000000)."""
    microseconds = parse_id(value)
    if microseconds is None or microseconds > MAX_MICROSECONDS:
        return None
    return EPOCH + timedelta(microseconds=microseconds)


def _microseconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def summary(new_tags: int) -> str:
    if new_tags:
        return f"{new_tags} new tag{'s' if new_tags != 1 else ''}"
    return "Updated"


@login_required
@vary_on_headers("HX-Request")
@require_GET
def seminar_live(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    """?r=<revision the page shows>&since=<when it was rendered>: 204 while the seminar is
    still at `r`; else the poller with the new revision, the summary and `live:changed`.
    Without htmx (a person who followed the URL) it leads to the seminar."""
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    seminar = access.seminar
    if parse_id(request.GET.get("r", "")) == seminar.revision:
        return HttpResponse(status=204)
    if not request.htmx:
        return redirect(seminar)
    since = _moment(request.GET.get("since", ""))
    new_tags, latest = 0, None
    if since is not None:
        row = Tag.objects.filter(annotation_set__seminar=seminar, created_at__gt=since).aggregate(
            n=Count("pk"), latest=Max("created_at")
        )
        new_tags, latest = row["n"], row["latest"]
    moment = latest or since or datetime.now(tz=UTC)
    context = {
        "seminar": seminar,
        "access": access,
        "live_since": _microseconds(moment),
        "live_summary": summary(new_tags),
        "poll_ms": POLL_MILLISECONDS,
    }
    response = render(request, "annotations/_live.html#changed", context)
    return trigger_client_event(response, "live:changed", {"summary": context["live_summary"]})
