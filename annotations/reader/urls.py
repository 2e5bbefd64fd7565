"""The reader and tagging (annotations/reader/views.py)."""

from __future__ import annotations

from django.urls import path

from annotations.reader import views

annotation_set = "seminars/<int:seminar_id>/sets/<int:set_id>"
passage = f"{annotation_set}/passages/<int:passage_id>"

urlpatterns = [
    path(f"{annotation_set}/read/<int:document_id>/", views.reader, name="reader"),
    path(f"{annotation_set}/parallel/", views.parallel, name="parallel"),
    path(f"{annotation_set}/changes/", views.reader_changes, name="reader_changes"),
    path(f"{passage}/", views.reader_passage, name="reader_passage"),
    path(f"{passage}/tags/", views.tag_add, name="tag_add"),
    path(f"{passage}/tags/<int:tag_id>/", views.tag_update, name="tag_update"),
    path(f"{passage}/tags/<int:tag_id>/remove/", views.tag_remove, name="tag_remove"),
]
