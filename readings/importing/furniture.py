"""Page furniture: running headers and bare page numbers that conversions leave in the text."""

from __future__ import annotations

import re
from collections import Counter

from readings.importing.blocks import Unit
from readings.importing.sentences import ends_sentence

_PAGE_NUMBER_RE = re.compile(r"(?i)(?:page[ ]+)?\d{1,4}(?:[ ]*(?:/|of)[ ]*\d{1,4})?")
_DIGITS_RE = re.compile(r"\d+")
RUNNING_HEADER_MAX_WORDS = 10
RUNNING_HEADER_MIN_REPEATS = 3


def is_page_number(unit: Unit) -> bool:
    """Example: "12", "Page 3", "3 of 10" -> True; "1972 was the year." -> False."""
    return unit.is_open_block and bool(_PAGE_NUMBER_RE.fullmatch(unit.text))


def _header_key(unit: Unit) -> str:
    # Page numbers often ride along with the header ("FOREIGN AFFAIRS 12"), so digits don't count.
    return " ".join(_DIGITS_RE.sub(" ", unit.text.casefold()).split())


def drop_page_furniture(units: list[Unit]) -> None:
    """Rule: a bare page number is dropped; a short line without final punctuation that occurs
    three or more times as a whole block is a running header, kept only where it first occurs.
    Example: blocks "Foreign Affairs", para, "Foreign Affairs 2", para, "FOREIGN AFFAIRS", para
    -> the first "Foreign Affairs" stays, the two later ones are dropped.
    A short line seen only twice is left to the front-matter and pull-quote rules.
    When bare numbers are all the text holds ("12", a table of figures), they are its content,
    not its page numbers, and stay: dropping them would leave a document without passages."""
    if all(is_page_number(unit) for unit in units):
        return
    candidates: list[tuple[Unit, str]] = []
    for unit in units:
        if is_page_number(unit):
            unit.role = "dropped"
        elif (
            unit.is_open_block
            and unit.words <= RUNNING_HEADER_MAX_WORDS
            and not ends_sentence(unit.text)
        ):
            key = _header_key(unit)
            if key:
                candidates.append((unit, key))
    counts = Counter(key for _, key in candidates)
    seen: set[str] = set()
    for unit, key in candidates:
        if counts[key] < RUNNING_HEADER_MIN_REPEATS:
            continue
        if key in seen:
            unit.role = "dropped"
        seen.add(key)
