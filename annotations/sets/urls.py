"""Annotation sets: create, settings, reveal (annotations/sets/views.py)."""

from __future__ import annotations

from django.urls import path

from annotations.sets import views

seminar = "seminars/<int:seminar_id>"

urlpatterns = [
    path(f"{seminar}/sets/new/", views.set_create, name="set_create"),
    # set_detail, not `set`, which would shadow the builtin (readings' documents and seminars too).
    path(f"{seminar}/sets/<int:set_id>/", views.set_detail, name="set"),
    path(f"{seminar}/sets/<int:set_id>/settings/", views.set_settings, name="set_settings"),
    path(f"{seminar}/sets/<int:set_id>/reveal/", views.set_reveal, name="set_reveal"),
    path(f"{seminar}/sets/<int:set_id>/archive/", views.set_archive, name="set_archive"),
    path(f"{seminar}/sets/<int:set_id>/delete/", views.set_delete, name="set_delete"),
    path(f"{seminar}/reveal/", views.seminar_reveal, name="seminar_reveal"),
]
