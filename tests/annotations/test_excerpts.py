"""Cutting a passage's text: into segments at emphasis and quote spans, into highlighted
pieces, and down to a few words (annotations/excerpts.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotations.excerpts import cut_to_words, highlight_pieces, text_segments

TEXT = "Trade binds them; security divides them."


def test_segments_join_back_to_the_text_with_spans_and_emphasis_marked() -> None:
    segments = text_segments(TEXT, emphasis=[[18, 26]], spans=[(0, 11, "trade"), (6, 16, "ties")])
    assert "".join(s.text for s in segments) == TEXT
    assert [(s.text, s.emphasis, s.keys) for s in segments] == [
        ("Trade ", False, ("trade",)),
        ("binds", False, ("trade", "ties")),
        (" them", False, ("ties",)),
        ("; ", False, ()),
        ("security", True, ()),
        (" divides them.", False, ()),
    ]


def test_offsets_beyond_the_text_are_clamped_and_empty_spans_dropped() -> None:
    segments = text_segments("short", emphasis=[[3, 99]], spans=[(2, 2, "empty"), (4, 50, "x")])
    assert [(s.text, s.emphasis, s.keys) for s in segments] == [
        ("sho", False, ()),
        ("r", True, ()),
        ("t", True, ("x",)),
    ]


@given(
    text=st.text(min_size=1, max_size=40),
    cuts=st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45)), max_size=6),
)
def test_segments_always_rebuild_the_text_exactly(text: str, cuts) -> None:
    spans = [(min(a, b), max(a, b), i) for i, (a, b) in enumerate(cuts)]
    segments = text_segments(text, emphasis=[], spans=spans)
    assert "".join(s.text for s in segments) == text
    assert all(s.text for s in segments)


def test_highlight_pieces_merge_overlapping_spans_and_ignore_whole_passage_tags() -> None:
    text = "abcdefghij"
    assert highlight_pieces(text, [(0, 0)]) == [(text, False)]
    assert highlight_pieces(text, [(2, 4), (3, 6), (8, 99)]) == [
        ("ab", False),
        ("cdef", True),
        ("gh", False),
        ("ij", True),
    ]
    assert highlight_pieces(text, [(0, 10), (0, 0)]) == [(text, True)]
    assert highlight_pieces("", [(0, 0)]) == []


@given(
    text=st.text(max_size=30),
    spans=st.lists(st.tuples(st.integers(0, 35), st.integers(0, 35)), max_size=5),
)
def test_highlight_pieces_mark_exactly_the_characters_some_span_covers(text: str, spans) -> None:
    covered = [any(s <= i < e for s, e in spans) for i in range(len(text))]
    pieces = highlight_pieces(text, spans)
    assert "".join(piece for piece, _ in pieces) == text
    assert [quoted for piece, quoted in pieces for _ in piece] == covered
    # One piece per run: neighbours always differ.
    assert all(a[1] != b[1] for a, b in zip(pieces, pieces[1:], strict=False))


def test_cut_to_words_keeps_short_texts_whole_with_their_spacing_made_single() -> None:
    assert cut_to_words("  one\n two   three ", 3, ellipsis=" …") == "one two three"
    assert cut_to_words("", 3) == ""


def test_cut_to_words_keeps_the_first_or_the_last_words_and_marks_the_cut() -> None:
    text = "one two three four five"
    assert cut_to_words(text, 2) == "one two"
    assert cut_to_words(text, 2, ellipsis=" …") == "one two …"
    assert cut_to_words(text, 2, from_end=True) == "four five"
    assert cut_to_words(text, 2, from_end=True, ellipsis="… ") == "… four five"
