"""CSV of an annotation set's tags: one row per tag, in reading order, for spreadsheets."""

from __future__ import annotations

import csv as csv_module
import io

from annotations.interchange.exports.records import SetRecord, iso

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


def spreadsheet_safe(value: str | int) -> str | int:
    # A cell starting with = + - @ is a formula to spreadsheet programs: quote it as text.
    # Every text cell, user names included (Django allows "-2+3" and "@home").
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return f"'{value}"
    return value


def tags_csv(record: SetRecord) -> bytes:
    buffer = io.StringIO()
    writer = csv_module.writer(buffer)
    writer.writerow(HEADER)
    for tag in record.tags:
        row = [
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
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    # A byte-order mark so that spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
