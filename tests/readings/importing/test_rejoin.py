from __future__ import annotations

from readings.importing.headings import mark_headings
from readings.importing.pullquotes import mark_repeated_pull_quotes
from readings.importing.rejoin import find_continuation, rejoin
from tests.readings.importing.rules import units

BROKEN = "This paragraph was broken off at the bottom of a page in the middle of its argument"


def pieces(text: str) -> list[tuple[str, str]]:
    items = units(text)
    group = mark_repeated_pull_quotes(items)
    mark_headings(items)
    return [(p.kind, p.marked.text) for p in rejoin(items, first_group=group)]


def test_paragraph_broken_at_a_page_end_is_rejoined_with_one_space() -> None:
    text = (
        "Secretary of State Marco Rubio has called for the United States\n\n"
        "“to have a relationship” with Russia rather than let it drift."
    )
    assert pieces(text) == [
        (
            "paragraph",
            "Secretary of State Marco Rubio has called for the United States “to have a "
            "relationship” with Russia rather than let it drift.",
        )
    ]


def test_interrupting_blocks_become_one_pull_quote_after_the_paragraph() -> None:
    text = (
        "Moreover, a new rapprochement with the Kremlin would bring few real benefits to the "
        "American people and come at a steep cost to other U.S. interests.\n\n"
        "Their commitment to autocracy and shared animosity\n\n"
        "Rapprochement\nwith the Kremlin\n\n"
        "would bring few real benefits to the American people.\n\n"
        "toward the United States. Both feel threatened.\n\n"
        "Next paragraph."
    )
    assert pieces(text)[1:] == [
        (
            "paragraph",
            "Their commitment to autocracy and shared animosity toward the United States. "
            "Both feel threatened.",
        ),
        (
            "pull_quote",
            "Rapprochement with the Kremlin would bring few real benefits to the American people.",
        ),
        ("paragraph", "Next paragraph."),
    ]


def test_unrecognised_quote_piece_starting_lowercase_is_taken_for_the_continuation() -> None:
    # Without the body sentence it repeats, nothing tells the quote from the continuation:
    # the documented limit of the rules.
    text = (
        "Their commitment to autocracy and shared animosity\n\n"
        "would bring few real benefits to the American people.\n\n"
        "toward the United States. Both feel threatened."
    )
    assert pieces(text)[0] == (
        "paragraph",
        "Their commitment to autocracy and shared animosity would bring few real benefits to "
        "the American people.",
    )


def test_a_paragraph_can_be_broken_twice() -> None:
    assert pieces("one two\n\nthree four\n\nfive six.") == [
        ("paragraph", "one two three four five six.")
    ]


def test_capitalised_continuation_after_a_function_word() -> None:
    assert pieces("He has called for the\n\nUnited States to act.") == [
        ("paragraph", "He has called for the United States to act.")
    ]


def test_no_continuation_leaves_blocks_alone() -> None:
    text = f"{BROKEN}\n\nA New Sentence begins here and goes on.\n\nThe end."
    assert pieces(text) == [
        ("paragraph", BROKEN),
        ("paragraph", "A New Sentence begins here and goes on."),
        ("paragraph", "The end."),
    ]


def test_headings_and_lists_stop_the_search() -> None:
    text = f"{BROKEN}\n\n# Heading\n\nlowercase start."
    assert [kind for kind, _ in pieces(text)] == ["paragraph", "heading", "paragraph"]


def test_find_continuation_gives_up_after_four_skipped_blocks() -> None:
    items = units("cut off\n\nA\n\nB\n\nC\n\nD\n\nE\n\ncontinued.")
    assert find_continuation(items, 1, items[0].text) is None
    items = units("cut off\n\nA\n\nB\n\ncontinued.")
    assert find_continuation(items, 1, items[0].text) == (3, [1, 2])


def test_emphasis_moves_with_the_rejoined_text() -> None:
    items = units("Nixon wrote in *Foreign Affairs* in 1967 that\n\n*any* policy must change.")
    [piece] = rejoin(items)
    assert (
        piece.marked.text == "Nixon wrote in Foreign Affairs in 1967 that any policy must change."
    )
    assert [piece.marked.text[a:b] for a, b in piece.marked.emphasis] == ["Foreign Affairs", "any"]
