"""Lines in reading order and joined into paragraphs: columns read left before right,
paragraphs rejoined across lines, columns and pages, asides (pull quotes, captions) moved out
of the sentences they interrupt, note calls numbered."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from readings.importing.readers.lightmarkdown import block, escape_inline
from readings.importing.readers.pdf.hyphens import Vocabulary
from readings.importing.readers.pdf.lines import (
    NOTE_CLOSE,
    NOTE_OPEN,
    PENDING,
    Line,
    Page,
    joined_text,
)
from readings.importing.sentences import ends_sentence

_BULLETS = ("•", "◦", "▪", "‣", "●", "– ", "- ")
# A paragraph read by OCR whose words Tesseract is on average less sure of than this (0-100)
# is marked for checking: clean print scores 93-97; a smudged or speckled word 30-70.
LOW_CONFIDENCE = 80.0


# Reading order ---------------------------------------------------------------------------------


def reading_order(page: Page) -> list[Line]:
    """Rule: lines that cross the middle of the text area cut the page into bands, read top
    to bottom; within a band the left column is read before the right.
    Example: a full-width title, then two columns -> title, left column, right column."""
    lines = [line for line in page.lines if line.role not in ("furniture", "note")]
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    middle = (left + right) / 2
    ordered: list[Line] = []
    band: list[Line] = []

    def flush() -> None:
        band.sort(key=lambda line: (line.x0 >= middle - 2, line.y0))
        ordered.extend(band)
        band.clear()

    for line in sorted(lines, key=lambda line: (line.y0, line.x0)):
        if line.x0 < middle - 2 and line.x1 > middle + 2:
            flush()
            ordered.append(line)
        else:
            band.append(line)
    flush()
    return _merge_fragments(ordered, middle)


def _merge_fragments(lines: list[Line], middle: float) -> list[Line]:
    """Rule: pieces of one line (PDF writers and wide justified spaces cut lines into several)
    become one: same height, same role, same side of the page's middle, read in a row.
    Example: "rency." at x 309-339 and "Regional" at 376-421 on one baseline -> one line."""
    merged: list[Line] = []
    for line in lines:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.role == line.role
            and abs(last.y0 - line.y0) < 1
            and abs(last.y1 - line.y1) < 1
            and line.x0 >= last.x1 - 1
            and (last.x0 >= middle - 2) == (line.x0 >= middle - 2)
        ):
            last.text = f"{last.text} {line.text}"
            last.x1 = line.x1
            last.calls.extend(line.calls)
        else:
            merged.append(line)
    return merged


# Paragraphs -------------------------------------------------------------------------------------


@dataclass
class Flow:
    """What the paragraph builder needs to know about the columns of each page."""

    left: dict[tuple[int, int], float]  # (page, column) -> the column's left edge
    right: dict[tuple[int, int], float]
    middle: dict[int, float]
    pitch: float  # the usual distance from one body line to the next
    justified: bool = False  # most body lines reach their column's right edge
    marked: bool = False  # paragraphs start indented or after a gap, at least now and then
    lines: dict[tuple[int, int], int] = field(default_factory=dict)  # body lines per column
    usual_right: dict[int, float] = field(default_factory=dict)  # column -> median right edge
    width: dict[int, float] = field(default_factory=dict)  # page -> its width


def _column(line: Line, flow: Flow) -> int:
    middle = flow.middle.get(line.page, 0.0)
    if line.x0 >= middle - 2:
        return 1
    if line.x1 <= middle + 2:
        return 0
    return -1  # across the middle: one column for the whole width


def measure_flow(pages: list[Page]) -> Flow:
    left: dict[tuple[int, int], float] = {}
    right: dict[tuple[int, int], float] = {}
    middle: dict[int, float] = {}
    pitches: list[float] = []
    for page in pages:
        body = [line for line in page.lines if line.role == "body"]
        if not body:
            continue
        centre = (min(x.x0 for x in body) + max(x.x1 for x in body)) / 2
        # One column unless several body lines start right of the centre (a second column,
        # not a line set right or text beside a float).
        right_starts = sum(1 for x in body if x.x0 >= centre - 2)
        middle[page.number] = centre if right_starts >= max(3, len(body) // 5) else float("inf")
    flow = Flow(left, right, middle, 0.0)
    for page in pages:
        by_column: defaultdict[int, list[Line]] = defaultdict(list)
        for line in page.lines:
            if line.role == "body":
                by_column[_column(line, flow)].append(line)
        flow.width[page.number] = page.width
        for column, lines in by_column.items():
            flow.lines[(page.number, column)] = len(lines)
            left[(page.number, column)] = min(line.x0 for line in lines)
            right[(page.number, column)] = max(line.x1 for line in lines)
            lines.sort(key=lambda line: line.y0)
            pitches.extend(
                b.y0 - a.y0 for a, b in zip(lines, lines[1:], strict=False) if b.y0 > a.y0
            )
    flow.pitch = statistics.median(pitches) if pitches else 0.0
    counted: defaultdict[int, list[float]] = defaultdict(list)
    for (number, column), edge in right.items():
        if flow.lines[(number, column)] >= 3:
            counted[column].append(edge)
    flow.usual_right = {column: statistics.median(edges) for column, edges in counted.items()}
    # Justified: most lines end where the line before them ended (at the column's edge, or
    # at a float's).
    body = sorted(
        (line for page in pages for line in page.lines if line.role == "body"),
        key=lambda line: (line.page, _column(line, flow), line.y0),
    )
    pairs = list(zip(body, body[1:], strict=False))
    aligned = sum(1 for a, b in pairs if a.page == b.page and abs(a.x1 - b.x1) < 1)
    flow.justified = aligned >= 0.5 * len(pairs) if pairs else False
    marks = sum(
        1
        for a, b in pairs
        if a.page == b.page
        and _column(a, flow) == _column(b, flow)
        and (
            b.x0 > left.get((b.page, _column(b, flow)), b.x0) + 0.6 * b.size
            or (flow.pitch and b.y0 - a.y0 > 1.3 * flow.pitch)
        )
    )
    flow.marked = marks >= 3
    return flow


def starts_paragraph(
    before: Line,
    line: Line,
    flow: Flow,
    *,
    in_list: bool = False,
    previous: Line | None = None,
) -> bool:
    """Rule: a body line starts a new paragraph when it is indented from its column's edge
    (unless it hangs under a list item's first line),
    when more space than usual separates it from the line before in the same column, when it
    starts with a bullet, or when the line before ends a sentence well short of the measure
    (the last line of a justified paragraph: a line beside a float ends at the float's edge,
    as its neighbours do). Otherwise it continues the paragraph, also
    across a column or page break."""
    if line.text.startswith(_BULLETS):
        return True
    column = _column(line, flow)
    edge = flow.left.get((line.page, column), line.x0)
    if line.x0 > edge + 0.6 * line.size and not in_list:  # a list item's lines hang
        return True
    same_column = before.page == line.page and _column(before, flow) == column
    if same_column and flow.pitch and line.y0 - before.y0 > 1.3 * flow.pitch:
        return True
    measure, width = _measure(before, flow)
    # Justified, only a paragraph's last line falls short; ragged lines vary by a word or so.
    slack = 0.8 * before.size if flow.justified else max(2 * before.size, 0.12 * width)
    short = before.x1 < measure - slack
    if not flow.justified and flow.marked and same_column:
        # Ragged lines end anywhere; where the document marks its paragraphs by indent or
        # space, that mark decides within a column.
        return False
    if short and before.beside < measure:  # set beside a float: the float's edge is its measure
        short = before.x1 < before.beside - max(2 * before.size, 0.12 * width)
    if short and flow.justified and same_column:
        # Justified to the same short edge as the line before or after: set beside a figure
        # (a float with no text), not a paragraph's last line.
        aligned = [other for other in (previous, line) if other and other.page == before.page]
        short = not any(abs(other.x1 - before.x1) < 1 for other in aligned)
    text = before.text.replace(NOTE_CLOSE, "").rstrip("0123456789*†‡" + PENDING)
    return short and (ends_sentence(text) or not line.text[:1].islower())


def _mark_beside_floats(pages: list[Page]) -> None:
    """Rule: a body line with an aside (a floated pull quote or figure) at its height, to its
    right, ends where the aside begins."""
    for page in pages:
        asides = [line for line in page.lines if line.role == "aside"]
        if not asides:
            continue
        for line in page.lines:
            if line.role == "body":
                line.beside = min(
                    (
                        a.x0
                        for a in asides
                        if a.x0 >= line.x1 - 1
                        and a.y0 - line.size < line.y1
                        and line.y0 < a.y1 + line.size
                    ),
                    default=math.inf,
                )


def _measure(line: Line, flow: Flow) -> tuple[float, float]:
    """The right edge and width of the line's column: on its page, or, where the page holds
    too few lines to tell, the usual one of the document, or else the page's text width if its
    margins are even."""
    column = _column(line, flow)
    left = flow.left.get((line.page, column), line.x0)
    right = flow.right.get((line.page, column), line.x1)
    if flow.lines.get((line.page, column), 0) < 3:
        usual = flow.usual_right.get(column)
        right = max(right, usual if usual is not None else flow.width.get(line.page, 0) - left)
    return right, right - left


def build_blocks(
    pages: list[Page],
    *,
    title: str,
    vocabulary: Vocabulary,
    notes: dict[tuple[int, str], int],
    check: Callable[[], None],
    uncertain: list[str] | None = None,
) -> list[str]:
    """The light Markdown blocks of the document, in reading order. Blocks read by OCR with
    low confidence are also added to `uncertain`."""
    flow = measure_flow(pages)
    blocks: list[str] = []
    if title:
        blocks.append(block(escape_inline(title)))
    paragraph: list[Line] = []
    asides: list[list[Line]] = []
    heading: list[Line] = []

    def flush_paragraph(page: float) -> None:
        if paragraph:
            text = joined_text(paragraph, vocabulary)
            if text.startswith(_BULLETS):
                blocks.append("- " + escape_inline(text.lstrip("•◦▪‣●–- ").strip()))
            else:
                blocks.append(block(_calls(escape_inline(text), paragraph, notes)))
            _note_confidence(blocks[-1], paragraph, uncertain)
            paragraph.clear()
        # A pull quote cut by a page or column break waits for its end on the next page.
        unfinished = asides[-1] if asides and not ends_sentence(asides[-1][-1].text) else None
        if unfinished and page <= unfinished[-1].page + 1:
            asides.pop()
        else:
            unfinished = None
        for aside in asides:
            blocks.append(
                block(_calls(escape_inline(joined_text(aside, vocabulary)), aside, notes))
            )
            _note_confidence(blocks[-1], aside, uncertain)
        asides[:] = [unfinished] if unfinished else []

    def flush_heading() -> None:
        if heading:
            blocks.append("# " + escape_inline(joined_text(heading, vocabulary)))
            heading.clear()

    _mark_beside_floats(pages)
    ordered = [line for page in pages for line in reading_order(page) if line.role != "title"]
    for k, line in enumerate(ordered):
        if k % 256 == 0:
            check()
        if line.role == "heading":
            if heading and (line.page != heading[-1].page or line.y0 - heading[-1].y1 > line.size):
                flush_heading()
            if not heading:
                flush_paragraph(line.page)
            heading.append(line)
            continue
        flush_heading()
        if line.role == "aside":
            last = asides[-1][-1] if asides else None
            # A pull quote goes on where it stopped mid-sentence, even past a page break.
            if (
                last is not None
                and abs(last.size - line.size) < 0.5
                and last.italic == line.italic
                and (
                    (last.page == line.page and 0 <= line.y0 - last.y1 < line.size)
                    or not ends_sentence(last.text)
                )
            ):
                asides[-1].append(line)
            else:
                asides.append([line])
            continue
        in_list = bool(paragraph) and paragraph[0].text.startswith(_BULLETS)
        previous = paragraph[-2] if len(paragraph) > 1 else None
        if paragraph and starts_paragraph(
            paragraph[-1], line, flow, in_list=in_list, previous=previous
        ):
            flush_paragraph(line.page)
        paragraph.append(line)
    flush_heading()
    flush_paragraph(math.inf)
    return [b for b in blocks if b]


def _note_confidence(text: str, lines: list[Line], uncertain: list[str] | None) -> None:
    """Rule: a block whose lines OCR read with a mean word confidence under LOW_CONFIDENCE
    (each word counted once) goes into `uncertain`. Lines of a text layer count as certain.
    Example: 40 words at 95 and 20 at 30 -> mean 73 -> uncertain."""
    read = [line for line in lines if line.confidence is not None and line.words]
    if uncertain is None or not read or not text:
        return
    words = sum(line.words for line in read)
    mean = sum((line.confidence or 0.0) * line.words for line in read) / words
    if mean < LOW_CONFIDENCE:
        uncertain.append(text)


def _calls(text: str, lines: Iterable[Line], notes: dict[tuple[int, str], int]) -> str:
    """Each call marked with its page's label becomes the note's number in the document, or
    plain text again when the page has no such note (a superscript that is not a call)."""
    for line in lines:
        for label in line.calls:
            marked = f"{PENDING}{escape_inline(label)}{NOTE_CLOSE}"
            number = notes.get((line.page, label)) or notes.get((line.page + 1, label))
            text = text.replace(marked, f"{NOTE_OPEN}{number}{NOTE_CLOSE}" if number else label, 1)
    return text
