from __future__ import annotations

from django.urls import include, path

from annotations.views import sets, themes

app_name = "annotations"

seminar = "seminars/<int:seminar_id>"

urlpatterns = [
    # The codebook (annotations/views/themes.py)
    path(f"{seminar}/themes/", themes.theme_list, name="theme_list"),
    path(f"{seminar}/themes/<int:theme_id>/", themes.theme_edit, name="theme_edit"),
    path(f"{seminar}/themes/<int:theme_id>/move/", themes.theme_move, name="theme_move"),
    path(f"{seminar}/themes/<int:theme_id>/retire/", themes.theme_retire, name="theme_retire"),
    path(f"{seminar}/themes/<int:theme_id>/merge/", themes.theme_merge, name="theme_merge"),
    # Annotation sets (annotations/views/sets.py)
    path(f"{seminar}/sets/new/", sets.set_create, name="set_create"),
    path(f"{seminar}/sets/<int:set_id>/", sets.set_detail, name="set"),
    path(f"{seminar}/sets/<int:set_id>/settings/", sets.set_settings, name="set_settings"),
    path(f"{seminar}/sets/<int:set_id>/reveal/", sets.set_reveal, name="set_reveal"),
    path(f"{seminar}/reveal/", sets.seminar_reveal, name="seminar_reveal"),
    # The reader and tagging (annotations/reader_urls.py), compare and overview
    # (annotations/compare_urls.py): same "annotations" namespace.
    path("", include("annotations.reader_urls")),
    path("", include("annotations.compare_urls")),
    # Exports and imports: W3C, REFI-QDA, Hypothesis, CSV, backups (annotations/interchange_urls.py)
    path("", include("annotations.interchange_urls")),
    path("", include("annotations.handout_urls")),
    # Agreement, the discussion view and presentation mode (annotations/agreement_urls.py)
    path("", include("annotations.agreement_urls")),
]
