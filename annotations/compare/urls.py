"""Compare and overview (annotations/compare/views.py)."""

from __future__ import annotations

from django.urls import path

from annotations.compare import views

seminar = "seminars/<int:seminar_id>"

urlpatterns = [
    path(f"{seminar}/overview/", views.overview, name="overview"),
    path(f"{seminar}/compare/<slug:theme_slug>/", views.compare, name="compare"),
    path(
        f"{seminar}/compare/context/<int:passage_id>/",
        views.compare_context,
        name="compare_context",
    ),
    path(
        f"{seminar}/sets/<int:set_id>/summaries/<int:theme_id>/<int:document_id>/",
        views.summary_edit,
        name="summary_edit",
    ),
]
