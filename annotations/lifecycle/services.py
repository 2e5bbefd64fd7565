"""A seminar's life after its term: archive it (read-only, off the lists, restorable), delete it
(with a count of what goes first), or copy it for a new term: its readings, themes, key,
summaries and handout picks, without members or students' work."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from annotations.models import AnnotationSet, DiscussionPick, PositionSummary, Tag, Theme
from annotations.pagecache import revisions
from readings.models import Document, Membership, Seminar, SeminarReading
from readings.services import seminar_create, seminar_reading_add


def seminar_archive(*, seminar: Seminar, archived: bool = True) -> None:
    with transaction.atomic():
        Seminar.objects.filter(pk=seminar.pk).update(
            archived_at=timezone.now() if archived else None
        )
        revisions.seminars_changed([seminar.pk])
    seminar.refresh_from_db(fields=["archived_at"])


def seminar_contents(seminar: Seminar) -> dict[str, int]:
    """What deleting the seminar takes with it, counted for the confirmation."""
    sets = AnnotationSet.objects.filter(seminar=seminar)
    by_kind = dict(sets.values_list("kind").annotate(n=Count("pk")))
    return {
        "members": Membership.objects.filter(seminar=seminar).count(),
        "readings": SeminarReading.objects.filter(seminar=seminar).count(),
        "themes": Theme.objects.filter(seminar=seminar).count(),
        "student_sets": by_kind.get(AnnotationSet.Kind.STUDENT, 0),
        "key_sets": by_kind.get(AnnotationSet.Kind.KEY, 0),
        "reference_sets": by_kind.get(AnnotationSet.Kind.REFERENCE, 0),
        "tags": Tag.objects.filter(annotation_set__seminar=seminar).count(),
        "summaries": PositionSummary.objects.filter(annotation_set__seminar=seminar).count(),
        "picks": DiscussionPick.objects.filter(theme__seminar=seminar).count(),
    }


@dataclass
class CopyPlan:
    """What a copy by this person would take: readings they may add, and the others."""

    readings: list[SeminarReading] = field(default_factory=list)
    skipped: list[SeminarReading] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    keys: list[AnnotationSet] = field(default_factory=list)


def seminar_copy_plan(*, seminar: Seminar, by) -> CopyPlan:
    """Readings go only where the copier may add them (Document.objects.addable_by: their own),
    as everywhere else a reading enters a seminar (readings.services.seminar_reading_add)."""
    plan = CopyPlan()
    readings = list(
        SeminarReading.objects.filter(seminar=seminar)
        .select_related("document")
        .defer("document__text")
        .order_by("position", "pk")
    )
    addable = set(
        Document.objects.addable_by(by)
        .filter(pk__in=[r.document_id for r in readings])
        .values_list("pk", flat=True)
    )
    for reading in readings:
        (plan.readings if reading.document_id in addable else plan.skipped).append(reading)
    plan.themes = list(Theme.objects.active().filter(seminar=seminar).order_by("position", "pk"))
    plan.keys = list(
        AnnotationSet.objects.filter(
            seminar=seminar, kind=AnnotationSet.Kind.KEY, archived_at__isnull=True
        ).order_by("title", "pk")
    )
    return plan


def seminar_copy(*, seminar: Seminar, by, title: str, term: str) -> tuple[Seminar, CopyPlan]:
    """A new seminar with `by` as its instructor, joining open with a new code, holding the
    readings `by` may add, the active themes (with their descriptions and questions), the key
    (blind again, owned by `by`) with its tags and summaries on what was copied, and the
    handout's picks. No members but `by`, no students' sets, no due dates."""
    plan = seminar_copy_plan(seminar=seminar, by=by)
    with transaction.atomic():
        copy = seminar_create(
            title=title, description=seminar.description, term=term, instructor=by
        )
        documents = set()
        for reading in plan.readings:
            seminar_reading_add(seminar=copy, document=reading.document, by=by)
            documents.add(reading.document_id)
        themes: dict[int, Theme] = {}
        for position, theme in enumerate(plan.themes):
            themes[theme.pk] = Theme.objects.create(
                seminar=copy,
                name=theme.name,
                slug=theme.slug,
                colour=theme.colour,
                description=theme.description,
                guiding_question=theme.guiding_question,
                position=position,
            )
        for key in plan.keys:
            new_key = AnnotationSet.objects.create(
                seminar=copy,
                owner=by,
                title=key.title,
                kind=AnnotationSet.Kind.KEY,
                visibility=key.visibility,
                blind=True,
            )
            Tag.objects.bulk_create(
                Tag(
                    annotation_set=new_key,
                    passage_id=tag.passage_id,
                    theme=themes[tag.theme_id],
                    span_start=tag.span_start,
                    span_end=tag.span_end,
                    stance=tag.stance,
                    note=tag.note,
                    author=by,
                )
                for tag in key.tags.filter(
                    passage__document_id__in=documents, theme_id__in=list(themes)
                )
            )
            PositionSummary.objects.bulk_create(
                PositionSummary(
                    annotation_set=new_key,
                    theme=themes[summary.theme_id],
                    document_id=summary.document_id,
                    text=summary.text,
                )
                for summary in key.summaries.filter(
                    document_id__in=documents, theme_id__in=list(themes)
                )
            )
        DiscussionPick.objects.bulk_create(
            DiscussionPick(theme=themes[pick.theme_id], passage_id=pick.passage_id, added_by=by)
            for pick in DiscussionPick.objects.filter(
                theme_id__in=list(themes), passage__document_id__in=documents
            )
        )
        revisions.seminars_changed([copy.pk])
    return copy, plan
