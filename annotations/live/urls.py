"""The seminar's live poll (annotations/live/views.py)."""

from __future__ import annotations

from django.urls import path

from annotations.live import views

urlpatterns = [
    path("seminars/<int:seminar_id>/live/", views.seminar_live, name="seminar_live"),
]
