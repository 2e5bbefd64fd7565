from __future__ import annotations

import pytest

from readings.importing.frontmatter import looks_like_byline_or_date, mark_front_matter
from tests.readings.importing.rules import roles, units

PARA = "A paragraph of body text that goes on for a while and ends properly. " * 3


def test_title_block_is_front_matter_and_a_repeat_is_dropped() -> None:
    items = units(
        "FOREIGN AFFAIRS\n\nAPRIL 4, 2025\n\nThe Title\n\nThe Subtitle\n\nA. AUTHOR\n\n"
        f"The Title\n\nThe Subtitle\n\nA. AUTHOR\n\n{PARA}"
    )
    mark_front_matter(items)
    assert [r for r, _ in roles(items)] == [
        *["front_matter"] * 5,
        *["dropped"] * 3,
        "",
    ]


def test_section_name_after_the_title_is_a_heading() -> None:
    items = units(f"Convergence and divergence: a title\n\nIntroduction\n\n{PARA}")
    mark_front_matter(items)
    assert [r for r, _ in roles(items)] == ["front_matter", "heading", ""]


def test_last_short_block_before_a_list_is_a_heading() -> None:
    items = units("A Title\n\nWhat we found\n\n- one\n- two")
    mark_front_matter(items)
    assert [r for r, _ in roles(items)] == ["front_matter", "heading", "", ""]


def test_a_document_opening_with_a_section_name_has_no_front_matter() -> None:
    items = units(f"Summary\n\n{PARA}")
    mark_front_matter(items)
    assert [r for r, _ in roles(items)] == ["heading", ""]


def test_a_short_opening_sentence_is_not_front_matter() -> None:
    items = units(f"It was late.\n\n{PARA}")
    mark_front_matter(items)
    assert [r for r, _ in roles(items)] == ["", ""]


def test_question_titles_are_front_matter() -> None:
    items = units(f"Will They Split?\n\n{PARA}")
    mark_front_matter(items)
    assert [r for r, _ in roles(items)] == ["front_matter", ""]


def test_short_blocks_with_no_body_after_them_are_left_alone() -> None:
    items = units("one\n\ntwo\n\nthree")
    mark_front_matter(items)
    assert [r for r, _ in roles(items)] == ["", "", ""]


def test_all_caps_section_head_after_a_mixed_case_title_is_a_heading() -> None:
    items = units(f"A Short Reading\n\nFIRST PART\n\n{PARA}")
    mark_front_matter(items)
    assert [r for r, _ in roles(items)] == ["front_matter", "heading", ""]


def test_all_caps_byline_after_a_mixed_case_title_is_front_matter() -> None:
    items = units(f"A Short Reading\n\nANN LEE AND BO SUN\n\nAPRIL 4, 2025\n\n{PARA}")
    mark_front_matter(items)
    assert [r for r, _ in roles(items)] == ["front_matter"] * 3 + [""]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MICHAEL MCFAUL AND EVAN S. MEDEIROS", True),
        ("By Ann Lee", True),
        ("Ann Lee, Bo Sun", True),
        ("APRIL 4, 2025", True),
        ("Spring 1999", True),
        ("FIRST PART", False),
        ("The Trump effect", False),
    ],
)
def test_looks_like_byline_or_date(text: str, expected: bool) -> None:
    assert looks_like_byline_or_date(text) is expected
