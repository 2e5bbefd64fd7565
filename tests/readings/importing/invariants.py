"""Checks every SplitResult must pass, shared by the seed and property tests."""

from __future__ import annotations

import hashlib
import unicodedata

from readings.importing import SplitResult

KINDS = {"front_matter", "heading", "paragraph", "list_item", "pull_quote"}


def assert_split_invariants(result: SplitResult) -> None:
    text = result.text
    assert result.content_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert unicodedata.is_normalized("NFC", text)
    owner = [-1] * len(text)
    previous_end = 0
    for index, passage in enumerate(result.passages):
        assert passage.position == index
        assert passage.kind in KINDS
        assert 0 <= passage.start < passage.end <= len(text)
        assert passage.start >= previous_end, "passages overlap or are out of order"
        previous_end = passage.end
        assert text[passage.start : passage.end] == passage.text
        assert passage.text == passage.text.strip()
        assert "\n" not in passage.text
        assert passage.word_count == len(passage.text.split())
        for i in range(passage.start, passage.end):
            assert owner[i] == -1
            owner[i] = index
        last = 0
        for start, end in passage.emphasis:
            assert last <= start < end <= len(passage.text), passage.emphasis
            last = end
    for i, char in enumerate(text):
        if not char.isspace():
            assert owner[i] != -1, f"character {char!r} at {i} lies in no passage"
    separators = "\n\n".join(p.text for p in result.passages)
    assert separators == text, "the canonical text is the passages joined by blank lines"
    labels = [p.label for p in result.passages]
    anchors = [p.anchor for p in result.passages]
    assert len(set(labels)) == len(labels)
    assert len(set(anchors)) == len(anchors)
    assert all(
        len(label) <= 40 and len(anchor) <= 20
        for label, anchor in zip(labels, anchors, strict=True)
    )
