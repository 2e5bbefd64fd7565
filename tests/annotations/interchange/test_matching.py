from __future__ import annotations

from annotations.interchange.imports.matching import (
    Anchor,
    Located,
    Placed,
    Quote,
    anchor_in,
    locate,
    place,
    quote_at,
)

TEXT = "Trade binds states. Trade also divides them.\n\nSecurity comes first. Trade binds states."


def test_a_position_is_trusted_when_the_text_there_is_the_quote() -> None:
    quote = quote_at(TEXT, 20, 25)
    assert anchor_in(TEXT, quote) == Anchor(20, 25, "position")


def test_a_wrong_position_falls_back_on_the_quote_and_its_context() -> None:
    start = TEXT.rindex("Trade binds")
    right = quote_at(TEXT, start, start + 11)
    moved = Quote(right.exact, right.prefix, right.suffix, start=3, end=14)
    assert anchor_in(TEXT, moved) == Anchor(start, start + 11, "quote")


def test_context_chooses_between_repeated_quotes() -> None:
    first = Quote("Trade binds states", prefix="", suffix=". Trade also")
    last = Quote("Trade binds states", prefix="Security comes first. ", suffix="")
    at_first, at_last = anchor_in(TEXT, first), anchor_in(TEXT, last)
    assert at_first is not None and at_first.start == 0
    assert at_last is not None and at_last.start == TEXT.rindex("Trade binds states")


def test_fuzzy_finds_a_quote_that_changed_slightly() -> None:
    quote = Quote("Trade also divide them", prefix="binds states. ")
    found = anchor_in(TEXT, quote)
    assert found is not None and found.method == "fuzzy"
    assert TEXT[found.start : found.end] == "Trade also divides them"


def test_a_quote_that_is_not_there_is_an_orphan_with_the_reason() -> None:
    reason = locate([(1, TEXT)], Quote("Completely different words here"))
    assert isinstance(reason, str) and "not found" in reason


def test_locate_searches_the_other_readings_without_trusting_positions() -> None:
    other = "Nothing of the sort."
    quote = Quote("Security comes first", start=0, end=20)
    found = locate([(1, other), (2, TEXT)], quote, preferred=1)
    assert isinstance(found, Located), found
    assert found.key == 2 and found.anchor.start == TEXT.index("Security")


PASSAGES = [("a", 0, 44), ("b", 46, 86)]


def test_a_range_equal_to_a_passage_is_a_whole_passage_tag() -> None:
    assert place(PASSAGES, 46, 86) == Placed("b", 0, 0)


def test_a_range_inside_a_passage_is_a_span_relative_to_it() -> None:
    assert place(PASSAGES, 50, 60) == Placed("b", 4, 14)


def test_a_range_across_passages_is_refused_with_the_reason() -> None:
    reason = place(PASSAGES, 40, 50)
    assert isinstance(reason, str) and "crosses" in reason


def test_a_range_between_passages_is_refused() -> None:
    assert isinstance(place(PASSAGES, 44, 46), str)


def test_offsets_count_code_points_for_astral_combining_and_rtl_text() -> None:
    text = "Intro 🇺🇦 e\u0301te\u0301 — שָׁלוֹם עולם 𝔘𝔫𝔦 end"
    for needle in ("🇺🇦", "e\u0301te\u0301", "שָׁלוֹם", "𝔘𝔫𝔦"):
        start = text.index(needle)
        quote = quote_at(text, start, start + len(needle))
        assert anchor_in(text, quote) == Anchor(start, start + len(needle), "position")
        # And found again by quote alone, at the same code-point offsets.
        alone = Quote(quote.exact, quote.prefix, quote.suffix)
        assert anchor_in(text, alone) == Anchor(start, start + len(needle), "quote")
