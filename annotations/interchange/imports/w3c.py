"""Read W3C Web Annotation JSON-LD: a collection (with embedded pages), a page, one
annotation, or a list of annotations. Bodies: purpose "tagging" names a theme, "commenting"
or "describing" (or a bodyValue) is the note, "assessing" with a stance value is the stance.
"""

from __future__ import annotations

import json
from typing import Any

from annotations.interchange.imports.matching import Quote
from annotations.interchange.imports.records import (
    MAX_ANNOTATIONS,
    ImportRejected,
    IncomingTag,
    Orphan,
    ParsedFile,
    ReadingHint,
    check_size,
    parse_time,
)
from annotations.stances import STANCES
from readings.importing.normalise import clean_all


def load_json(data: bytes, what: str) -> Any:
    check_size(data)
    try:
        # JSON may escape U+0000 or half a UTF-16 pair ("\\ud800"): no database stores them.
        return clean_all(json.loads(data.decode("utf-8-sig")))
    except UnicodeDecodeError as error:
        raise ImportRejected(f"This is not a {what} file: it is not UTF-8 text.") from error
    except RecursionError as error:
        raise ImportRejected(f"This is not a {what} file: it is nested too deeply.") from error
    except json.JSONDecodeError as error:
        raise ImportRejected(
            f"This is not a {what} file: the JSON is malformed at line {error.lineno}, "
            f"column {error.colno} ({error.msg})."
        ) from error


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(node: Any) -> set[str]:
    return {str(t) for t in _as_list(node.get("type"))} if isinstance(node, dict) else set()


def annotations_in(document: Any) -> tuple[str, list[Any]]:
    """The collection's label and its annotations, wherever the document keeps them."""
    if isinstance(document, list):
        return "", document
    if not isinstance(document, dict):
        raise ImportRejected("This JSON holds no Web Annotation, page or collection.")
    kinds = _types(document)
    if "AnnotationCollection" in kinds:
        items, page, seen = [], document.get("first"), 0
        while isinstance(page, dict) and seen < 10_000:
            items.extend(_as_list(page.get("items")))
            page, seen = page.get("next"), seen + 1
        if isinstance(document.get("first"), str) and not items:
            raise ImportRejected(
                "This collection links to its pages instead of holding them: download the "
                "pages and import each one, or export the collection as a single file."
            )
        return str(document.get("label") or ""), items
    if "AnnotationPage" in kinds:
        part_of = document.get("partOf")
        label = part_of.get("label", "") if isinstance(part_of, dict) else ""
        return str(label or ""), _as_list(document.get("items"))
    if "Annotation" in kinds or "target" in document:
        return "", [document]
    raise ImportRejected("This JSON holds no Web Annotation, page or collection.")


def _text_of(body: Any) -> str:
    # Kept as written (a note's spaces and line ends are part of it); blank means none.
    value = body.get("value") if isinstance(body, dict) else None
    return value if isinstance(value, str) and value.strip() else ""


def _selectors(target: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for selector in _as_list(target.get("selector")):
        while isinstance(selector, dict):
            found.append(selector)
            selector = selector.get("refinedBy")
    return found


def quote_from_selectors(selectors: list[dict[str, Any]]) -> Quote:
    exact = prefix = suffix = ""
    start = end = None
    for selector in selectors:
        kinds = _types(selector)
        if "TextQuoteSelector" in kinds and not exact:
            exact = str(selector.get("exact") or "")
            prefix = str(selector.get("prefix") or "")
            suffix = str(selector.get("suffix") or "")
        elif "TextPositionSelector" in kinds and start is None:
            s, e = selector.get("start"), selector.get("end")
            if isinstance(s, int) and isinstance(e, int) and 0 <= s < e:
                start, end = s, e
    return Quote(exact=exact, prefix=prefix, suffix=suffix, start=start, end=end)


def _source_hint(target: dict[str, Any]) -> ReadingHint:
    source = target.get("source")
    if isinstance(source, str):
        return ReadingHint(iri=source)
    if isinstance(source, dict):
        canonical = str(source.get("canonical") or "")
        digest = (
            canonical.removeprefix("urn:sha256:") if canonical.startswith("urn:sha256:") else ""
        )
        return ReadingHint(
            iri=str(source.get("id") or ""),
            content_hash=digest,
            title=str(source.get("title") or ""),
        )
    return ReadingHint(iri=str(target.get("id") or ""))


def _creator(annotation: dict[str, Any]) -> str:
    creator = annotation.get("creator")
    if isinstance(creator, list):
        creator = creator[0] if creator else None
    if isinstance(creator, dict):
        return str(creator.get("nickname") or creator.get("name") or creator.get("id") or "")
    return str(creator or "")


def read_annotation(annotation: Any, ref: str) -> IncomingTag | Orphan:
    if not isinstance(annotation, dict):
        return Orphan(ref, "", "It is not an annotation object.")
    themes, notes, stance = [], [], ""
    motivations = {str(m) for m in _as_list(annotation.get("motivation"))}
    if isinstance(annotation.get("bodyValue"), str):
        notes.append(annotation["bodyValue"])
    for body in _as_list(annotation.get("body")):
        if not isinstance(body, dict):
            continue
        for choice in _as_list(body.get("items")) if "Choice" in _types(body) else [body]:
            value = _text_of(choice)
            if not value:
                continue
            purposes = {str(p) for p in _as_list(choice.get("purpose"))} or motivations
            if "assessing" in purposes and value.lower() in STANCES:
                stance = stance or value.lower()
            elif "tagging" in purposes or "classifying" in purposes:
                themes.append(value.strip())
            else:
                notes.append(value)
    targets = [t for t in _as_list(annotation.get("target")) if isinstance(t, dict)]
    for target in targets:
        quote = quote_from_selectors(_selectors(target))
        if quote.exact or quote.start is not None:
            return IncomingTag(
                ref=ref,
                quote=quote,
                reading=_source_hint(target),
                themes=tuple(dict.fromkeys(themes)),
                stance=stance,
                note="\n\n".join(n for n in notes if n.strip()),
                author=_creator(annotation),
                created=parse_time(annotation.get("created")),
                modified=parse_time(annotation.get("modified")),
            )
    return Orphan(ref, "", "Its target has no text quote or text position selector.")


def parse_w3c(data: bytes) -> ParsedFile:
    label, items = annotations_in(load_json(data, "Web Annotation"))
    if len(items) > MAX_ANNOTATIONS:
        raise ImportRejected(f"The file holds more than {MAX_ANNOTATIONS} annotations.")
    parsed = ParsedFile(format="W3C Web Annotation", title=label)
    for index, item in enumerate(items, start=1):
        ident = item.get("id") if isinstance(item, dict) else None
        result = read_annotation(item, f"annotation {index}" + (f" ({ident})" if ident else ""))
        if isinstance(result, IncomingTag):
            parsed.tags.append(result)
        else:
            parsed.skipped.append(result)
    return parsed
