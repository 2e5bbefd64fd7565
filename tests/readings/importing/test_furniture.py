from __future__ import annotations

from readings.importing.furniture import drop_page_furniture
from tests.readings.importing.rules import roles, units

PARA = "A paragraph of body text that goes on for a while and ends properly."


def test_running_header_kept_only_where_it_first_occurs() -> None:
    items = units(
        f"Foreign Affairs\n\n{PARA}\n\nFOREIGN AFFAIRS 2\n\n{PARA}\n\nForeign Affairs 3\n\n{PARA}"
    )
    drop_page_furniture(items)
    assert [r for r, _ in roles(items)] == ["", "", "dropped", "", "dropped", ""]


def test_short_line_seen_twice_is_not_a_running_header() -> None:
    items = units(f"Title\n\n{PARA}\n\nTitle\n\n{PARA}")
    drop_page_furniture(items)
    assert all(role == "" for role, _ in roles(items))


def test_repeated_sentences_are_not_running_headers() -> None:
    items = units(f"Yes.\n\n{PARA}\n\nYes.\n\n{PARA}\n\nYes.")
    drop_page_furniture(items)
    assert all(role == "" for role, _ in roles(items))


def test_bare_page_numbers_are_dropped() -> None:
    items = units(f"{PARA}\n\n12\n\nPage 13\n\n14 of 20\n\n1972 was the year.")
    drop_page_furniture(items)
    assert roles(items) == [
        ("", PARA),
        ("dropped", "12"),
        ("dropped", "Page 13"),
        ("dropped", "14 of 20"),
        ("", "1972 was the year."),
    ]


def test_list_items_are_never_furniture() -> None:
    items = units("- 1\n- 1\n- 1\n- 1")
    drop_page_furniture(items)
    assert all(role == "" for role, _ in roles(items))


def test_bare_numbers_that_are_all_the_text_are_its_content() -> None:
    # "12" alone, or "1", "2", "3" (a table of figures): dropping them left no passage at all,
    # and the save failed on the document's non-empty text constraint.
    for text in ("12", "1\n\n2\n\n3", "Page 3"):
        items = units(text)
        drop_page_furniture(items)
        assert [role for role, _ in roles(items)] == [""] * len(items), text
