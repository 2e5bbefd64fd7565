"""Laying a corrected reading out again: offsets, labels, anchors and sections, pure Python.

A correction changes the passages (their texts, kinds, how many there are); the document's text
is then rebuilt exactly as the splitter builds it (the passages' texts joined by a blank line),
so `text[p.start:p.end] == p.text` holds by construction, and the labels are numbered as the
splitter numbers them, plus the one kind only corrections make ("not part of the text").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from readings.importing.sentences import word_count
from readings.importing.splitter import PASSAGE_SEPARATOR

# kind -> (label prefix, anchor prefix, counter): the splitter's numbering (checked against it
# by tests/readings/corrections/test_layout.py), and "not part of the text" counted apart.
NUMBERING = {
    "front_matter": ("Front matter ", "f", "front_matter"),
    "heading": ("§ ", "s", "heading"),
    "paragraph": ("¶ ", "p", "body"),
    "list_item": ("¶ ", "p", "body"),
    "pull_quote": ("Pull quote ", "q", "pull_quote"),
    "not_text": ("Not text ", "x", "not_text"),
}

# What joins two merged passages: one space, as the splitter rejoins a paragraph cut by a page.
MERGE_JOINER = " "


@dataclass(frozen=True)
class Laid:
    """One passage's place once the reading is laid out again."""

    position: int
    start: int
    end: int
    label: str
    anchor: str
    section: str
    word_count: int


def lay_out(passages: Sequence[tuple[str, str]]) -> tuple[str, list[Laid]]:
    """The text and each passage's place, for (kind, text) pairs in reading order."""
    counters: dict[str, int] = {}
    section = ""
    offset = 0
    laid: list[Laid] = []
    for position, (kind, text) in enumerate(passages):
        label_prefix, anchor_prefix, counter = NUMBERING[kind]
        counters[counter] = counters.get(counter, 0) + 1
        number = counters[counter]
        if kind == "heading":
            section = text
        if position:
            offset += len(PASSAGE_SEPARATOR)
        laid.append(
            Laid(
                position=position,
                start=offset,
                end=offset + len(text),
                label=f"{label_prefix}{number}",
                anchor=f"{anchor_prefix}{number}",
                section=section[:300],
                word_count=word_count(text),
            )
        )
        offset += len(text)
    return PASSAGE_SEPARATOR.join(text for _, text in passages), laid


_SENTENCE_END = re.compile(r"(?<=[.!?…:;])[\"'”’)\]]*\s+")


_WORD_START = re.compile(r"\s+")
# Points a list offers at most: a select of thousands of words helps nobody.
MAX_SPLIT_POINTS = 300


def split_points(text: str) -> list[int]:
    """Where a passage can be split without a caret: after each sentence (the offset of the
    next sentence's first character), or before each word when it is one sentence (a title
    and subtitle run together). Offered as a list when JavaScript is off."""
    points = [m.end() for m in _SENTENCE_END.finditer(text) if 0 < m.end() < len(text)]
    if not points:
        points = [m.end() for m in _WORD_START.finditer(text) if 0 < m.end() < len(text)]
    return points[:MAX_SPLIT_POINTS]


def split_halves(text: str, at: int) -> tuple[str, str, int] | None:
    """The two passages a split at `at` makes, and where the second starts in `text`; None when
    either would be empty (a split at an end, or only whitespace on one side)."""
    if not 0 < at < len(text):
        return None
    first = text[:at].rstrip()
    rest = text[at:]
    second = rest.lstrip()
    if not first or not second:
        return None
    return first, second, at + len(rest) - len(second)


def offset_map(old: str, new: str) -> Callable[[int, bool], int]:
    """A function taking an offset in `old` to the same place in `new`. A span's start follows
    the character after it, its end the character before it, so words inserted just outside a
    quote stay outside; a quote over replaced words grows to hold their replacement."""
    blocks = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()

    def moved(offset: int, end: bool) -> int:
        for tag, i1, i2, j1, j2 in blocks:
            if end and i1 < offset <= i2:
                return j1 + offset - i1 if tag == "equal" else j2
            if not end and i1 <= offset < i2:
                return j1 + offset - i1 if tag == "equal" else j1
        return 0 if end else len(new)

    return moved
