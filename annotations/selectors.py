"""Reads of annotations shared by several views."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from annotations.models import AnnotationSet, Tag, Theme
from readings.access import SeminarAccess


def sets_for_member(access: SeminarAccess, *, archived: bool = False) -> QuerySet[AnnotationSet]:
    """The seminar's sets this member may read, keys first, with their tag counts; the
    archived ones instead with `archived`."""
    return (
        AnnotationSet.objects.visible_to(
            access.membership.user, access.seminar, is_instructor=access.is_instructor
        )
        .filter(archived_at__isnull=not archived)
        .select_related("owner")
        .annotate(tag_count=Count("tags"))
        .order_by("kind", "title", "pk")
    )


def themes_of(seminar_id: int) -> QuerySet[Theme]:
    return Theme.objects.filter(seminar_id=seminar_id).order_by("position", "pk")


def tag_counts(annotation_set: AnnotationSet) -> dict[tuple[int, int], int]:
    """Number of tags per (theme id, document id) in one set."""
    rows = (
        Tag.objects.filter(annotation_set=annotation_set)
        .values("theme_id", "passage__document_id")
        .annotate(n=Count("pk"))
    )
    return {(row["theme_id"], row["passage__document_id"]): row["n"] for row in rows}
