"""Hypothesis exports of every shape: the API's {"rows": [...]}, a bare list, one annotation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annotations.interchange.imports import hypothesis
from annotations.interchange.imports.hypothesis import parse_hypothesis
from annotations.interchange.imports.records import ImportRejected


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
