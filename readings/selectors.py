"""Reads of readings shared by several views."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from readings.models import Document, Passage


def documents_for_user(user) -> QuerySet[Document]:
    return (
        Document.objects.visible_to(user)
        .defer("text")
        .annotate(
            paragraph_count=Count(
                "passages",
                filter=Q(passages__kind__in=[Passage.Kind.PARAGRAPH, Passage.Kind.LIST_ITEM]),
            ),
        )
        .order_by("title", "pk")
    )


def get_document_for_user(user, pk: int) -> Document:
    """The document if the user may read it; 404 otherwise, so outsiders learn nothing."""
    return get_object_or_404(Document.objects.visible_to(user), pk=pk)
