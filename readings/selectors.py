"""Reads of readings and seminars shared by several views; each owns its query shape."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from readings.models import BODY_KINDS, Document, Membership, Seminar, SeminarReading


def documents_for_user(user) -> QuerySet[Document]:
    return (
        Document.objects.visible_to(user)
        .defer("text")
        .annotate(paragraph_count=Count("passages", filter=Q(passages__kind__in=BODY_KINDS)))
        .order_by("title", "pk")
    )


def documents_addable_by(user) -> QuerySet[Document]:
    """The library a seminar's "Add" offers: the user's own documents, titles only."""
    return Document.objects.addable_by(user).only("pk", "title").order_by("title", "pk")


def get_document_for_user(user, pk: int) -> Document:
    """The document if the user may read it; 404 otherwise, so outsiders learn nothing."""
    return get_object_or_404(Document.objects.visible_to(user), pk=pk)


def seminars_for_user(user) -> QuerySet[Seminar]:
    """The user's seminars, newest first, each with `role`, `reading_count`, `member_count`."""
    role = Membership.objects.filter(seminar=OuterRef("pk"), user=user).values("role")[:1]
    return (
        Seminar.objects.filter(pk__in=Membership.objects.filter(user=user).values("seminar_id"))
        .annotate(
            role=Subquery(role),
            reading_count=Count("seminar_readings", distinct=True),
            member_count=Count("memberships", distinct=True),
        )
        .order_by("-created_at", "pk")
    )


def seminar_readings(seminar: Seminar) -> QuerySet[SeminarReading]:
    """The seminar's readings in column order, with the documents (text deferred)."""
    return (
        SeminarReading.objects.filter(seminar=seminar)
        .select_related("document")
        .defer("document__text")
        .annotate(
            paragraph_count=Count(
                "document__passages", filter=Q(document__passages__kind__in=BODY_KINDS)
            )
        )
        .order_by("position", "pk")
    )


def seminar_members(seminar: Seminar) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(seminar=seminar)
        .select_related("user")
        .order_by("role", "user__username")
    )
