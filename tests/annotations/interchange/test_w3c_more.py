"""Reading Web Annotation files of every shape another tool may write, and refusing the rest."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annotations.interchange.imports import w3c
from annotations.interchange.imports.records import ImportRejected, IncomingTag, Orphan
from annotations.interchange.imports.w3c import parse_w3c, read_annotation


def _quote(exact: str = "Trade binds states") -> dict[str, Any]:
    return {"type": "TextQuoteSelector", "exact": exact}


def _annotation(**extra: Any) -> dict[str, Any]:
    return {
        "type": "Annotation",
        "target": {"source": "https://example.org/reading", "selector": _quote()},
        **extra,
    }


def _file(document: Any) -> bytes:
    return json.dumps(document).encode()


def test_a_bare_list_of_annotations_is_read() -> None:
    parsed = parse_w3c(_file([_annotation(id="a1"), _annotation(id="a2")]))
    assert [t.ref for t in parsed.tags] == ["annotation 1 (a1)", "annotation 2 (a2)"]
    assert parsed.title == ""


def test_a_page_takes_its_collections_label() -> None:
    page = {
        "type": "AnnotationPage",
        "partOf": {"type": "AnnotationCollection", "label": "Week 9"},
        "items": [_annotation()],
    }
    parsed = parse_w3c(_file(page))
    assert parsed.title == "Week 9" and len(parsed.tags) == 1


def test_a_single_annotation_is_read_on_its_own() -> None:
    parsed = parse_w3c(_file(_annotation(bodyValue="A fair point.")))
    (tag,) = parsed.tags
    assert tag.quote.exact == "Trade binds states" and tag.note == "A fair point."


@pytest.mark.parametrize("document", ['"just a string"', '{"type": "Dataset"}'])
def test_json_that_holds_no_annotation_is_refused(document: str) -> None:
    with pytest.raises(ImportRejected, match="holds no Web Annotation"):
        parse_w3c(document.encode())


def test_a_collection_that_only_links_its_pages_says_how_to_export_it() -> None:
    collection = {"type": "AnnotationCollection", "first": "https://example.org/page1"}
    with pytest.raises(ImportRejected, match="links to its pages"):
        parse_w3c(_file(collection))


def test_too_many_annotations_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(w3c, "MAX_ANNOTATIONS", 2)
    with pytest.raises(ImportRejected, match="more than 2 annotations"):
        parse_w3c(_file([_annotation()] * 3))


def test_items_that_are_not_annotations_or_quote_nothing_are_listed_with_the_reason() -> None:
    no_selector = {"type": "Annotation", "target": {"source": "https://example.org/reading"}}
    parsed = parse_w3c(_file(["not an object", no_selector]))
    assert parsed.tags == []
    assert [(o.ref, o.reason) for o in parsed.skipped] == [
        ("annotation 1", "It is not an annotation object."),
        ("annotation 2", "Its target has no text quote or text position selector."),
    ]


def test_bodies_give_themes_stance_and_note_and_skip_what_is_empty() -> None:
    annotation = _annotation(
        motivation="commenting",
        body=[
            "a bare string body is not an object",
            {"type": "TextualBody", "value": "   "},
            {"type": "TextualBody", "value": "Trade", "purpose": "tagging"},
            {"type": "TextualBody", "value": "Opposes", "purpose": "assessing"},
            {
                "type": "Choice",
                "items": [{"type": "TextualBody", "value": "Security", "purpose": "classifying"}],
            },
            {"type": "TextualBody", "value": "The author hedges here."},
        ],
        creator=[{"type": "Person", "nickname": "sam", "name": "Sam"}],
    )
    tag = read_annotation(annotation, "annotation 1")
    assert isinstance(tag, IncomingTag)
    assert tag.themes == ("Trade", "Security") and tag.stance == "opposes"
    assert tag.note == "The author hedges here." and tag.author == "sam"


@pytest.mark.parametrize(
    ("creator", "author"),
    [([], ""), ("https://example.org/people/ann", "https://example.org/people/ann")],
)
def test_the_creator_may_be_missing_or_a_plain_iri(creator: Any, author: str) -> None:
    tag = read_annotation(_annotation(creator=creator), "annotation 1")
    assert isinstance(tag, IncomingTag) and tag.author == author


def test_a_target_without_a_source_names_its_own_id_as_the_reading() -> None:
    annotation = _annotation()
    annotation["target"] = {"id": "https://example.org/reading#t", "selector": _quote()}
    tag = read_annotation(annotation, "annotation 1")
    assert isinstance(tag, IncomingTag) and tag.reading.iri == "https://example.org/reading#t"


def test_read_annotation_refuses_what_is_not_an_object() -> None:
    assert read_annotation(["a", "list"], "annotation 9") == Orphan(
        "annotation 9", "", "It is not an annotation object."
    )
