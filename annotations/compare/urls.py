"""Compare and overview (annotations/views/compare.py), in the "annotations" namespace."""

from __future__ import annotations

from django.urls import path

from annotations.views import compare

seminar = "seminars/<int:seminar_id>"

urlpatterns = [
    path(f"{seminar}/overview/", compare.overview, name="overview"),
    path(f"{seminar}/compare/<slug:theme_slug>/", compare.compare, name="compare"),
    path(
        f"{seminar}/compare/context/<int:passage_id>/",
        compare.compare_context,
        name="compare_context",
    ),
    path(
        f"{seminar}/sets/<int:set_id>/summaries/<int:theme_id>/<int:document_id>/",
        compare.summary_edit,
        name="summary_edit",
    ),
]
