"""The roster: /seminars/<id>/roster/... (annotations/roster/views.py)."""

from __future__ import annotations

from django.urls import path

from annotations.roster import views

seminar = "seminars/<int:seminar_id>"
member = f"{seminar}/roster/<int:membership_id>"

urlpatterns = [
    path(f"{seminar}/roster/", views.roster, name="roster"),
    path(f"{seminar}/roster/progress.csv", views.roster_csv, name="roster_csv"),
    path(f"{seminar}/roster/add/", views.roster_add, name="roster_add"),
    path(f"{seminar}/roster/import/", views.roster_import, name="roster_import"),
    path(f"{member}/password/", views.member_password, name="roster_password"),
    path(f"{member}/role/", views.member_role, name="roster_role"),
    path(f"{member}/remove/", views.member_remove, name="roster_remove"),
    path(f"{seminar}/welcome/<uidb64>/<token>/", views.welcome, name="roster_welcome"),
]
