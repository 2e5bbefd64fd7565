from __future__ import annotations

from dataclasses import dataclass

import pytest

from readings.importing.normalise import clean_all, clean_text, is_blank, normalise_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Cafe\u0301", "Café"),  # composed (NFC)
        ("a\r\nb\rc", "a\nb\nc"),
        ("a\u2028b\u2029c", "a\nb\n\nc"),
        ("a\tb\u00a0c\u202fd\u3000e", "a b c d e"),
        ("a  \t  b", "a b"),
        ("  trailing and leading  ", "trailing and leading"),
        ("zero\u200bwidth\ufeff soft\u00adhyphen", "zerowidth softhyphen"),
        ("bidi\u202eoverride\u202c", "bidioverride"),
        ("ctrl\x00\x07\x1b\x7f\x9fchars", "ctrlchars"),
        ("form\x0cfeed", "form\nfeed"),
        ("lone \ud800 surrogate", "lone surrogate"),
        ("e\u200b\u0301", "é"),  # removing the zero-width space lets the accent compose
        ("\u2000en\u2001quad", "en quad"),  # NFC would turn these into other spaces
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_joiners_that_spell_words_are_kept() -> None:
    # ZWNJ spells Persian words; ZWJ builds emoji sequences.
    assert normalise_text("می\u200cخواهم 👩\u200d💻") == "می\u200cخواهم 👩\u200d💻"


def test_blank_lines_survive_as_empty_lines() -> None:
    assert normalise_text("a\n \t\nb") == "a\n\nb"


@pytest.mark.parametrize(
    ("text", "blank"),
    [("", True), (" \n\t\u00a0\u200b\ufeff\x00", True), ("\u200ba", False), ("·", False)],
)
def test_is_blank(text: str, blank: bool) -> None:
    assert is_blank(text) is blank


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Power\x00play", "Powerplay"),
        ("note\x0b\x1bend", "noteend"),
        ("a\r\nb\rc\nd", "a\r\nb\rc\nd"),  # line ends as sent: notes round-trip exactly
        ("tab\tkept", "tab\tkept"),
        ("del\x7f and C1\x85\x9b gone", "del and C1 gone"),
        ("lone \ud800\udfff surrogates", "lone  surrogates"),
        ("not XML\ufffe\uffff", "not XML"),
        # Everything else stays as typed: spaces, invisible and bidi characters, emoji.
        ("  spaced\u00a0\u200b\u202e 👩\u200d💻  ", "  spaced\u00a0\u200b\u202e 👩\u200d💻  "),
    ],
)
def test_clean_text_removes_what_cannot_be_stored(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_all_reaches_every_string_of_a_structure() -> None:
    @dataclass(frozen=True)
    class Record:
        name: str
        tags: tuple[str, ...]
        count: int

    document = {"ke\x00y": ["a\x1b", {"b": Record("n\x00", ("t\x0b",), 3)}], "n": None}
    assert clean_all(document) == {"key": ["a", {"b": Record("n", ("t",), 3)}], "n": None}
