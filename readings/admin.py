from __future__ import annotations

from django.contrib import admin

from readings.models import Document, Passage


class PassageInline(admin.TabularInline):
    model = Passage
    fields = ["position", "label", "kind", "section", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "publication", "published", "original_format", "owner", "created_at"]
    list_filter = ["original_format", "language", "publication"]
    search_fields = ["title", "subtitle", "publication", "authors"]
    readonly_fields = ["content_hash", "original_filename", "original_format", "text", "created_at"]
    list_select_related = ["owner"]
    inlines = [PassageInline]


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    list_display = ["label", "document", "kind", "section", "word_count"]
    list_filter = ["kind", "document"]
    search_fields = ["text", "section"]
    list_select_related = ["document"]
    readonly_fields = ["document", "position", "start", "end", "text", "word_count"]
