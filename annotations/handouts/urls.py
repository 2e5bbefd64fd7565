"""Discussion handouts (annotations/handouts/views.py)."""

from __future__ import annotations

from django.urls import path

from annotations.handouts import views

urlpatterns = [
    path("seminars/<int:seminar_id>/handout/", views.handout, name="handout"),
]
