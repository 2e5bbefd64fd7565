"""Archive, delete and copy a seminar (annotations/lifecycle/views.py)."""

from __future__ import annotations

from django.urls import path

from annotations.lifecycle import views

seminar = "seminars/<int:seminar_id>"

urlpatterns = [
    path(f"{seminar}/archive/", views.seminar_archive, name="seminar_archive"),
    path(f"{seminar}/delete/", views.seminar_delete, name="seminar_delete"),
    path(f"{seminar}/copy/", views.seminar_copy, name="seminar_copy"),
]
