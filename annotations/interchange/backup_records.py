"""A seminar backup as one typed record: what the export fills in (exports/backup.py), what the
parser returns once a file is checked (imports/backup.py) and what the restore reads
(services.seminar_restore), with the JSON of the file (`backup_json`). No Django here.

Records point at each other by their place in the backup's lists, as the file does: a tag's
`reading` is an index into `Backup.readings`, its `passage` a passage position in that reading,
its `theme` an index into `Backup.themes`.

Version 2 of the file added discussion picks, readings that left the seminar but still carry
tags, summaries or picks (`position` None), where readings and themes stand, the seminar's
creator and each reading's owner; readings are named by their place instead of their content
hash (two readings may share a text). Version 1 files are still read (imports/backup.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

FORMAT = "counterpoint-seminar-backup"
VERSION = 2


@dataclass(frozen=True)
class BackupPassage:
    position: int
    kind: str
    start: int
    end: int
    label: str
    anchor: str
    section: str = ""
    word_count: int = 0
    emphasis: tuple[tuple[int, int], ...] = ()
    notes: tuple[tuple[int, str], ...] = ()  # the reading's footnotes it calls: (number, text)


@dataclass(frozen=True)
class BackupReading:
    content_hash: str
    title: str
    text: str
    passages: tuple[BackupPassage, ...]
    # Its column in the seminar; None for a reading removed from the seminar whose tags,
    # summaries or picks are still there (they come back if it is added again).
    position: int | None = None
    owner: str | None = None
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    publication: str = ""
    published: str = ""
    source_note: str = ""
    language: str = "en"
    original_filename: str = ""
    original_format: str = "txt"
    due_date: date | None = None
    ocr_engine: str = ""  # what read its scanned pages ("Tesseract 5.5.4 (eng)"), if any


@dataclass(frozen=True)
class BackupMember:
    username: str
    role: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


@dataclass(frozen=True)
class BackupPick:
    reading: int
    passage: int
    added_by: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class BackupTheme:
    name: str
    colour: str
    slug: str = ""
    position: int = 0
    description: str = ""
    guiding_question: str = ""
    retired_at: datetime | None = None
    merged_into: int | None = None
    picks: tuple[BackupPick, ...] = ()


@dataclass(frozen=True)
class BackupTag:
    reading: int
    passage: int
    theme: int
    span: tuple[int, int] = (0, 0)
    stance: str = ""
    note: str = ""
    author: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class BackupSummary:
    reading: int
    theme: int
    text: str


@dataclass(frozen=True)
class BackupSet:
    title: str
    owner: str
    kind: str
    visibility: str
    blind: bool = True
    revealed_at: datetime | None = None
    locked: bool = False
    created_at: datetime | None = None
    archived_at: datetime | None = None
    copied_from: int | None = None
    tags: tuple[BackupTag, ...] = ()
    summaries: tuple[BackupSummary, ...] = ()


@dataclass(frozen=True)
class BackupSeminar:
    title: str
    description: str = ""
    term: str = ""
    created_by: str | None = None
    archived_at: datetime | None = None


@dataclass(frozen=True)
class Backup:
    seminar: BackupSeminar
    members: tuple[BackupMember, ...] = ()
    readings: tuple[BackupReading, ...] = ()
    themes: tuple[BackupTheme, ...] = ()
    sets: tuple[BackupSet, ...] = ()
    exported_at: datetime | None = None


def _time(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def backup_json(backup: Backup) -> dict[str, Any]:
    """The file, in the current version."""
    exported = backup.exported_at or datetime.now(UTC)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seminar": {
            "title": backup.seminar.title,
            "description": backup.seminar.description,
            "term": backup.seminar.term,
            "created_by": backup.seminar.created_by,
            "archived_at": _time(backup.seminar.archived_at),
        },
        "members": [
            {
                "username": m.username,
                "first_name": m.first_name,
                "last_name": m.last_name,
                "email": m.email,
                "role": m.role,
            }
            for m in backup.members
        ],
        "readings": [
            {
                "content_hash": r.content_hash,
                "position": r.position,
                "owner": r.owner,
                "title": r.title,
                "subtitle": r.subtitle,
                "authors": list(r.authors),
                "publication": r.publication,
                "published": r.published,
                "source_note": r.source_note,
                "language": r.language,
                "original_filename": r.original_filename,
                "original_format": r.original_format,
                "ocr_engine": r.ocr_engine,
                "due_date": r.due_date.isoformat() if r.due_date else None,
                "text": r.text,
                "passages": [
                    {
                        "position": p.position,
                        "kind": p.kind,
                        "start": p.start,
                        "end": p.end,
                        "section": p.section,
                        "word_count": p.word_count,
                        "label": p.label,
                        "anchor": p.anchor,
                        "emphasis": [list(span) for span in p.emphasis],
                        "notes": [{"number": n, "text": t} for n, t in p.notes],
                    }
                    for p in r.passages
                ],
            }
            for r in backup.readings
        ],
        "themes": [
            {
                "name": t.name,
                "slug": t.slug,
                "colour": t.colour,
                "position": t.position,
                "description": t.description,
                "guiding_question": t.guiding_question,
                "retired_at": _time(t.retired_at),
                "merged_into": t.merged_into,
                "picks": [
                    {
                        "reading": p.reading,
                        "passage": p.passage,
                        "added_by": p.added_by,
                        "created_at": _time(p.created_at),
                    }
                    for p in t.picks
                ],
            }
            for t in backup.themes
        ],
        "sets": [
            {
                "title": s.title,
                "owner": s.owner,
                "kind": s.kind,
                "visibility": s.visibility,
                "blind": s.blind,
                "revealed_at": _time(s.revealed_at),
                "locked": s.locked,
                "created_at": _time(s.created_at),
                "archived_at": _time(s.archived_at),
                "copied_from": s.copied_from,
                "tags": [
                    {
                        "reading": t.reading,
                        "passage": t.passage,
                        "theme": t.theme,
                        "span": list(t.span),
                        "stance": t.stance,
                        "note": t.note,
                        "author": t.author,
                        "created_at": _time(t.created_at),
                        "updated_at": _time(t.updated_at),
                    }
                    for t in s.tags
                ],
                "summaries": [
                    {"reading": x.reading, "theme": x.theme, "text": x.text} for x in s.summaries
                ],
            }
            for s in backup.sets
        ],
    }
