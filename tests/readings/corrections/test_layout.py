"""The correction layout numbers and places passages exactly as the splitter does."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readings.corrections.layout import lay_out, offset_map, split_halves, split_points
from readings.importing import split_text
from tests.readings.importing.test_properties import document

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(document)
def test_laying_out_a_split_again_changes_nothing(raw: str) -> None:
    split = split_text(raw)
    text, laid = lay_out([(p.kind, p.text) for p in split.passages])
    assert text == split.text
    for passage, place in zip(split.passages, laid, strict=True):
        assert (place.start, place.end, place.label, place.anchor, place.section[:300]) == (
            passage.start,
            passage.end,
            passage.label,
            passage.anchor,
            passage.section[:300],
        )
        assert place.word_count == passage.word_count


def test_not_part_of_the_text_is_numbered_apart_from_the_body() -> None:
    text, laid = lay_out([("paragraph", "One."), ("not_text", "Cookies."), ("paragraph", "Two.")])
    assert text == "One.\n\nCookies.\n\nTwo."
    assert [(p.label, p.anchor) for p in laid] == [
        ("¶ 1", "p1"),
        ("Not text 1", "x1"),
        ("¶ 2", "p2"),
    ]


def test_split_points_are_sentence_starts_or_else_word_starts() -> None:
    assert split_points("One thing. Another “thing.” A third!") == [11, 28]
    assert split_points("A Title Without An End") == [2, 8, 16, 19]
    assert split_points("Word") == []


def test_split_halves_trim_the_gap_and_refuse_empty_sides() -> None:
    assert split_halves("One.  Two.", 5) == ("One.", "Two.", 6)
    assert split_halves("One.  Two.", 0) is None
    assert split_halves("One.  Two.", 10) is None
    assert split_halves("One.    ", 5) is None


NO_BAR = st.text(st.characters(exclude_characters="|"), max_size=60)


@given(NO_BAR, NO_BAR, NO_BAR)
def test_offset_map_keeps_unchanged_words_in_place(before: str, middle: str, after: str) -> None:
    old = before + "|" + after
    new = before + middle + "|" + after
    moved = offset_map(old, new)
    bar = old.index("|", len(before))
    assert new[moved(bar, False) : moved(bar + 1, True)] == "|"
    if before:
        assert new[moved(0, False) : moved(len(before), True)] == before
