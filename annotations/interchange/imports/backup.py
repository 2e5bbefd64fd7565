"""Read and check a seminar backup (annotations.interchange.exports.backup) before anything is
written, into the typed record of annotations/interchange/backup_records.py.

Every reference inside the file is checked here, so a restore either writes all of it or
refuses it with a message that says what is wrong and where. What the codebook's own form
checks of a theme (name, colour, slug) the restore checks with that form.

Both versions of the file are read: version 1 names a tag's or summary's reading by its
content hash and has no picks, no readings that left the seminar and no positions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import date
from typing import Any

from annotations.interchange.backup_records import (
    FORMAT,
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
)
from annotations.interchange.imports.records import ImportRejected, parse_time
from annotations.interchange.imports.w3c import JSON_LIMITS, load_json
from annotations.stances import NO_STANCE, STANCES
from readings.importing.limits import Budget

VERSIONS = {1, 2}
KINDS = {"front_matter", "heading", "paragraph", "list_item", "pull_quote", "not_text"}
ROLES = {"instructor", "assistant", "student"}
SET_KINDS = {"key", "student", "reference"}
VISIBILITIES = {"private", "seminar", "published"}
# A restore writes every row in one request: about 0.1 ms a row, so at most a few seconds. A
# seminar of ten readings and thirty students holds a few thousand of each.
MAX_ROWS = {"readings": 200, "passages": 20_000, "themes": 2_000, "sets": 2_000, "tags": 20_000}


def _need(condition: bool, where: str, what: str) -> None:
    if not condition:
        raise ImportRejected(f"The backup is damaged: {where} {what}.")


def _object(value: Any, where: str) -> dict[str, Any]:
    _need(isinstance(value, dict), where, "is not an object")
    return dict(value)


def _list(item: dict[str, Any], key: str, where: str) -> list[Any]:
    value = item.get(key, [])
    _need(isinstance(value, list), where, f"has no list of {key}")
    return list(value)


def _text(item: dict[str, Any], key: str, where: str, *, blank: bool = True) -> str:
    value = item.get(key, "")
    _need(isinstance(value, str), where, f"has no text “{key}”")
    text = str(value)
    _need(blank or bool(text.strip()), where, f"has an empty “{key}”")
    return text


def _name(item: dict[str, Any], key: str, where: str) -> str | None:
    """A username that may be missing (an account deleted since)."""
    value = item.get(key)
    _need(value is None or (isinstance(value, str) and bool(value)), where, f"has a bad “{key}”")
    return str(value) if value is not None else None


def _one_of(value: Any, allowed: Collection[str]) -> bool:
    # A list or an object where a word belongs cannot even be looked up: damaged too.
    return isinstance(value, str) and value in allowed


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _count(item: dict[str, Any], key: str, where: str, default: int = 0) -> int:
    value = item.get(key, default)
    _need(_int(value), where, f"has a bad number “{key}”")
    return int(value)


def _flag(item: dict[str, Any], key: str, where: str, default: bool) -> bool:
    value = item.get(key, default)
    _need(isinstance(value, bool), where, f"has a bad “{key}”")
    return bool(value)


def _time(item: dict[str, Any], key: str, where: str) -> Any:
    value = item.get(key)
    moment = parse_time(value)
    _need(value is None or moment is not None, where, f"has a bad time “{key}”")
    return moment


def _date(item: dict[str, Any], key: str, where: str) -> date | None:
    value = item.get(key)
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        pass
    raise ImportRejected(f"The backup is damaged: {where} has a bad date “{key}”.")


def _index(value: Any, size: int) -> int | None:
    return int(value) if _int(value) and value < size else None


def _place(value: Any, size: int, where: str, what: str) -> int:
    """`value` as an index into a list of `size`, or the file is refused with `what`."""
    index = _index(value, size)
    if index is None:
        raise ImportRejected(f"The backup is damaged: {where} {what}.")
    return index


def _check_counts(backup: dict[str, Any], max_rows: dict[str, int]) -> None:
    counts = {
        "readings": len(backup["readings"]),
        "passages": sum(len(r.get("passages") or ()) for r in _dicts(backup["readings"])),
        "themes": len(backup["themes"]),
        "sets": len(backup["sets"]),
        "tags": sum(len(s.get("tags") or ()) for s in _dicts(backup["sets"])),
    }
    for name, count in counts.items():
        if count > max_rows[name]:
            raise ImportRejected(
                f"The backup holds {count:,} {name}; a restore on the web may write at most "
                f"{max_rows[name]:,}. The server's administrator can restore it with "
                "“manage.py import_seminar”, which has no such limit."
            )


def _dicts(items: list[Any]) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)]


def parse_backup(
    data: bytes, *, max_rows: dict[str, int] | None = MAX_ROWS, budget: Budget | None = None
) -> Backup:
    """The backup in `data`, checked whole, or ImportRejected saying what is wrong. A web
    restore is bounded by `max_rows`; the management command passes None."""
    budget = budget or Budget(JSON_LIMITS, what="The seminar backup")
    raw = load_json(data, "seminar backup", budget)
    _need(isinstance(raw, dict) and raw.get("format") == FORMAT, "the file", "is not one")
    version = raw.get("version")
    _need(version in VERSIONS, "the file", "has a version this Counterpoint cannot read")
    seminar = _object(raw.get("seminar"), "the seminar")
    for key in ("members", "readings", "themes", "sets"):
        _need(isinstance(raw.get(key), list), "the file", f"has no list of {key}")
    if max_rows is not None:
        _check_counts(raw, max_rows)

    readings = tuple(_reading(item, i, version, budget) for i, item in enumerate(raw["readings"]))
    if version == 1:
        # Version 1 names readings by their text's hash.
        by_hash = {r.content_hash: i for i, r in enumerate(readings)}

        def reading_of(value: Any) -> int | None:
            return by_hash.get(value) if isinstance(value, str) else None
    else:

        def reading_of(value: Any) -> int | None:
            return _index(value, len(readings))

    def reading_at(item: dict[str, Any], at: str) -> int:
        reading = reading_of(item.get("reading"))
        if reading is None:
            raise ImportRejected(
                f"The backup is damaged: {at} is on a reading the backup does not hold."
            )
        return reading

    def passage_of(item: dict[str, Any], at: str) -> tuple[int, int]:
        reading = reading_at(item, at)
        size = len(readings[reading].passages)
        return reading, _place(item.get("passage"), size, at, "is on a passage that is not there")

    themes_raw = list(raw["themes"])
    themes = []
    for i, item in enumerate(themes_raw):
        where = f"theme {i + 1}"
        item = _object(item, where)
        merged = item.get("merged_into")
        _need(
            merged is None or _index(merged, len(themes_raw)) is not None,
            where,
            "merges into nothing",
        )
        picks = []
        seen_picks: set[tuple[int, int]] = set()
        for j, pick in enumerate(_list(item, "picks", where)):
            at = f"{where}, pick {j + 1},"
            pick = _object(pick, at)
            place = passage_of(pick, at)
            _need(place not in seen_picks, at, "repeats another pick")
            seen_picks.add(place)
            picks.append(
                BackupPick(
                    reading=place[0],
                    passage=place[1],
                    added_by=_name(pick, "added_by", at),
                    created_at=_time(pick, "created_at", at),
                )
            )
        themes.append(
            BackupTheme(
                name=_text(item, "name", where, blank=False),
                colour=_text(item, "colour", where, blank=False),
                slug=_text(item, "slug", where),
                position=_count(item, "position", where, default=i),
                description=_text(item, "description", where),
                guiding_question=_text(item, "guiding_question", where),
                retired_at=_time(item, "retired_at", where),
                merged_into=None if merged is None else int(merged),
                picks=tuple(picks),
            )
        )

    sets_raw = list(raw["sets"])
    sets = []
    for i, item in enumerate(sets_raw):
        budget.check()
        where = f"set {i + 1}"
        item = _object(item, where)
        copied = item.get("copied_from")
        _need(
            copied is None or _index(copied, len(sets_raw)) is not None,
            where,
            "is a copy of a set the backup does not hold",
        )
        _need(_one_of(item.get("kind"), SET_KINDS), where, "has an unknown kind")
        _need(_one_of(item.get("visibility"), VISIBILITIES), where, "has an unknown visibility")
        tags = []
        seen_tags: set[tuple[int, ...]] = set()
        for j, tag in enumerate(_list(item, "tags", where)):
            at = f"{where}, tag {j + 1},"
            tag = _object(tag, at)
            reading, position = passage_of(tag, at)
            theme = _place(tag.get("theme"), len(themes), at, "has no theme")
            span: Any = tag.get("span", [0, 0])
            passage = readings[reading].passages[position]
            _need(
                isinstance(span, list)
                and len(span) == 2
                and all(_int(x) for x in span)
                and (span == [0, 0] or span[0] < span[1] <= passage.end - passage.start),
                at,
                "has a span outside its passage",
            )
            _need(
                _one_of(tag.get("stance", NO_STANCE), {NO_STANCE, *STANCES}),
                at,
                "has an unknown stance",
            )
            tag_key = (reading, position, theme, int(span[0]), int(span[1]))
            _need(tag_key not in seen_tags, at, "repeats another tag")
            seen_tags.add(tag_key)
            tags.append(
                BackupTag(
                    reading=reading,
                    passage=position,
                    theme=theme,
                    span=(int(span[0]), int(span[1])),
                    stance=_text(tag, "stance", at),
                    note=_text(tag, "note", at),
                    author=_name(tag, "author", at),
                    created_at=_time(tag, "created_at", at),
                    updated_at=_time(tag, "updated_at", at),
                )
            )
        summaries = []
        seen_summaries: set[tuple[int, int]] = set()
        for j, summary in enumerate(_list(item, "summaries", where)):
            at = f"{where}, summary {j + 1},"
            summary = _object(summary, at)
            reading = reading_at(summary, at)
            theme = _place(summary.get("theme"), len(themes), at, "has no theme")
            _need((reading, theme) not in seen_summaries, at, "repeats another summary")
            seen_summaries.add((reading, theme))
            summaries.append(
                BackupSummary(
                    reading=reading, theme=theme, text=_text(summary, "text", at, blank=False)
                )
            )
        sets.append(
            BackupSet(
                title=_text(item, "title", where, blank=False),
                owner=_text(item, "owner", where, blank=False),
                kind=str(item["kind"]),
                visibility=str(item["visibility"]),
                blind=_flag(item, "blind", where, True),
                revealed_at=_time(item, "revealed_at", where),
                locked=_flag(item, "locked", where, False),
                created_at=_time(item, "created_at", where),
                archived_at=_time(item, "archived_at", where),
                copied_from=None if copied is None else int(copied),
                tags=tuple(tags),
                summaries=tuple(summaries),
            )
        )

    members = []
    for i, member in enumerate(raw["members"]):
        where = f"member {i + 1}"
        member = _object(member, where)
        _need(_one_of(member.get("role"), ROLES), where, "has an unknown role")
        members.append(
            BackupMember(
                username=_text(member, "username", where, blank=False),
                role=str(member["role"]),
                first_name=_text(member, "first_name", where),
                last_name=_text(member, "last_name", where),
                email=_text(member, "email", where),
            )
        )

    return Backup(
        seminar=BackupSeminar(
            title=_text(seminar, "title", "the seminar", blank=False),
            description=_text(seminar, "description", "the seminar"),
            term=_text(seminar, "term", "the seminar"),
            created_by=_name(seminar, "created_by", "the seminar"),
            archived_at=_time(seminar, "archived_at", "the seminar"),
        ),
        members=tuple(members),
        readings=readings,
        themes=tuple(themes),
        sets=tuple(sets),
        exported_at=parse_time(raw.get("exported_at")),
    )


def _reading(value: Any, index: int, version: int, budget: Budget) -> BackupReading:
    budget.check()
    where = f"reading {index + 1}"
    item = _object(value, where)
    text = _text(item, "text", where, blank=False)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _need(item.get("content_hash") == digest, where, "has a text that does not match its hash")
    raw_passages = _list(item, "passages", where)
    _need(bool(raw_passages), where, "has no passages")
    passages = []
    previous_end = 0
    numbers: set[int] = set()  # a note's number is unique in its reading
    for j, passage in enumerate(raw_passages):
        at = f"{where}, passage {j + 1},"
        passage = _object(passage, at)
        _need(passage.get("position") == j, at, "is out of order")
        _need(_one_of(passage.get("kind"), KINDS), at, "has an unknown kind")
        start: Any = passage.get("start")
        end: Any = passage.get("end")
        _need(
            _int(start) and _int(end) and previous_end <= start < end <= len(text),
            at,
            "has offsets outside the text or overlapping the one before",
        )
        previous_end = end
        emphasis = _list(passage, "emphasis", at)
        _need(
            all(isinstance(s, list) and len(s) == 2 and all(_int(x) for x in s) for s in emphasis),
            at,
            "has emphasis that is not pairs of offsets",
        )
        passage_notes = []
        for k, note in enumerate(_list(passage, "notes", at)):
            where_note = f"{at} note {k + 1}"
            note = _object(note, where_note)
            number: Any = note.get("number")
            _need(_int(number) and number >= 1, where_note, "has no number from 1 up")
            _need(number not in numbers, where_note, "repeats the number of another note")
            numbers.add(number)
            passage_notes.append((int(number), _text(note, "text", where_note, blank=False)))
        passages.append(
            BackupPassage(
                position=j,
                kind=str(passage["kind"]),
                start=int(start),
                end=int(end),
                label=_text(passage, "label", at, blank=False),
                anchor=_text(passage, "anchor", at, blank=False),
                section=_text(passage, "section", at),
                word_count=_count(passage, "word_count", at),
                emphasis=tuple((int(s[0]), int(s[1])) for s in emphasis),
                notes=tuple(passage_notes),
            )
        )
    authors = _list(item, "authors", where)
    _need(all(isinstance(a, str) for a in authors), where, "has authors that are not names")
    # Version 1 holds only the seminar's readings, in order; version 2 gives each its column,
    # or None for one that has left the seminar.
    position = item.get("position", index) if version > 1 else index
    _need(position is None or _int(position), where, "has a bad position")
    return BackupReading(
        content_hash=digest,
        title=_text(item, "title", where, blank=False),
        text=text,
        passages=tuple(passages),
        position=None if position is None else int(position),
        owner=_name(item, "owner", where),
        subtitle=_text(item, "subtitle", where),
        authors=tuple(str(a) for a in authors),
        publication=_text(item, "publication", where),
        published=_text(item, "published", where),
        source_note=_text(item, "source_note", where),
        language=_text(item, "language", where) or "en",
        original_filename=_text(item, "original_filename", where),
        original_format=_text(item, "original_format", where) or "txt",
        due_date=_date(item, "due_date", where),
        ocr_engine=_text(item, "ocr_engine", where),  # absent from backups made before it
    )
