"""Agreement, discussion and presentation (annotations/views/agreement.py), in the
"annotations" namespace."""

from __future__ import annotations

from django.urls import path

from annotations.views import agreement

seminar = "seminars/<int:seminar_id>"

urlpatterns = [
    path(f"{seminar}/agreement/", agreement.agreement, name="agreement"),
    path(f"{seminar}/discussion/", agreement.discussion, name="discussion"),
    path(f"{seminar}/discussion/picks/", agreement.discussion_pick, name="discussion_pick"),
    path(f"{seminar}/present/", agreement.present_start, name="present_start"),
    path(f"{seminar}/present/<slug:theme_slug>/", agreement.present, name="present"),
    path(
        f"{seminar}/present/<slug:theme_slug>/disputed/",
        agreement.present,
        {"part": "disputed"},
        name="present_disputed",
    ),
]
