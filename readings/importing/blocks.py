"""Blocks: normalised text cut at blank lines into units (paragraphs, headings, list items)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readings.importing.limits import Budget
from readings.importing.markup import Marked, parse_inline
from readings.importing.notes import has_note_marks, take_calls
from readings.importing.sentences import word_count

_ATX_HEADING_RE = re.compile(r"^(#{1,6})(?:[ ]+|$)(.*?)(?:[ ]+#+)?$")
_THEMATIC_BREAK_RE = re.compile(r"^([-*_])(?:[ ]*\1){2,}$")
BULLETS = "•-*–◦▪‣●○"
_BULLET_RE = re.compile(rf"^[{re.escape(BULLETS)}][ ]+(?=\S)")
_MARKER_STARTS = frozenset("#_" + BULLETS)


@dataclass
class Unit:
    """One candidate passage; the rules fill in `role` ("" until a rule decides)."""

    marked: Marked
    source: str  # "block" (a run of lines), "list" (a bulleted item) or "heading" ("# ..." line)
    lines: int = 1
    role: str = ""  # front_matter | heading | paragraph | list_item | pull_quote | dropped
    quote_group: int = -1  # pull-quote pieces that share a group become one passage
    words: int = field(init=False)

    def __post_init__(self) -> None:
        self.words = word_count(self.marked.text)

    @property
    def text(self) -> str:
        return self.marked.text

    @property
    def is_open_block(self) -> bool:
        """A block no rule has claimed yet."""
        return self.source == "block" and not self.role


def split_blocks(text: str) -> list[list[str]]:
    """Rule: blocks are separated by one or more blank lines.
    Example: "a\\nb\\n\\n\\nc" -> [["a", "b"], ["c"]]. Expects normalised (stripped) lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def units_from_block(
    lines: list[str], budget: Budget | None = None, *, calls: bool = True
) -> list[Unit]:
    """Rule: within a block, a "#" line is a heading, a bulleted line starts a list item (later
    unbulleted lines continue it), a line of three or more - * _ is a thematic break (dropped),
    and other lines are hard-wrapped prose joined with spaces.
    Example: ["Summary:", "  • one", "  • two", "wrapped"] -> block "Summary:", items "one",
    "two wrapped"."""
    units: list[Unit] = []
    pending: list[str] = []
    pending_source = "block"

    def flush() -> None:
        nonlocal pending
        if pending:
            marked = parse_inline(" ".join(pending), budget)
            if calls:
                marked = take_calls(marked)
            if marked.text:
                units.append(Unit(marked, pending_source, lines=len(pending)))
        pending = []

    for line in lines:
        if line[0] not in _MARKER_STARTS:  # most lines: plain prose, no regex needed
            if not pending:
                pending_source = "block"
            pending.append(line)
            continue
        if _THEMATIC_BREAK_RE.match(line):
            flush()
            continue
        heading = _ATX_HEADING_RE.match(line)
        if heading:
            flush()
            marked = parse_inline(heading.group(2).strip())
            if calls:
                marked = take_calls(marked)
            if marked.text:
                units.append(Unit(marked, "heading"))
            pending_source = "block"
            continue
        bullet = _BULLET_RE.match(line)
        if bullet:
            flush()
            pending_source = "list"
            pending = [line[bullet.end() :]]
            continue
        if not pending:
            pending_source = "block"
        pending.append(line)
    flush()
    return units


_BLANK_LINES_RE = re.compile("\n\n+")


def units_from_text(normalised: str, budget: Budget | None = None) -> list[Unit]:
    """The units of every block, refused early (before a list per block is built) when the
    text has more blocks than a reading may have passages."""
    budget = budget or Budget(what="The text")
    # Counted in C: k runs of blank lines separate at least k - 1 blocks.
    budget.check_passages(_BLANK_LINES_RE.subn("", normalised)[1] - 1)
    units: list[Unit] = []
    calls = has_note_marks(normalised)  # most texts have none: one scan instead of one a block
    for count, lines in enumerate(split_blocks(normalised)):
        if count % 256 == 0:
            budget.check()
            budget.check_passages(len(units))
        units.extend(units_from_block(lines, budget, calls=calls))
    budget.check_passages(len(units))
    return units
