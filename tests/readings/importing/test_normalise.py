from __future__ import annotations

import pytest

from readings.importing.normalise import is_blank, normalise_text


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
