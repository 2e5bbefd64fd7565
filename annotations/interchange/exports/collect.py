"""Fill the export records from the database, in a fixed number of queries."""

from __future__ import annotations

from typing import cast

from annotations.interchange.exports.records import (
    Person,
    ReadingRecord,
    SetRecord,
    TagRecord,
    ThemeRecord,
)
from annotations.models import AnnotationSet, Tag, Theme
from readings.models import Membership, SeminarReading


def person(user) -> Person | None:
    if user is None:
        return None
    return Person(username=user.get_username(), name=user.get_full_name())


def theme_records(seminar_id: int) -> list[ThemeRecord]:
    return [
        ThemeRecord(
            pk=theme.pk,
            name=theme.name,
            colour=theme.colour,
            description=theme.description,
            guiding_question=theme.guiding_question,
            active=theme.is_active,
        )
        for theme in Theme.objects.filter(seminar_id=seminar_id).order_by("position", "pk")
    ]


def reading_records(seminar_id: int, base_url: str) -> list[ReadingRecord]:
    readings = (
        SeminarReading.objects.filter(seminar_id=seminar_id)
        .select_related("document")
        .order_by("position", "pk")
    )
    return [
        ReadingRecord(
            pk=r.document.pk,
            title=r.document.title,
            text=r.document.text,
            content_hash=r.document.content_hash,
            iri=f"{base_url}{r.document.get_absolute_url()}",
            language=r.document.language,
            author_line=r.document.author_line,
        )
        for r in readings
    ]


def set_record(annotation_set: AnnotationSet, *, base_url: str) -> SetRecord:
    """Everything an export of one set needs; `base_url` ("https://host") makes IRIs absolute."""
    readings = reading_records(annotation_set.seminar_id, base_url)
    themes = theme_records(annotation_set.seminar_id)
    by_document = {r.pk: r for r in readings}
    by_theme = {t.pk: t for t in themes}
    tags = []
    query = (
        Tag.objects.filter(annotation_set=annotation_set)
        .select_related("passage", "author")
        .defer("passage__text", "passage__emphasis")
        .in_reading_order()
    )
    for tag in query:
        reading = by_document.get(tag.passage.document_id)
        if reading is None:  # the reading left the seminar; its tags stay in the database
            continue
        passage = tag.passage
        start = passage.start + tag.span_start if tag.is_span else passage.start
        end = passage.start + tag.span_end if tag.is_span else passage.end
        tags.append(
            TagRecord(
                pk=tag.pk,
                reading=reading,
                theme=by_theme[tag.theme_id],
                start=start,
                end=end,
                whole_passage=not tag.is_span,
                passage_label=passage.label,
                stance=tag.stance,
                note=tag.note,
                author=person(tag.author),
                created=tag.created_at,
                modified=tag.updated_at,
            )
        )
    members = [
        person(m.user)
        for m in Membership.objects.filter(seminar_id=annotation_set.seminar_id).select_related(
            "user"
        )
    ]
    return SetRecord(
        pk=annotation_set.pk,
        title=annotation_set.title,
        seminar_title=annotation_set.seminar.title,
        owner=cast(Person, person(annotation_set.owner)),  # a set always has an owner
        iri=f"{base_url}{annotation_set.get_absolute_url()}",
        created=annotation_set.created_at,
        modified=annotation_set.updated_at,
        readings=readings,
        themes=themes,
        tags=tags,
        members=[m for m in members if m is not None],
    )
