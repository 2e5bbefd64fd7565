"""CSV of an annotation set's tags: one row per tag, in reading order, for spreadsheets; and the
guard every CSV of the app goes through (`spreadsheet_csv`)."""

from __future__ import annotations

import csv as csv_module
import io
import re
from collections.abc import Iterable, Sequence

from annotations.interchange.exports.records import SetRecord, TagRecord, iso

HEADER = [
    "reading",
    "passage",
    "theme",
    "stance",
    "note",
    "quote",
    "whole_passage",
    "start",
    "end",
    "author",
    "created",
    "modified",
]

# A cell starting with = + - @ is a formula to spreadsheet programs, spaces or a quote before it
# notwithstanding. A spreadsheet whose list separator is not the file's (";" in much of Europe,
# a tab) splits cells there, and a line break starts a row: a trigger after any of these starts
# a formula too. A ' before the trigger makes it text.
_STARTS_A_FORMULA = re.compile(r'^[\t\r]|^\s*"?\s*[=+\-@]')
_FORMULA_AFTER_SEPARATOR = re.compile(r'([,;\t\r\n]\s*"?\s*)(?=[=+\-@])')


def spreadsheet_safe(value: str | int) -> str | int:
    """A cell no spreadsheet runs as a formula, whatever separator it splits the file at.
    Every text cell goes through here, user names included (Django allows "-2+3" and "@home")."""
    if not isinstance(value, str):
        return value
    guarded = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
    return f"'{guarded}" if _STARTS_A_FORMULA.match(value) else guarded


def spreadsheet_csv(rows: Iterable[Sequence[str | int]]) -> bytes:
    """A CSV for spreadsheet programs: every cell through spreadsheet_safe, and a byte-order
    mark so that they read it as UTF-8. Every CSV the app writes is written here."""
    buffer = io.StringIO()
    writer = csv_module.writer(buffer)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def tags_csv(record: SetRecord) -> bytes:
    rows: list[Sequence[str | int]] = [HEADER, *(_row(tag) for tag in record.tags)]
    return spreadsheet_csv(rows)


def _row(tag: TagRecord) -> list[str | int]:
    return [
        tag.reading.title,
        tag.passage_label,
        tag.theme.name,
        tag.stance,
        tag.note,
        tag.quote,
        "yes" if tag.whole_passage else "no",
        tag.start,
        tag.end,
        tag.author.username if tag.author else "",
        iso(tag.created),
        iso(tag.modified),
    ]
