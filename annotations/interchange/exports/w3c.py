"""W3C Web Annotation Data Model export: an AnnotationCollection and its AnnotationPages.

Each tag is one Annotation (motivation "tagging") whose bodies are TextualBodies: the theme
(purpose "tagging"), the note ("commenting") and the stance ("assessing"). Its target is the
reading, selected twice: a TextQuoteSelector (exact, with CONTEXT code points of prefix and
suffix) and a TextPositionSelector counting code points into the reading's canonical text.
"""

from __future__ import annotations

from typing import Any

from annotations.interchange.exports.records import Person, SetRecord, TagRecord, iso
from annotations.interchange.imports.matching import CONTEXT

CONTEXT_IRI = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
PAGE_SIZE = 100
GENERATOR = {"type": "Software", "name": "Counterpoint"}


def _agent(person: Person) -> dict[str, Any]:
    agent: dict[str, Any] = {"type": "Person", "nickname": person.username}
    if person.name:
        agent["name"] = person.name
    return agent


def annotation(tag: TagRecord) -> dict[str, Any]:
    text = tag.reading.text
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": tag.theme.name}
    ]
    if tag.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": tag.note,
                "format": "text/plain",
            }
        )
    if tag.stance:
        bodies.append({"type": "TextualBody", "purpose": "assessing", "value": tag.stance})
    item: dict[str, Any] = {
        "id": f"urn:uuid:{tag.guid}",
        "type": "Annotation",
        "motivation": "tagging",
        "created": iso(tag.created),
        "modified": iso(tag.modified),
        "body": bodies,
        "target": {
            "type": "SpecificResource",
            "source": {
                "id": tag.reading.iri,
                "type": "Text",
                "format": "text/plain",
                "language": tag.reading.language,
                "canonical": f"urn:sha256:{tag.reading.content_hash}",
            },
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": tag.quote,
                    "prefix": text[max(0, tag.start - CONTEXT) : tag.start],
                    "suffix": text[tag.end : tag.end + CONTEXT],
                },
                {"type": "TextPositionSelector", "start": tag.start, "end": tag.end},
            ],
        },
    }
    if tag.author is not None:
        item["creator"] = _agent(tag.author)
    return item


def _pages(record: SetRecord, page_size: int | None) -> list[list[TagRecord]]:
    if not page_size:
        return [record.tags]
    tags = record.tags
    return [tags[i : i + page_size] for i in range(0, len(tags), page_size)] or [[]]


def _collection_head(record: SetRecord, collection_iri: str) -> dict[str, Any]:
    return {
        "@context": CONTEXT_IRI,
        "id": collection_iri,
        "type": "AnnotationCollection",
        "label": record.title,
        "total": len(record.tags),
        "creator": _agent(record.owner),
        "created": iso(record.created),
        "modified": iso(record.modified),
        "generator": GENERATOR,
    }


def page(
    record: SetRecord,
    number: int,
    *,
    collection_iri: str,
    page_iri: str = "",
    page_size: int | None = PAGE_SIZE,
    embedded: bool = False,
) -> dict[str, Any]:
    """Page `number` (0-based). `page_iri` is a template with {n}; an embedded page has no
    @context of its own (its collection's applies)."""
    pages = _pages(record, page_size)
    if not 0 <= number < len(pages):
        raise IndexError(number)
    items = pages[number]
    start_index = sum(len(p) for p in pages[:number])
    result: dict[str, Any] = {} if embedded else {"@context": CONTEXT_IRI}
    result |= {
        "id": page_iri.format(n=number) if page_iri else f"{collection_iri}#page-{number}",
        "type": "AnnotationPage",
    }
    if not embedded:
        result["partOf"] = {"id": collection_iri, "label": record.title, "total": len(record.tags)}
    result["startIndex"] = start_index
    if page_iri and number + 1 < len(pages):
        result["next"] = page_iri.format(n=number + 1)
    if page_iri and number > 0:
        result["prev"] = page_iri.format(n=number - 1)
    result["items"] = [annotation(tag) for tag in items]
    return result


def collection(
    record: SetRecord, *, collection_iri: str, page_iri: str = "", page_size: int | None = None
) -> dict[str, Any]:
    """The collection. Without `page_size` its one page, holding every annotation, is embedded
    as `first` (a file that can be imported whole); with it, pages are linked by IRI."""
    head = _collection_head(record, collection_iri)
    if not page_size:
        head["first"] = page(
            record, 0, collection_iri=collection_iri, page_size=None, embedded=True
        )
        return head
    count = len(_pages(record, page_size))
    head["first"] = page_iri.format(n=0)
    head["last"] = page_iri.format(n=count - 1)
    return head


def page_count(record: SetRecord, page_size: int = PAGE_SIZE) -> int:
    return len(_pages(record, page_size))
