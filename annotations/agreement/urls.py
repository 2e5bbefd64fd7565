"""Agreement, discussion and presentation (annotations/agreement/views.py)."""

from __future__ import annotations

from django.urls import path

from annotations.agreement import views

seminar = "seminars/<int:seminar_id>"

urlpatterns = [
    path(f"{seminar}/agreement/", views.agreement, name="agreement"),
    path(f"{seminar}/discussion/", views.discussion, name="discussion"),
    path(f"{seminar}/discussion/picks/", views.discussion_pick, name="discussion_pick"),
    path(f"{seminar}/present/", views.present_start, name="present_start"),
    path(f"{seminar}/present/<slug:theme_slug>/", views.present, name="present"),
    path(
        f"{seminar}/present/<slug:theme_slug>/disputed/",
        views.present,
        {"part": "disputed"},
        name="present_disputed",
    ),
]
