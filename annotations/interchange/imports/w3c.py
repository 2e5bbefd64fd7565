"""Read W3C Web Annotation JSON-LD: a collection (with embedded pages), a page, one
annotation, or a list of annotations. Bodies: purpose "tagging" names a theme, "commenting"
or "describing" (or a bodyValue) is the note, "assessing" with a stance value is the stance.
"""

from __future__ import annotations

import json
import re
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
from readings.importing.limits import LIMITS, Budget, Limits
from readings.importing.normalise import clean_all

# What one JSON import may build: json.loads makes a Python object of every value (an empty
# list of 3 bytes becomes 64), so 40 MB of "[]," once took 1.3 GB. Two million values take at
# most about 200 MB; an export of 30,000 annotations has about 1.5 million.
JSON_LIMITS = Limits(max_elements=2_000_000, max_depth=LIMITS.max_depth)
_STRING_OR_NON_BRACKET = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[^\[\]{}"]+')
_EMPTY_PAIR = re.compile(rb"\[\]|\{\}")
_ESCAPE_TO_CLEAN = re.compile(rb"\\u(?:[dD][89a-fA-F]..|00[01].|00[89].|007[fF]|[fF]{3}[eEfF])")
_RAW_TO_CLEAN = re.compile("[\x7f-\x9f\ufffe\uffff]")


def _check_values(data: bytes, budget: Budget) -> None:
    """Refuse before parsing a file json.loads would make too many objects of. Counted in C:
    every value but the first follows a comma or opens a container (commas and brackets inside
    strings count too, so this is an upper bound)."""
    values = data.count(b",") + data.count(b"[") + data.count(b"{")
    budget.check_elements(values, noun="values (objects, lists, strings and numbers)")


def _check_depth(data: bytes, budget: Budget) -> None:
    """Refuse valid JSON that nests deeper than the budget allows. The brackets outside strings
    are kept (one pass in C), then innermost pairs are peeled, one level a pass: a file nested
    n deep is empty after n passes."""
    brackets = _STRING_OR_NON_BRACKET.sub(b"", data)
    for _ in range(budget.limits.max_depth):
        if not brackets:
            return
        brackets = _EMPTY_PAIR.sub(b"", brackets)
        budget.check()
    if brackets:
        budget.check_depth(budget.limits.max_depth + 1)


def load_json(data: bytes, what: str, budget: Budget | None = None) -> Any:
    check_size(data)
    budget = budget or Budget(JSON_LIMITS, what=f"The {what} file")
    _check_values(data, budget)
    try:
        text = data.decode("utf-8-sig")
        document = json.loads(text)
        budget.check()
        _check_depth(data, budget)  # valid JSON now: its strings all end
        # What no database stores (U+0000, half a UTF-16 pair, other controls) comes in as a
        # \u escape or, for C1 controls and U+FFFE/FFFF, as it is; a file with neither is
        # not walked (the walk over two million values takes 3 s).
        unstorable = _ESCAPE_TO_CLEAN.search(data) or _RAW_TO_CLEAN.search(text)
        return clean_all(document) if unstorable else document
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


def parse_w3c(data: bytes, budget: Budget | None = None) -> ParsedFile:
    label, items = annotations_in(load_json(data, "Web Annotation", budget))
    if len(items) > MAX_ANNOTATIONS:
        raise ImportRejected(f"The file holds more than {MAX_ANNOTATIONS} annotations.")
    parsed = ParsedFile(format="W3C Web Annotation", title=label)
    for index, item in enumerate(items, start=1):
        if budget is not None and index % 1024 == 0:
            budget.check()
        ident = item.get("id") if isinstance(item, dict) else None
        result = read_annotation(item, f"annotation {index}" + (f" ({ident})" if ident else ""))
        if isinstance(result, IncomingTag):
            parsed.tags.append(result)
        else:
            parsed.skipped.append(result)
    return parsed
