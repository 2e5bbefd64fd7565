from __future__ import annotations

from readings.importing.pullquotes import mark_repeated_pull_quotes, tokenise
from tests.readings.importing.rules import roles, units

BODY = (
    "Putin, unsurprisingly, is already exploiting Trump's desire for friendship. In March, "
    "after Trump offered multiple concessions to Russia, Putin asked for more."
)
OTHER = "An unrelated paragraph about something else entirely, which ends properly here."


def test_tokenise_folds_case_and_apostrophes() -> None:
    assert tokenise("Trump’s desire, for FRIENDSHIP") == ["trump's", "desire", "for", "friendship"]


def test_short_block_repeating_body_text_is_a_pull_quote() -> None:
    items = units(
        f"{BODY}\n\n{OTHER}\n\nPutin is already exploiting Trump's desire for friendship.\n\n"
        f"{OTHER}"
    )
    mark_repeated_pull_quotes(items)
    assert [r for r, _ in roles(items)] == ["", "", "pull_quote", ""]


def test_quote_split_over_blocks_is_found_and_grouped() -> None:
    body = (
        "Moreover, a new rapprochement with the Kremlin would bring few real benefits to the "
        "American people and come at a steep cost to other U.S. interests."
    )
    items = units(
        f"{body}\n\nRapprochement\nwith the Kremlin\n\n"
        "would bring few real benefits to the American people.\n\n"
        f"{OTHER}"
    )
    mark_repeated_pull_quotes(items)
    assert [r for r, _ in roles(items)] == ["", "pull_quote", "pull_quote", ""]
    assert items[1].quote_group == items[2].quote_group >= 0


def test_fewer_than_six_shared_words_is_coincidence() -> None:
    items = units(f"{BODY}\n\nTrump's desire for friendship.\n\n{OTHER}")
    mark_repeated_pull_quotes(items)
    assert all(role == "" for role, _ in roles(items))


def test_two_equal_short_paragraphs_are_not_quotes_of_each_other() -> None:
    line = "We shall fight on the beaches and in the fields."
    items = units(f"{line}\n\n{OTHER}\n\n{line}")
    mark_repeated_pull_quotes(items)
    assert all(role == "" for role, _ in roles(items))


def test_repeated_fragment_without_sentence_end_is_not_a_quote() -> None:
    # A heading that happens to echo six words of the body is left for the heading rule.
    body = "Sino-Russian partnership and the international system have changed a great deal."
    items = units(f"{body}\n\nSino-Russian partnership and the international system\n\n{OTHER}")
    mark_repeated_pull_quotes(items)
    assert all(role == "" for role, _ in roles(items))


def test_long_blocks_are_never_pull_quotes() -> None:
    long_block = BODY + " " + OTHER * 4
    items = units(f"{long_block}\n\n{long_block}")
    mark_repeated_pull_quotes(items)
    assert all(role == "" for role, _ in roles(items))
