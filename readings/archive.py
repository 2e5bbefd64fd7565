"""An archived seminar is read-only: every write into it is refused in one place, so that no
write view (today's or a later one) has to remember it."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from readings.models import Seminar

# Writes that end or reuse an archived seminar; the reader's poll (a POST that reads); and the
# writes into one's own set, which get_annotation_set_for_user(write=True) refuses already
# (SetAccess.can_write), so that tagging, the busiest write, pays no query for this.
ALLOWED_IN_ARCHIVE = {
    "annotations:seminar_archive",
    "annotations:seminar_delete",
    "annotations:seminar_copy",
    "annotations:reader_changes",
    "annotations:tag_add",
    "annotations:tag_update",
    "annotations:tag_remove",
    "annotations:summary_edit",
}


class ArchivedSeminarReadOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if request.method in ("GET", "HEAD", "OPTIONS") or "seminar_id" not in view_kwargs:
            return
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_IN_ARCHIVE:
            return
        if not request.user.is_authenticated:
            return  # the view sends visitors to log in
        # Members only: to anyone else the view answers 404, as for any seminar of others.
        if Seminar.objects.filter(
            pk=view_kwargs["seminar_id"], archived_at__isnull=False, memberships__user=request.user
        ).exists():
            raise PermissionDenied(
                "This seminar is archived: it is read-only until an instructor restores it."
            )
