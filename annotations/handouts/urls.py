"""Discussion handouts (annotations/views/handouts.py), in the "annotations" namespace."""

from __future__ import annotations

from django.urls import path

from annotations.views import handouts

urlpatterns = [
    path("seminars/<int:seminar_id>/handout/", handouts.handout, name="handout"),
]
