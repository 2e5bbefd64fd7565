"""Headings: explicit "#" lines, short ALL-CAPS lines, and short unpunctuated lines in context."""

from __future__ import annotations

from readings.importing.blocks import Unit
from readings.importing.sentences import (
    ends_on_function_word,
    ends_sentence,
    is_all_caps,
    starts_lowercase,
    starts_mid_sentence,
)

HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 150
_NO_HEADING_ENDINGS = frozenset(",;—–-&/")


def _heading_shaped(unit: Unit) -> bool:
    text = unit.text
    return (
        unit.words <= HEADING_MAX_WORDS
        and len(text) <= HEADING_MAX_CHARS
        and unit.lines <= 2
        and not ends_sentence(text)
        and not ends_on_function_word(text)
        and text[-1] not in _NO_HEADING_ENDINGS
        and not starts_lowercase(text)
        and any(c.isalpha() for c in text)
    )


def _opens_body(unit: Unit | None) -> bool:
    """A paragraph, list or heading can follow a heading; a bare heading-shaped line cannot."""
    if unit is None:
        return False
    if unit.source == "list" or unit.role == "heading":
        return True
    if starts_mid_sentence(unit.text):
        return False  # it continues the short line, which is therefore no heading
    return (
        unit.source == "block"
        and unit.role in ("", "pull_quote")
        and (unit.words > HEADING_MAX_WORDS or ends_sentence(unit.text))
    )


def _closes_sentence(unit: Unit | None) -> bool:
    """Context: a heading never interrupts a sentence, so what precedes it must be finished
    (or be heading-shaped itself: "Part one" / "The beginning")."""
    if unit is None or unit.source != "block" or unit.role in ("front_matter", "heading"):
        return True
    return ends_sentence(unit.text) or (unit.is_open_block and _heading_shaped(unit))


def mark_headings(units: list[Unit]) -> None:
    """Rule: a "#" line is a heading. A short line (<= 12 words, no final punctuation, not
    starting lowercase, not ending on "the", "of"...) is a heading when the block before it
    ends a sentence and, unless it is ALL CAPS, a paragraph or list follows that does not
    continue it (does not start mid-sentence), or another heading follows.
    Example: "…would never have made." / "HISTORY DOES NOT ALWAYS RHYME" / paragraph -> heading;
    "…shared animosity" / "Rapprochement with the Kremlin" / … -> no heading (inside a sentence).
    """
    live = [u for u in units if u.role != "dropped"]
    # Backwards, so a heading-shaped line sees whether the line after it became a heading.
    for k in range(len(live) - 1, -1, -1):
        unit = live[k]
        if unit.source == "heading":
            unit.role = "heading"
            continue
        if not unit.is_open_block or not _heading_shaped(unit):
            continue
        previous = live[k - 1] if k else None
        if not _closes_sentence(previous):
            continue
        following = live[k + 1] if k + 1 < len(live) else None
        if is_all_caps(unit.text) or _opens_body(following):
            unit.role = "heading"
