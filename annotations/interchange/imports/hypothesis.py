"""Read Hypothesis annotations: the API's search result ({"total", "rows"}), a list, or one.

Hypothesis selectors are W3C TextQuote and TextPosition selectors; its RangeSelector is not
the W3C one (it names XPaths into the page's DOM) and is ignored. Positions count characters
of the web page's text, so they are only trusted where the quote confirms them. Tags name
themes; the annotation's text is the note. Replies and page notes have no quote: skipped.
"""

from __future__ import annotations

from typing import Any

from annotations.interchange.imports.records import (
    MAX_ANNOTATIONS,
    ImportRejected,
    IncomingTag,
    Orphan,
    ParsedFile,
    ReadingHint,
    parse_time,
)
from annotations.interchange.imports.w3c import load_json, quote_from_selectors
from readings.importing.limits import Budget


def _rows(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        rows = document.get("rows")
        if isinstance(rows, list):
            return rows
        if "target" in document and "uri" in document:
            return [document]
    raise ImportRejected("This JSON is not Hypothesis annotations (no “rows” of annotations).")


def _list(value: Any) -> list[Any]:
    """A list the file should hold here, or none: "target": 319 is a damaged annotation."""
    return value if isinstance(value, list) else []


def _user(value: Any) -> str:
    user = str(value or "")
    return user.removeprefix("acct:").split("@", 1)[0]


def parse_hypothesis(data: bytes, budget: Budget | None = None) -> ParsedFile:
    rows = _rows(load_json(data, "Hypothesis", budget))
    if len(rows) > MAX_ANNOTATIONS:
        raise ImportRejected(f"The file holds more than {MAX_ANNOTATIONS} annotations.")
    parsed = ParsedFile(format="Hypothesis")
    for index, row in enumerate(rows, start=1):
        if budget is not None and index % 1024 == 0:
            budget.check()
        if not isinstance(row, dict):
            parsed.skipped.append(Orphan(f"row {index}", "", "It is not an annotation object."))
            continue
        ref = f"annotation {row.get('id') or index}"
        if row.get("references"):
            parsed.skipped.append(Orphan(ref, "", "A reply to another annotation, not a quote."))
            continue
        quote = None
        for target in _list(row.get("target")):
            if isinstance(target, dict):
                selectors = [s for s in _list(target.get("selector")) if isinstance(s, dict)]
                candidate = quote_from_selectors(selectors)
                if candidate.exact or candidate.start is not None:
                    quote = candidate
                    break
        if quote is None:
            parsed.skipped.append(Orphan(ref, "", "A page note: it quotes no text."))
            continue
        raw_tags = row.get("tags")
        tags = raw_tags if isinstance(raw_tags, list) else []
        parsed.tags.append(
            IncomingTag(
                ref=ref,
                quote=quote,
                reading=ReadingHint(iri=str(row.get("uri") or "")),
                themes=tuple(str(t).strip() for t in tags if str(t).strip()),
                note=str(row.get("text") or "").strip(),
                author=_user(row.get("user")),
                created=parse_time(row.get("created")),
                modified=parse_time(row.get("updated")),
            )
        )
    return parsed
