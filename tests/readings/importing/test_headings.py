from __future__ import annotations

from readings.importing.headings import mark_headings
from readings.importing.pullquotes import mark_repeated_pull_quotes
from tests.readings.importing.rules import roles, units

PARA = "A paragraph of body text that goes on for a while and ends properly."


def heading_texts(text: str) -> list[str]:
    items = units(text)
    mark_repeated_pull_quotes(items)
    mark_headings(items)
    return [t for role, t in roles(items) if role == "heading"]


def test_markdown_headings() -> None:
    assert heading_texts(f"# One\n\n{PARA}\n\n### Two\n\n{PARA}") == ["One", "Two"]


def test_all_caps_line_after_a_finished_sentence() -> None:
    assert heading_texts(f"{PARA}\n\nA FOOL'S ERRAND\n\n{PARA}") == ["A FOOL'S ERRAND"]


def test_short_unpunctuated_line_followed_by_a_paragraph() -> None:
    assert heading_texts(f"{PARA}\n\nThe war in Ukraine\n\n{PARA}") == ["The war in Ukraine"]


def test_short_line_inside_a_broken_sentence_is_no_heading() -> None:
    text = (
        "The leaders share a vision anchored by their mutual commitment to autocracy and shared "
        "animosity\n\nRapprochement with the Kremlin\n\ntoward the United States. Both feel "
        "threatened."
    )
    assert heading_texts(text) == []


def test_all_caps_inside_a_broken_sentence_is_no_heading() -> None:
    text = f"It was the best of\n\nCHAPTER NOTES\n\ntimes, it was the worst.\n\n{PARA}"
    assert heading_texts(text) == []


def test_short_line_continued_by_the_next_block_is_no_heading() -> None:
    assert heading_texts(f"{PARA}\n\nAnd then we went\n\nhome for dinner, tired.") == []


def test_short_line_ending_on_a_function_word_is_no_heading() -> None:
    assert heading_texts(f"{PARA}\n\nA third paragraph that breaks at the\n\n{PARA}") == []


def test_short_sentence_is_no_heading() -> None:
    assert heading_texts(f"{PARA}\n\nSuch optimism is misplaced.\n\n{PARA}") == []


def test_heading_followed_by_a_heading() -> None:
    text = f"{PARA}\n\nPart one\n\nThe beginning\n\n{PARA}"
    assert heading_texts(text) == ["Part one", "The beginning"]


def test_heading_shaped_lines_with_no_body_after_them_are_not_headings() -> None:
    assert heading_texts(f"{PARA}\n\nPart one\n\nThe beginning") == []


def test_headings_after_list_items_and_headings() -> None:
    text = f"{PARA}\n\n- an item without a full stop\n\nNext section\n\n{PARA}"
    assert heading_texts(text) == ["Next section"]
