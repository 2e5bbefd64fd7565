"""The line-end hyphen rules of the PDF reader at their edges: empty halves, and languages the
word list knows only a little of, or not at all."""

from __future__ import annotations

from readings.importing.readers.pdf.hyphens import Vocabulary, _zipf, join_lines


def test_an_empty_half_is_never_a_compound_and_joins_to_the_other() -> None:
    vocabulary = Vocabulary()
    assert vocabulary.keeps_hyphen("", "term") is False
    assert vocabulary.keeps_hyphen("long", "") is False
    assert join_lines("", "the next line", vocabulary) == "the next line"
    assert join_lines("the last line", "", vocabulary) == "the last line"


def test_a_language_with_only_a_small_word_list_still_has_frequencies() -> None:
    # wordfreq has a large list for English, only a small one for Danish.
    assert _zipf("og", "da") > 5
    assert _zipf("the", "en") > 7


def test_a_language_the_word_list_does_not_know_decides_by_the_document_alone() -> None:
    assert _zipf("word", "xx") == 0.0
    vocabulary = Vocabulary("xx")
    # No frequencies: the halves are not known words, so a line-end hyphen is a break.
    assert vocabulary.keeps_hyphen("inter", "national") is False
    assert join_lines("the inter\u2010", "national order", vocabulary) == "the international order"
