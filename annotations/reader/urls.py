"""The reader and tagging (annotations/views/reader.py, tagging.py), in the "annotations"
namespace."""

from __future__ import annotations

from django.urls import path

from annotations.views import reader, tagging

annotation_set = "seminars/<int:seminar_id>/sets/<int:set_id>"
passage = f"{annotation_set}/passages/<int:passage_id>"

urlpatterns = [
    path(f"{annotation_set}/read/<int:document_id>/", reader.reader, name="reader"),
    path(f"{annotation_set}/parallel/", reader.parallel, name="parallel"),
    path(f"{annotation_set}/changes/", reader.reader_changes, name="reader_changes"),
    path(f"{passage}/", reader.reader_passage, name="reader_passage"),
    path(f"{passage}/tags/", tagging.tag_add, name="tag_add"),
    path(f"{passage}/tags/<int:tag_id>/", tagging.tag_change, name="tag_update"),
    path(f"{passage}/tags/<int:tag_id>/remove/", tagging.tag_delete, name="tag_remove"),
]
