"""The codebook: a seminar's themes (annotations/codebook/views.py)."""

from __future__ import annotations

from django.urls import path

from annotations.codebook import views

seminar = "seminars/<int:seminar_id>"

urlpatterns = [
    path(f"{seminar}/themes/", views.theme_list, name="theme_list"),
    path(f"{seminar}/themes/<int:theme_id>/", views.theme_edit, name="theme_edit"),
    path(f"{seminar}/themes/<int:theme_id>/move/", views.theme_move, name="theme_move"),
    path(f"{seminar}/themes/<int:theme_id>/retire/", views.theme_retire, name="theme_retire"),
    path(f"{seminar}/themes/<int:theme_id>/merge/", views.theme_merge, name="theme_merge"),
]
