from __future__ import annotations

from django.contrib import admin

from readings.models import Document, Membership, Passage, Seminar, SeminarReading


class PassageInline(admin.TabularInline):
    model = Passage
    fields = readonly_fields = ("position", "label", "kind", "section", "text")
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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


class SeminarReadingInline(admin.TabularInline):
    model = SeminarReading
    extra = 0
    raw_id_fields = ["document"]
    ordering = ["position"]


@admin.register(Seminar)
class SeminarAdmin(admin.ModelAdmin):
    list_display = ["title", "term", "join_code", "created_by", "created_at"]
    list_filter = ["term"]
    search_fields = ["title", "description", "join_code"]
    list_select_related = ["created_by"]
    raw_id_fields = ["created_by"]
    inlines = [SeminarReadingInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "seminar", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "seminar__title"]
    list_select_related = ["user", "seminar"]
    raw_id_fields = ["user", "seminar"]


@admin.register(SeminarReading)
class SeminarReadingAdmin(admin.ModelAdmin):
    list_display = ["document", "seminar", "position"]
    search_fields = ["document__title", "seminar__title"]
    list_select_related = ["document", "seminar"]
    raw_id_fields = ["document", "seminar"]
