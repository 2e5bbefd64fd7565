"""Exports and imports: W3C, REFI-QDA, Hypothesis, CSV and backups (views.py here)."""

from __future__ import annotations

from django.urls import path

from annotations.interchange import views

seminar = "seminars/<int:seminar_id>"
one_set = f"{seminar}/sets/<int:set_id>"

urlpatterns = [
    path(f"{seminar}/interchange/", views.interchange, name="interchange"),
    path(f"{one_set}/export/<slug:fmt>/", views.set_export, name="set_export"),
    path(
        f"{one_set}/export/w3c/pages/<int:page>/",
        views.set_export_w3c_page,
        name="set_export_w3c_page",
    ),
    path(f"{seminar}/export/codebook/", views.codebook_export, name="codebook_export"),
    path(f"{seminar}/export/backup/", views.seminar_backup, name="seminar_backup"),
    path(f"{seminar}/import/set/", views.set_import, name="set_import"),
    path(f"{seminar}/import/codebook/", views.codebook_import, name="codebook_import"),
    path(f"{seminar}/import/backup/", views.seminar_restore, name="seminar_restore"),
]
