from __future__ import annotations

from django.urls import path

from readings import views

app_name = "readings"

urlpatterns = [
    path("documents/", views.document_list, name="document_list"),
    path("documents/import/", views.document_import_view, name="document_import"),
    path("documents/import/save/", views.document_import_confirm, name="document_import_confirm"),
    path("documents/<int:document_id>/", views.document_detail, name="document"),
]
