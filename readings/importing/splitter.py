"""split_text: raw text in, canonical text and citable passages out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from readings.importing.blocks import units_from_text
from readings.importing.frontmatter import mark_front_matter
from readings.importing.furniture import drop_page_furniture
from readings.importing.headings import mark_headings
from readings.importing.limits import Budget
from readings.importing.markup import Span
from readings.importing.normalise import normalise_text
from readings.importing.notes import Call, SplitNote, attach_notes
from readings.importing.pullquotes import mark_repeated_pull_quotes
from readings.importing.rejoin import Piece, rejoin
from readings.importing.sentences import word_count

PASSAGE_SEPARATOR = "\n\n"

# kind -> (label prefix, anchor prefix, counter); paragraphs and list items share one counter.
_NUMBERING = {
    "front_matter": ("Front matter ", "f", "front_matter"),
    "heading": ("§ ", "s", "heading"),
    "paragraph": ("¶ ", "p", "body"),
    "list_item": ("¶ ", "p", "body"),
    "pull_quote": ("Pull quote ", "q", "pull_quote"),
}


@dataclass(frozen=True)
class SplitPassage:
    position: int
    kind: str  # front_matter | heading | paragraph | list_item | pull_quote
    start: int  # code-point offsets into SplitResult.text, end exclusive
    end: int
    text: str
    section: str  # the heading this passage falls under ("" before the first heading)
    word_count: int
    label: str  # "¶ 3", "§ 1", "Pull quote 2", "Front matter 1"
    anchor: str  # "p3", "s1", "q2", "f1"
    emphasis: tuple[Span, ...]  # relative to `text`


@dataclass(frozen=True)
class SplitResult:
    text: str
    passages: tuple[SplitPassage, ...]
    content_hash: str
    notes: tuple[SplitNote, ...] = ()  # in reading order; none is a passage or in `text`


def split_text(
    raw: str, budget: Budget | None = None, *, notes: tuple[str, ...] = ()
) -> SplitResult:
    """Split raw text into passages and rebuild the canonical text from them.

    The rules run in this order, each deciding the role of blocks the earlier ones left open:
    normalise -> blocks -> page furniture -> front matter -> pull quotes (repetition) ->
    headings -> page-break rejoin (which also catches pull quotes that interrupt a sentence).
    The canonical text is the passages' texts joined by a blank line, so every passage is an
    exact slice of it: ``result.text[p.start:p.end] == p.text``.

    Refused (ImportRejected) past the budget's time or passage limit: by default its own
    `Budget`, so a caller that read the file under one budget can split under the same.

    Note calls in `raw` (see readings/importing/notes.py) leave the text before any rule sees
    it; each of `notes` goes to the passage that calls it (`SplitResult.notes`). Without
    `notes`, every call and stray marker is simply removed: pasted text cannot forge a note.
    """
    budget = budget or Budget(what="The text")
    units = units_from_text(normalise_text(raw), budget)
    budget.check()
    drop_page_furniture(units)
    mark_front_matter(units)
    next_group = mark_repeated_pull_quotes(units, budget=budget)
    budget.check()
    mark_headings(units)
    pieces = rejoin(units, first_group=next_group, budget=budget)
    budget.check_passages(len(pieces))
    budget.check()
    budget.check_passages(len(notes))
    return assemble(pieces, notes)


def assemble(pieces: list[Piece], notes: tuple[str, ...] = ()) -> SplitResult:
    """Number the pieces, lay them end to end and record each one's offsets."""
    passages: list[SplitPassage] = []
    counters = {"front_matter": 0, "heading": 0, "body": 0, "pull_quote": 0}
    section = ""
    offset = 0
    texts: list[str] = []
    calls: list[tuple[int, Call]] = []
    for piece in pieces:
        text = piece.marked.text
        label_prefix, anchor_prefix, counter = _NUMBERING[piece.kind]
        counters[counter] += 1
        number = counters[counter]
        if piece.kind == "heading":
            section = text
        if texts:
            offset += len(PASSAGE_SEPARATOR)
        passages.append(
            SplitPassage(
                position=len(passages),
                kind=piece.kind,
                start=offset,
                end=offset + len(text),
                text=text,
                section=section,
                word_count=word_count(text),
                label=f"{label_prefix}{number}",
                anchor=f"{anchor_prefix}{number}",
                emphasis=piece.marked.emphasis,
            )
        )
        calls.extend((len(passages) - 1, call) for call in piece.marked.calls)
        texts.append(text)
        offset += len(text)
    canonical = PASSAGE_SEPARATOR.join(texts)
    return SplitResult(
        text=canonical,
        passages=tuple(passages),
        content_hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        notes=attach_notes(calls, notes, len(passages)),
    )
