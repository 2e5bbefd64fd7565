"""Hypothesis (the annotation tool) samples: quotes found, or listed as orphans with reasons;
exports of every shape: the API's {"rows": [...]}, a bare list, one annotation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annotations.interchange.imports import hypothesis
from annotations.interchange.imports.hypothesis import parse_hypothesis
from annotations.interchange.imports.records import ImportRejected
from annotations.interchange.services import annotation_set_import
from annotations.models import AnnotationSet, Tag
from tests.annotations.interchange.w3c_suite import STANDARDS
from tests.factories import DocumentFactory, seminar_world

CLIENT = STANDARDS / "hypothesis" / "client"
pytestmark = pytest.mark.django_db


def test_minimal_sample_finds_its_quote_despite_the_pages_positions() -> None:
    world = seminar_world()
    # The sample's page text is "One Two Three"; its positions count the page, not our reading.
    document = DocumentFactory(source="Counting\n\nZero. One Two Three. Four.\n")
    world.seminar.seminar_readings.create(document=document, position=5)
    parsed = parse_hypothesis((CLIENT / "minimal.json").read_bytes())
    report = annotation_set_import(
        seminar=world.seminar,
        owner=world.student,
        title="H",
        parsed=parsed,
        default_theme=world.themes[0],
    )
    assert report.orphans == []
    tag = Tag.objects.get(annotation_set=report.annotation_set)
    assert tag.passage.text[tag.span_start : tag.span_end] == "Two"


def test_wikipedia_sample_lists_every_annotation_as_an_orphan_with_its_reason() -> None:
    world = seminar_world()
    data = (CLIENT / "wikipedia-regression-testing.json").read_bytes()
    rows = json.loads(data)["rows"]
    report = annotation_set_import(
        seminar=world.seminar,
        owner=world.student,
        title="W",
        parsed=parse_hypothesis(data),
        default_theme=world.themes[0],
    )
    assert report.imported == 0
    assert len(report.orphans) == len(rows)
    assert all("not found" in o.reason for o in report.orphans)
    assert {o.quote for o in report.orphans} >= {"11 November 2016"}


def test_wikipedia_quotes_are_found_when_the_reading_holds_them() -> None:
    world = seminar_world()
    data = (CLIENT / "wikipedia-regression-testing.json").read_bytes()
    quotes = [t.quote for t in parse_hypothesis(data).tags]
    source = "\n\n".join(f"{q.prefix.strip()} {q.exact} {q.suffix.strip()}" for q in quotes)
    document = DocumentFactory(source=source)
    world.seminar.seminar_readings.create(document=document, position=5)
    report = annotation_set_import(
        seminar=world.seminar,
        owner=world.student,
        title="W",
        parsed=parse_hypothesis(data),
        default_theme=world.themes[1],
    )
    found = {
        t.passage.text[t.span_start : t.span_end] if t.span_end else t.passage.text
        for t in Tag.objects.filter(annotation_set=report.annotation_set).select_related("passage")
    }
    orphans = {o.quote for o in report.orphans}
    # Each quote is either found (exactly as quoted) or an orphan with a reason.
    assert {q.exact for q in quotes} == found | orphans
    assert report.imported >= 1


def test_tags_name_themes_and_text_is_the_note() -> None:
    world = seminar_world()
    document = world.documents[0]
    passage = document.passages.filter(kind="paragraph").first()
    assert passage is not None
    row = {
        "id": "abc",
        "uri": "https://example.org/page",
        "user": "acct:sam@hypothes.is",
        "text": "A fair point.",
        "tags": ["trade", "unknown tag"],
        "target": [{"selector": [{"type": "TextQuoteSelector", "exact": passage.text[4:20]}]}],
    }
    report = annotation_set_import(
        seminar=world.seminar,
        owner=world.student,
        title="T",
        parsed=parse_hypothesis(json.dumps({"total": 1, "rows": [row]}).encode()),
    )
    tag = Tag.objects.get(annotation_set=report.annotation_set)
    assert (tag.theme.name, tag.note, tag.span_start, tag.span_end) == (
        "Trade",
        "A fair point.",
        4,
        20,
    )
    assert [o.reason for o in report.orphans] == [
        "The codebook has no theme called “unknown tag” (only instructors add themes)."
    ]


def test_replies_and_page_notes_are_listed_not_dropped() -> None:
    rows = [
        {"id": "r", "uri": "u", "references": ["x"], "target": [{"source": "u"}]},
        {"id": "p", "uri": "u", "target": [{"source": "u"}]},
    ]
    parsed = parse_hypothesis(json.dumps({"rows": rows}).encode())
    assert parsed.tags == [] and len(parsed.skipped) == 2


@pytest.mark.parametrize(
    "data", [b"{", b'{"total": 1}', "ü".encode("latin-1"), b"[" * 200_000 + b"]" * 200_000]
)
def test_malformed_hypothesis_files_are_refused(data: bytes) -> None:
    before = AnnotationSet.objects.count()
    with pytest.raises(ImportRejected):
        parse_hypothesis(data)
    assert AnnotationSet.objects.count() == before


# Every shape of export -----------------------------------------------------------------------


def _row(ident: str, exact: str = "Trade binds states") -> dict[str, Any]:
    return {
        "id": ident,
        "uri": "https://example.org/reading",
        "user": "acct:sam@hypothes.is",
        "target": [{"selector": [{"type": "TextQuoteSelector", "exact": exact}]}],
    }


def test_a_bare_list_of_rows_is_read() -> None:
    parsed = parse_hypothesis(json.dumps([_row("a"), _row("b")]).encode())
    assert [t.ref for t in parsed.tags] == ["annotation a", "annotation b"]
    assert {t.author for t in parsed.tags} == {"sam"}


def test_one_annotation_on_its_own_is_read() -> None:
    (tag,) = parse_hypothesis(json.dumps(_row("solo")).encode()).tags
    assert tag.ref == "annotation solo" and tag.quote.exact == "Trade binds states"
    assert tag.reading.iri == "https://example.org/reading"


def test_rows_that_are_not_annotation_objects_are_listed_with_their_number() -> None:
    parsed = parse_hypothesis(json.dumps({"rows": ["text", _row("ok")]}).encode())
    assert [t.ref for t in parsed.tags] == ["annotation ok"]
    assert [(o.ref, o.reason) for o in parsed.skipped] == [
        ("row 1", "It is not an annotation object.")
    ]


def test_too_many_annotations_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hypothesis, "MAX_ANNOTATIONS", 1)
    with pytest.raises(ImportRejected, match="more than 1 annotations"):
        parse_hypothesis(json.dumps([_row("a"), _row("b")]).encode())
