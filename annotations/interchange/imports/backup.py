"""Read and check a seminar backup (annotations.interchange.exports.backup) before anything is
written.

Every reference inside the file is checked here, so a restore either writes all of it or
refuses it with a message that says what is wrong and where.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, cast

from annotations.interchange.imports.records import ImportRejected, parse_time
from annotations.interchange.imports.w3c import JSON_LIMITS, load_json
from readings.importing.limits import Budget

FORMAT = "counterpoint-seminar-backup"
KINDS = {"front_matter", "heading", "paragraph", "list_item", "pull_quote"}
STANCES = {"", "supports", "opposes", "qualifies"}
ROLES = {"instructor", "student"}
SET_KINDS = {"key", "student"}
VISIBILITIES = {"private", "seminar", "published"}
_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
# A restore writes every row in one request: about 0.1 ms a row, so at most a few seconds. A
# seminar of ten readings and thirty students holds a few thousand of each.
MAX_ROWS = {"readings": 200, "passages": 20_000, "themes": 2_000, "sets": 2_000, "tags": 20_000}


def _need(condition: bool, where: str, what: str) -> None:
    if not condition:
        raise ImportRejected(f"The backup is damaged: {where} {what}.")


def _text(item: dict[str, Any], key: str, where: str, *, blank: bool = True) -> str:
    value: str = item.get(key, "")  # checked just below
    _need(isinstance(value, str), where, f"has no text “{key}”")
    _need(blank or bool(value.strip()), where, f"has an empty “{key}”")
    return value


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _time(item: dict[str, Any], key: str, where: str) -> None:
    value = item.get(key)
    _need(value is None or parse_time(value) is not None, where, f"has a bad time “{key}”")


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
) -> dict[str, Any]:
    budget = budget or Budget(JSON_LIMITS, what="The seminar backup")
    backup = load_json(data, "seminar backup", budget)
    _need(isinstance(backup, dict) and backup.get("format") == FORMAT, "the file", "is not one")
    _need(backup.get("version") == 1, "the file", "has a version this Counterpoint cannot read")
    seminar = backup.get("seminar")
    _need(isinstance(seminar, dict), "the file", "has no seminar")
    _text(seminar, "title", "the seminar", blank=False)
    for key in ("members", "readings", "themes", "sets"):
        _need(isinstance(backup.get(key), list), "the file", f"has no list of {key}")
    if max_rows is not None:
        _check_counts(backup, max_rows)

    for i, member in enumerate(backup["members"], start=1):
        where = f"member {i}"
        _need(isinstance(member, dict), where, "is not an object")
        _text(member, "username", where, blank=False)
        _need(member.get("role") in ROLES, where, "has an unknown role")

    passages: dict[str, list[dict[str, Any]]] = {}
    for i, reading in enumerate(backup["readings"], start=1):
        budget.check()
        where = f"reading {i}"
        _need(isinstance(reading, dict), where, "is not an object")
        _text(reading, "title", where, blank=False)
        text = _text(reading, "text", where, blank=False)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        _need(
            reading.get("content_hash") == digest, where, "has a text that does not match its hash"
        )
        _need(
            isinstance(reading.get("passages"), list) and reading["passages"],
            where,
            "has no passages",
        )
        previous_end = 0
        for j, passage in enumerate(reading["passages"]):
            at = f"{where}, passage {j + 1},"
            _need(isinstance(passage, dict), at, "is not an object")
            _need(passage.get("position") == j, at, "is out of order")
            _need(passage.get("kind") in KINDS, at, "has an unknown kind")
            start, end = passage.get("start"), passage.get("end")
            _need(
                _int(start) and _int(end) and previous_end <= start < end <= len(text),
                at,
                "has offsets outside the text or overlapping the one before",
            )
            previous_end = end
            for key in ("label", "anchor"):
                _text(passage, key, at, blank=False)
        passages[digest] = reading["passages"]

    themes = backup["themes"]
    for i, theme in enumerate(themes, start=1):
        where = f"theme {i}"
        _need(isinstance(theme, dict), where, "is not an object")
        _text(theme, "name", where, blank=False)
        _need(bool(_COLOUR.match(str(theme.get("colour", "")))), where, "has a bad colour")
        _time(theme, "retired_at", where)
        merged = theme.get("merged_into")
        _need(
            merged is None or (_int(merged) and merged < len(themes)), where, "merges into nothing"
        )

    texts = {r["content_hash"]: r["text"] for r in backup["readings"]}
    for i, item in enumerate(backup["sets"], start=1):
        budget.check()
        where = f"set {i}"
        _need(isinstance(item, dict), where, "is not an object")
        _text(item, "title", where, blank=False)
        _text(item, "owner", where, blank=False)
        _need(item.get("kind") in SET_KINDS, where, "has an unknown kind")
        _need(item.get("visibility") in VISIBILITIES, where, "has an unknown visibility")
        _time(item, "revealed_at", where)
        _time(item, "created_at", where)
        copied = item.get("copied_from")
        _need(
            copied is None or (_int(copied) and copied < len(backup["sets"])),
            where,
            "is a copy of a set the backup does not hold",
        )
        _need(isinstance(item.get("tags", []), list), where, "has no list of tags")
        seen: set[tuple[Any, ...]] = set()
        for j, tag in enumerate(item.get("tags", []), start=1):
            at = f"{where}, tag {j},"
            _need(isinstance(tag, dict), at, "is not an object")
            _need(tag.get("reading") in passages, at, "is on a reading the backup does not hold")
            listed = passages[tag["reading"]]
            position = tag.get("passage")
            _need(
                _int(position) and position < len(listed), at, "is on a passage that is not there"
            )
            _need(_int(tag.get("theme")) and tag["theme"] < len(themes), at, "has no theme")
            span = tag.get("span")
            size = listed[position]["end"] - listed[position]["start"]
            _need(
                isinstance(span, list)
                and len(span) == 2
                and all(_int(x) for x in span)
                and (span == [0, 0] or span[0] < span[1] <= size),
                at,
                "has a span outside its passage",
            )
            _need(tag.get("stance", "") in STANCES, at, "has an unknown stance")
            _text(tag, "note", at)
            _time(tag, "created_at", at)
            _time(tag, "updated_at", at)
            tag_key = (tag["reading"], position, tag["theme"], *span)
            _need(tag_key not in seen, at, "repeats another tag")
            seen.add(tag_key)
        for j, summary in enumerate(item.get("summaries", []), start=1):
            at = f"{where}, summary {j},"
            _need(isinstance(summary, dict), at, "is not an object")
            _need(summary.get("reading") in texts, at, "is on a reading the backup does not hold")
            _need(_int(summary.get("theme")) and summary["theme"] < len(themes), at, "has no theme")
            _text(summary, "text", at, blank=False)
    return cast(dict[str, Any], backup)  # its shape checked above
