from __future__ import annotations

from readings.importing.blocks import split_blocks, units_from_block, units_from_text
from readings.importing.normalise import normalise_text


def shape(text: str) -> list[tuple[str, str]]:
    return [(u.source, u.text) for u in units_from_text(normalise_text(text))]


def test_split_blocks_on_blank_lines() -> None:
    assert split_blocks("a\nb\n\n\nc\n") == [["a", "b"], ["c"]]
    assert split_blocks("") == []


def test_hard_wrapped_lines_are_joined_with_a_space() -> None:
    assert shape("one line\nwrapped here\n\nnext") == [
        ("block", "one line wrapped here"),
        ("block", "next"),
    ]


def test_bullets_in_one_block_are_separate_items_without_their_bullet() -> None:
    text = "  • First point.\n  • Second point,\n    wrapped.\n- dash\n* star\n– en dash"
    assert shape(text) == [
        ("list", "First point."),
        ("list", "Second point, wrapped."),
        ("list", "dash"),
        ("list", "star"),
        ("list", "en dash"),
    ]


def test_lead_in_line_before_bullets_stays_a_block() -> None:
    assert shape("Two things:\n- one\n- two") == [
        ("block", "Two things:"),
        ("list", "one"),
        ("list", "two"),
    ]


def test_markdown_heading_lines_are_headings_even_without_a_blank_line() -> None:
    assert shape("## Part *one* ##\nBody text.") == [
        ("heading", "Part one"),
        ("block", "Body text."),
    ]


def test_emphasis_at_line_start_is_not_a_bullet() -> None:
    units = units_from_block(["*Foreign Affairs* published it."])
    assert units[0].source == "block"
    assert units[0].text == "Foreign Affairs published it."
    assert units[0].marked.emphasis == ((0, 15),)


def test_thematic_breaks_and_empty_markers_vanish() -> None:
    assert shape("a\n\n* * *\n\n---\n\nb\n\n#\n\n- ") == [
        ("block", "a"),
        ("block", "b"),
        ("block", "-"),
    ]


def test_emphasis_may_span_wrapped_lines() -> None:
    [unit] = units_from_text(normalise_text("a *long\nemphasis* here"))
    assert unit.text == "a long emphasis here"
    assert unit.marked.emphasis == ((2, 15),)
