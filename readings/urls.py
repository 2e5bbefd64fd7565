from __future__ import annotations

from django.urls import path

from readings.corrections import views as corrections
from readings.views import documents, seminars

app_name = "readings"

seminar = "seminars/<int:seminar_id>"

urlpatterns = [
    path("documents/", documents.document_list, name="document_list"),
    path("documents/import/", documents.document_import, name="document_import"),
    path(
        "documents/import/<slug:key>/",
        documents.document_import_preview,
        name="document_import_preview",
    ),
    path(
        "documents/import/<slug:key>/save/",
        documents.document_import_confirm,
        name="document_import_confirm",
    ),
    # View X_detail for URL name X, as with sets, where a view named `set` would shadow a builtin.
    path("documents/<int:document_id>/", documents.document_detail, name="document"),
    path(
        "documents/<int:document_id>/correct/",
        corrections.document_correct,
        name="document_correct",
    ),
    path(
        "documents/<int:document_id>/correct/<int:passage_id>/",
        corrections.passage_correct,
        name="passage_correct",
    ),
    path(
        "documents/<int:document_id>/delete/", corrections.document_delete, name="document_delete"
    ),
    path(
        "documents/<int:document_id>/replace/",
        corrections.document_replace,
        name="document_replace",
    ),
    path(
        "documents/<int:document_id>/replace/<slug:key>/",
        corrections.document_replace_confirm,
        name="document_replace_confirm",
    ),
    path("seminars/", seminars.seminar_list, name="seminar_list"),
    path("seminars/new/", seminars.seminar_create, name="seminar_create"),
    path(f"{seminar}/", seminars.seminar_detail, name="seminar"),  # <name>_detail, as above
    path(f"{seminar}/edit/", seminars.seminar_edit, name="seminar_edit"),
    path(f"{seminar}/readings/", seminars.seminar_reading_add, name="seminar_reading_add"),
    path(
        f"{seminar}/readings/<int:reading_id>/move/",
        seminars.seminar_reading_move,
        name="seminar_reading_move",
    ),
    path(
        f"{seminar}/readings/<int:reading_id>/due/",
        seminars.seminar_reading_due,
        name="seminar_reading_due",
    ),
    path(
        f"{seminar}/readings/<int:reading_id>/remove/",
        seminars.seminar_reading_remove,
        name="seminar_reading_remove",
    ),
    path(f"{seminar}/join-code/", seminars.seminar_join_code, name="seminar_join_code"),
    path(
        f"{seminar}/members/<int:membership_id>/remove/",
        seminars.member_remove,
        name="member_remove",
    ),
    # One view, whether the code is typed in or comes in the link.
    path("join/", seminars.join, name="join"),
    path("join/<str:code>/", seminars.join, name="join_code"),
]
