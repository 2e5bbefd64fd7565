"""A seminar's full backup: everything the seminar owns (members, readings with their passages,
themes with their discussion picks, sets with their tags and position summaries), gathered into
the typed record of annotations/interchange/backup_records.py and written as one JSON document
that `import_seminar` restores exactly.

Passages are stored, not re-split on restore, so tags keep their places even if the splitter
changes. A reading removed from the seminar is in the backup too while tags, summaries or picks
are still on it (with no position): they stay in the database and come back if it is added
again, so a backup that left them out would lose them without a word.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from annotations.interchange.backup_records import (
    Backup,
    BackupMember,
    BackupPassage,
    BackupPick,
    BackupReading,
    BackupSeminar,
    BackupSet,
    BackupSummary,
    BackupTag,
    BackupTheme,
    backup_json,
)
from annotations.models import AnnotationSet, DiscussionPick, PositionSummary, Tag, Theme
from readings.models import Document, Membership, Note, Passage, Seminar, SeminarReading


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def _readings(seminar: Seminar) -> list[tuple[Document, int | None, date | None]]:
    """The seminar's readings in order, then the documents that left it but still carry its
    tags, summaries or picks."""
    current = list(
        SeminarReading.objects.filter(seminar=seminar)
        .select_related("document__owner")
        .order_by("position", "pk")
    )
    held = {r.document_id for r in current}
    left_ids = (
        set(
            Tag.objects.filter(annotation_set__seminar=seminar).values_list(
                "passage__document_id", flat=True
            )
        )
        | set(
            PositionSummary.objects.filter(annotation_set__seminar=seminar).values_list(
                "document_id", flat=True
            )
        )
        | set(
            DiscussionPick.objects.filter(theme__seminar=seminar).values_list(
                "passage__document_id", flat=True
            )
        )
    ) - held
    left = Document.objects.filter(pk__in=left_ids).select_related("owner").order_by("pk")
    return [(r.document, r.position, r.due_date) for r in current] + [(d, None, None) for d in left]


def backup_collect(seminar: Seminar) -> Backup:
    """The seminar as one backup record, in a fixed number of queries."""
    readings = _readings(seminar)
    reading_index = {document.pk: i for i, (document, _, _) in enumerate(readings)}
    passages: dict[int, list[BackupPassage]] = defaultdict(list)
    passage_place: dict[int, tuple[int, int]] = {}  # passage pk → (reading index, position)
    notes: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for note in Note.objects.filter(document__in=reading_index).order_by("number"):
        notes[note.passage_id].append((note.number, note.text))
    for p in Passage.objects.filter(document__in=reading_index).order_by("document_id", "position"):
        passage_place[p.pk] = (reading_index[p.document_id], p.position)
        passages[p.document_id].append(
            BackupPassage(
                position=p.position,
                kind=p.kind,
                start=p.start,
                end=p.end,
                label=p.label,
                anchor=p.anchor,
                section=p.section,
                word_count=p.word_count,
                emphasis=tuple((int(a), int(b)) for a, b in p.emphasis),
                notes=tuple(notes.get(p.pk, ())),
            )
        )

    themes = list(Theme.objects.filter(seminar=seminar).order_by("position", "pk"))
    theme_index = {t.pk: i for i, t in enumerate(themes)}
    picks: dict[int, list[BackupPick]] = defaultdict(list)
    for pick in (
        DiscussionPick.objects.filter(theme__seminar=seminar)
        .select_related("added_by")
        .order_by("theme_id", "created_at", "pk")
    ):
        reading, position = passage_place[pick.passage_id]
        picks[pick.theme_id].append(
            BackupPick(
                reading=reading,
                passage=position,
                added_by=_username(pick.added_by),
                created_at=pick.created_at,
            )
        )

    sets = list(
        AnnotationSet.objects.filter(seminar=seminar).select_related("owner").order_by("pk")
    )
    set_index = {s.pk: i for i, s in enumerate(sets)}
    tags: dict[int, list[BackupTag]] = defaultdict(list)
    for tag in (
        Tag.objects.filter(annotation_set__in=sets)
        .select_related("author")
        .order_by("annotation_set_id", "passage__document_id", "passage__position", "pk")
    ):
        reading, position = passage_place[tag.passage_id]
        tags[tag.annotation_set_id].append(
            BackupTag(
                reading=reading,
                passage=position,
                theme=theme_index[tag.theme_id],
                span=(tag.span_start, tag.span_end),
                stance=tag.stance,
                note=tag.note,
                author=_username(tag.author),
                created_at=tag.created_at,
                updated_at=tag.updated_at,
            )
        )
    summaries: dict[int, list[BackupSummary]] = defaultdict(list)
    for summary in PositionSummary.objects.filter(annotation_set__in=sets).order_by("pk"):
        summaries[summary.annotation_set_id].append(
            BackupSummary(
                reading=reading_index[summary.document_id],
                theme=theme_index[summary.theme_id],
                text=summary.text,
            )
        )

    return Backup(
        seminar=BackupSeminar(
            title=seminar.title,
            description=seminar.description,
            term=seminar.term,
            created_by=_username(seminar.created_by),
            archived_at=seminar.archived_at,
        ),
        members=tuple(
            BackupMember(
                username=m.user.get_username(),
                role=m.role,
                first_name=m.user.first_name,
                last_name=m.user.last_name,
                email=m.user.email,
            )
            for m in Membership.objects.filter(seminar=seminar).select_related("user")
        ),
        readings=tuple(
            BackupReading(
                content_hash=d.content_hash,
                title=d.title,
                text=d.text,
                passages=tuple(passages[d.pk]),
                position=position,
                owner=_username(d.owner),
                subtitle=d.subtitle,
                authors=tuple(d.authors),
                publication=d.publication,
                published=d.published,
                source_note=d.source_note,
                language=d.language,
                original_filename=d.original_filename,
                original_format=d.original_format,
                due_date=due_date,
                ocr_engine=d.ocr_engine,
            )
            for d, position, due_date in readings
        ),
        themes=tuple(
            BackupTheme(
                name=t.name,
                colour=t.colour,
                slug=t.slug,
                position=t.position,
                description=t.description,
                guiding_question=t.guiding_question,
                retired_at=t.retired_at,
                merged_into=theme_index.get(t.merged_into_id) if t.merged_into_id else None,
                picks=tuple(picks[t.pk]),
            )
            for t in themes
        ),
        sets=tuple(
            BackupSet(
                title=s.title,
                owner=s.owner.get_username(),
                kind=s.kind,
                visibility=s.visibility,
                blind=s.blind,
                revealed_at=s.revealed_at,
                locked=s.locked,
                created_at=s.created_at,
                archived_at=s.archived_at,
                # Which set of this backup it started as a copy of.
                copied_from=set_index.get(s.copied_from_id) if s.copied_from_id else None,
                tags=tuple(tags[s.pk]),
                summaries=tuple(summaries[s.pk]),
            )
            for s in sets
        ),
    )


def seminar_backup(seminar: Seminar) -> dict[str, Any]:
    """The backup file's JSON document."""
    return backup_json(backup_collect(seminar))


def backup_bytes(seminar: Seminar) -> bytes:
    return json.dumps(seminar_backup(seminar), ensure_ascii=False, indent=1).encode("utf-8")
