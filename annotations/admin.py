from __future__ import annotations

from django.contrib import admin

from annotations.models import AnnotationSet, PositionSummary, Tag, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "seminar", "colour", "position", "retired_at", "merged_into"]
    list_filter = [("retired_at", admin.EmptyFieldListFilter), "seminar"]
    search_fields = ["name", "slug", "guiding_question", "seminar__title"]
    list_select_related = ["seminar", "merged_into"]
    raw_id_fields = ["seminar", "merged_into"]
    ordering = ["seminar", "position", "pk"]


@admin.register(AnnotationSet)
class AnnotationSetAdmin(admin.ModelAdmin):
    list_display = ["title", "seminar", "owner", "kind", "visibility", "blind", "locked"]
    list_filter = ["kind", "visibility", "blind", "locked", "seminar"]
    search_fields = ["title", "owner__username", "seminar__title"]
    list_select_related = ["seminar", "owner"]
    raw_id_fields = ["seminar", "owner", "copied_from"]
    date_hierarchy = "created_at"


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["passage", "theme", "annotation_set", "stance", "author", "updated_at"]
    list_filter = ["stance", "theme__seminar"]
    search_fields = ["note", "theme__name", "annotation_set__title", "author__username"]
    # Tag.__str__ and Passage.__str__ cite the document, so it is fetched with the passage.
    list_select_related = ["passage__document", "theme", "annotation_set", "author"]
    raw_id_fields = ["annotation_set", "passage", "theme", "author"]


@admin.register(PositionSummary)
class PositionSummaryAdmin(admin.ModelAdmin):
    list_display = ["document", "theme", "annotation_set", "updated_at"]
    list_filter = ["theme__seminar"]
    search_fields = ["text", "theme__name", "document__title", "annotation_set__title"]
    list_select_related = ["document", "theme", "annotation_set"]
    raw_id_fields = ["annotation_set", "theme", "document"]
