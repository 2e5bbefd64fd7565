"""Cutting a passage's text: into segments at emphasis and quote spans, into highlighted
pieces, and down to a few words (annotations/excerpts.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotations.excerpts import (
    AUTO,
    ELLIPSIS,
    SENTENCES,
    WHOLE,
    cut_to_words,
    highlight_pieces,
    passage_excerpt,
    sentence_ends,
    text_segments,
)

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


# Excerpts for handouts (issue 25) -------------------------------------------------------------

PASSAGE = (
    "Evan S. Medeiros met Dr. Ames in the U.S. capital. “It will fail,” he said. "
    "Then 2025 came! Nobody asked why."
)


def sentences_of(text: str) -> list[str]:
    ends = sentence_ends(text)
    return [text[start:end].strip() for start, end in zip([0, *ends], ends, strict=False)]


def test_sentences_end_at_stops_before_a_capital_but_not_after_initials_or_abbreviations() -> None:
    assert sentences_of(PASSAGE) == [
        "Evan S. Medeiros met Dr. Ames in the U.S. capital.",
        "“It will fail,” he said.",
        "Then 2025 came!",
        "Nobody asked why.",
    ]
    assert sentences_of("no capital. after it") == ["no capital. after it"]
    assert sentence_ends("") == []


def test_the_default_excerpt_without_quote_spans_is_the_first_two_sentences() -> None:
    excerpt = passage_excerpt(PASSAGE, [(0, 0)])  # a whole-passage tag quotes nothing
    assert excerpt.text == (
        f"Evan S. Medeiros met Dr. Ames in the U.S. capital. “It will fail,” he said. {ELLIPSIS}"
    )
    assert (excerpt.kind, excerpt.shortened) == (SENTENCES, True)
    one = passage_excerpt(PASSAGE, [], sentences=1)
    assert one.text == f"Evan S. Medeiros met Dr. Ames in the U.S. capital. {ELLIPSIS}"
    short = passage_excerpt("Only one sentence here.", [], sentences=3)
    assert (short.text, short.shortened) == ("Only one sentence here.", False)


def test_the_first_sentences_stop_at_the_length_and_never_inside_a_word() -> None:
    # The second sentence would pass 12 words: the first alone.
    assert passage_excerpt(PASSAGE, [], max_words=12).text == (
        f"Evan S. Medeiros met Dr. Ames in the U.S. capital. {ELLIPSIS}"
    )
    # The first sentence alone is longer: cut after its fourth word.
    assert passage_excerpt(PASSAGE, [], max_words=4).text == f"Evan S. Medeiros met {ELLIPSIS}"


def test_quote_spans_widen_to_whole_words_with_ellipses_where_words_are_left_out() -> None:
    fail = PASSAGE.index("fail")
    then = PASSAGE.index("Then")
    # One span from inside "fail" to inside "said", one inside "2025 came".
    excerpt = passage_excerpt(PASSAGE, [(fail + 1, fail + 12), (then + 6, then + 9)])
    assert excerpt.kind == "quote" and excerpt.shortened
    assert excerpt.text == f"{ELLIPSIS} fail,” he said. {ELLIPSIS} 2025 {ELLIPSIS}"
    # Touching and overlapping spans are one quote; a span from the start needs no
    # leading ellipsis, one to the end no trailing one.
    whole = passage_excerpt(PASSAGE, [(0, 20), (10, 40), (40, len(PASSAGE))])
    assert (whole.text, whole.shortened) == (PASSAGE, False)
    assert passage_excerpt(PASSAGE, [(0, 4)]).text == f"Evan {ELLIPSIS}"


def test_whole_passages_keep_every_word_with_the_quotes_highlighted() -> None:
    excerpt = passage_excerpt(PASSAGE, [(0, 4)], kind=WHOLE)
    assert excerpt.pieces == [("Evan", True), (PASSAGE[4:], False)]
    assert not excerpt.shortened
    # First sentences even where there is a quote span.
    assert passage_excerpt(PASSAGE, [(0, 4)], kind=SENTENCES).kind == SENTENCES


@given(
    text=st.text(alphabet=st.sampled_from("ab .!?“”ABC1\n"), max_size=60),
    spans=st.lists(st.tuples(st.integers(0, 65), st.integers(0, 65)), max_size=4),
    kind=st.sampled_from([AUTO, SENTENCES, WHOLE]),
    sentences=st.integers(1, 3),
    words=st.integers(1, 8),
)
def test_an_excerpt_is_the_authors_words_in_order_plus_ellipses(
    text: str, spans, kind: str, sentences: int, words: int
) -> None:
    spans = [(min(a, b), max(a, b)) for a, b in spans]
    excerpt = passage_excerpt(text, spans, kind=kind, sentences=sentences, max_words=words)
    source = text.split()
    taken = excerpt.text.replace(ELLIPSIS, " ").split()
    # Every word printed is a whole word of the passage, and they come in the passage's order.
    at = 0
    for word in taken:
        assert word in source[at:], (word, text)
        at = source.index(word, at) + 1
    assert excerpt.shortened == (len(taken) < len(source) or ELLIPSIS in excerpt.text)
