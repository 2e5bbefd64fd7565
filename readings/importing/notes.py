"""Notes: footnotes and endnotes travel from a reader to the splitter as calls in the text.

A reader writes a call as U+E000, the note's 1-based number in decimal, U+E001 ("…as argued.
\\ue0003\\ue001 Next…") and hands the notes' texts in `RawDocument.notes` (note n is
notes[n - 1]). The splitter takes every call out of the text before offsets are computed, so
no marker reaches a passage, and each note goes to the passage that calls it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from readings.importing.markup import Marked, Span

OPEN = "\ue000"
CLOSE = "\ue001"
_TOKEN_RE = re.compile(OPEN + r"(\d{1,6})" + CLOSE + "|[" + OPEN + CLOSE + "]")
_MARKS_RE = re.compile("[" + OPEN + CLOSE + "]")
_SPACES_RE = re.compile(r"\s+")
# A call is an (offset into the passage's text, note number) pair.
Call = tuple[int, int]


@dataclass(frozen=True)
class SplitNote:
    number: int  # as called in the text, 1-based
    text: str
    position: int  # the position of the passage that holds its call
    offset: int  # where in that passage's text the call stood


def note_call(number: int) -> str:
    return f"{OPEN}{number}{CLOSE}"


def has_note_marks(text: str) -> bool:
    return OPEN in text or CLOSE in text


def strip_note_marks(text: str) -> str:
    """The file's own text never holds a call: a reader strips the markers from what it reads
    before it writes calls of its own, so text typed into a file cannot forge one."""
    return _MARKS_RE.sub("", text) if OPEN in text or CLOSE in text else text


def note_text(text: str) -> str:
    """A note as stored: one line, no markers."""
    return _SPACES_RE.sub(" ", strip_note_marks(text)).strip()


def take_calls(marked: Marked) -> Marked:
    """Rule: each call leaves the text (with one of the spaces around it when it stood
    between two), its place is kept in `calls`; a stray U+E000 or U+E001 just goes.
    Emphasis spans move with the text. Example: "as argued \\ue0003\\ue001 next" ->
    "as argued next", calls ((10, 3),)."""
    text = marked.text
    if OPEN not in text and CLOSE not in text:
        return marked
    kept: list[str] = []
    calls: list[Call] = list(marked.calls)
    removed_at: list[int] = []  # original index of each removed character, ascending
    length = 0
    previous = 0
    for match in _TOKEN_RE.finditer(text):
        start, end = match.span()
        kept.append(text[previous:start])
        length += start - previous
        spaced = kept[-1].endswith(" ") and text[end : end + 1] == " "
        if match.group(1) is not None:
            # "argued \ue0003\ue001 next": the call belongs after "argued", not the space.
            calls.append((length - 1 if spaced else length, int(match.group(1))))
        if spaced:
            end += 1  # one of the two spaces goes with the call
        removed_at.extend(range(start, end))
        previous = end
    kept.append(text[previous:])
    joined = "".join(kept)

    def moved(index: int) -> int:
        return index - bisect_right(removed_at, index - 1)

    spans = [(moved(a), moved(b)) for a, b in marked.emphasis]
    stripped = joined.strip()
    lead = len(joined) - len(joined.lstrip())
    limit = len(stripped)

    def clamp(index: int) -> int:
        return min(max(index - lead, 0), limit)

    emphasis: list[Span] = []
    for a, b in spans:
        a, b = clamp(a), clamp(b)
        if a < b:
            emphasis.append((a, b))
    return Marked(stripped, tuple(emphasis), tuple((clamp(o), n) for o, n in calls))


def attach_notes(
    calls: list[tuple[int, Call]], notes: tuple[str, ...], passages: int
) -> tuple[SplitNote, ...]:
    """Rule: a note goes to the passage of its first call. A call to a note that does not
    exist is dropped; a note nobody calls (its call was lost with its line, say) goes to the
    last passage, so no note is lost and none becomes a passage. Empty notes are dropped.
    `calls` holds (passage position, call) pairs in reading order."""
    placed: dict[int, tuple[int, int]] = {}
    for position, (offset, number) in calls:
        if 1 <= number <= len(notes) and number not in placed:
            placed[number] = (position, offset)
    result: list[SplitNote] = []
    for number, raw in enumerate(notes, start=1):
        text = note_text(raw)
        if not text or not passages:
            continue
        position, offset = placed.get(number, (passages - 1, -1))
        result.append(SplitNote(number, text, position, offset))
    result.sort(key=lambda note: (note.position, note.offset, note.number))
    return tuple(result)
