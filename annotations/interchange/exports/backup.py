"""A seminar's full backup: readings (with their passages), themes, members, sets, tags and
position summaries, as one JSON document that `import_seminar` restores exactly.

Passages are stored, not re-split on restore, so tags keep their places even if the splitter
changes. Readings are keyed by content hash, themes and sets by their order in the file.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from annotations.interchange.exports.records import iso
from annotations.models import AnnotationSet, PositionSummary, Tag, Theme
from readings.models import Membership, Passage, Seminar, SeminarReading

FORMAT = "counterpoint-seminar-backup"
VERSION = 1


def _time(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def seminar_backup(seminar: Seminar) -> dict[str, Any]:
    readings = list(
        SeminarReading.objects.filter(seminar=seminar)
        .select_related("document")
        .order_by("position", "pk")
    )
    passages: dict[int, list[dict[str, Any]]] = {}
    for p in Passage.objects.filter(document__in=[r.document_id for r in readings]).order_by(
        "document_id", "position"
    ):
        passages.setdefault(p.document_id, []).append(
            {
                "position": p.position,
                "kind": p.kind,
                "start": p.start,
                "end": p.end,
                "section": p.section,
                "word_count": p.word_count,
                "label": p.label,
                "anchor": p.anchor,
                "emphasis": p.emphasis,
            }
        )
    themes = list(Theme.objects.filter(seminar=seminar).order_by("position", "pk"))
    # Keyed by int | None so that merged_into_id (None for most) can be looked up directly.
    theme_index: dict[int | None, int] = {t.pk: i for i, t in enumerate(themes)}
    sets = list(
        AnnotationSet.objects.filter(seminar=seminar).select_related("owner").order_by("pk")
    )
    set_index: dict[int | None, int] = {s.pk: i for i, s in enumerate(sets)}
    tags: dict[int, list[dict[str, Any]]] = {}
    for tag in (
        Tag.objects.filter(annotation_set__in=sets)
        .select_related("passage", "author")
        .only(
            "annotation_set_id",
            "theme_id",
            "span_start",
            "span_end",
            "stance",
            "note",
            "created_at",
            "updated_at",
            "passage__document_id",
            "passage__position",
            "author__username",
        )
        .order_by("annotation_set_id", "passage__document_id", "passage__position", "pk")
    ):
        tags.setdefault(tag.annotation_set_id, []).append(
            {
                "reading": tag.passage.document_id,
                "passage": tag.passage.position,
                "theme": theme_index[tag.theme_id],
                "span": [tag.span_start, tag.span_end],
                "stance": tag.stance,
                "note": tag.note,
                "author": tag.author.username if tag.author else None,
                "created_at": _time(tag.created_at),
                "updated_at": _time(tag.updated_at),
            }
        )
    summaries: dict[int, list[dict[str, Any]]] = {}
    for summary in PositionSummary.objects.filter(annotation_set__in=sets).order_by("pk"):
        summaries.setdefault(summary.annotation_set_id, []).append(
            {
                "theme": theme_index[summary.theme_id],
                "reading": summary.document_id,
                "text": summary.text,
            }
        )
    hashes = {r.document_id: r.document.content_hash for r in readings}

    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso(None),
        "seminar": {
            "title": seminar.title,
            "description": seminar.description,
            "term": seminar.term,
        },
        "members": [
            {
                "username": m.user.username,
                "first_name": m.user.first_name,
                "last_name": m.user.last_name,
                "email": m.user.email,
                "role": m.role,
            }
            for m in Membership.objects.filter(seminar=seminar).select_related("user")
        ],
        "readings": [
            {
                "content_hash": r.document.content_hash,
                "title": r.document.title,
                "subtitle": r.document.subtitle,
                "authors": r.document.authors,
                "publication": r.document.publication,
                "published": r.document.published,
                "source_note": r.document.source_note,
                "language": r.document.language,
                "original_filename": r.document.original_filename,
                "original_format": r.document.original_format,
                "text": r.document.text,
                "passages": passages.get(r.document_id, []),
            }
            for r in readings
        ],
        "themes": [
            {
                "name": t.name,
                "slug": t.slug,
                "colour": t.colour,
                "description": t.description,
                "guiding_question": t.guiding_question,
                "retired_at": _time(t.retired_at),
                "merged_into": theme_index.get(t.merged_into_id),
            }
            for t in themes
        ],
        "sets": [
            {
                "title": s.title,
                "owner": s.owner.username,
                "kind": s.kind,
                "visibility": s.visibility,
                "blind": s.blind,
                "revealed_at": _time(s.revealed_at),
                "locked": s.locked,
                "created_at": _time(s.created_at),
                # Which set of this file it started as a copy of, by its place in "sets".
                "copied_from": set_index.get(s.copied_from_id),
                # Tags on a reading that has left the seminar stay in the database, not here.
                "tags": [
                    t | {"reading": hashes[t["reading"]]}
                    for t in tags.get(s.pk, [])
                    if t["reading"] in hashes
                ],
                "summaries": [
                    x | {"reading": hashes[x["reading"]]}
                    for x in summaries.get(s.pk, [])
                    if x["reading"] in hashes
                ],
            }
            for s in sets
        ],
    }


def backup_bytes(seminar: Seminar) -> bytes:
    return json.dumps(seminar_backup(seminar), ensure_ascii=False, indent=1).encode("utf-8")
