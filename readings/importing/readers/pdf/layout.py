"""The layout of a PDF read as a person reads it: lines with their type and position, page
furniture dropped, columns in reading order, paragraphs rejoined across lines, columns and
pages, footnotes set apart as notes, pull quotes and captions moved out of the sentences they
interrupt, and the title taken from the largest type on the first page.

Pure Python over plain data (`Line`), so every rule can be tested on lines made by hand; the
PyMuPDF side is `lines_of_page`.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pymupdf

from readings.importing.readers.lightmarkdown import block, escape_inline
from readings.importing.readers.pdf.hyphens import Vocabulary, join_lines
from readings.importing.sentences import ends_sentence

NOTE_OPEN, NOTE_CLOSE = "\ue000", "\ue001"  # a note call in RawDocument.text: \ue000 3 \ue001
_PENDING = "\ue002"  # opens a call whose note is not yet numbered
_CALL_RE = re.compile(r"^\s*([0-9]{1,3}|[*†‡§¶]{1,3})\s*$")
_NOTE_LABEL_RE = re.compile(r"^([0-9]{1,3}|[*†‡§¶]{1,3})(?:[.):]\s*|\s+)(?=\S)")
_PAGE_NUMBER_RE = re.compile(
    r"(?i)^(?:page\s+|p\.\s*)?(?:\d{1,4}|[ivxlc]{1,7})(?:\s*(?:/|of)\s*\d{1,4})?$"
)
_DIGITS_RE = re.compile(r"\d+")
_BULLETS = ("•", "◦", "▪", "‣", "●", "– ", "- ")
_LIGATURES = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
_LIGATURE_RE = re.compile("[\ufb00-\ufb06]")
MARGIN_BAND = 0.13  # of the page height: where running heads and page numbers sit
SUPERSCRIPT, ITALIC, BOLD = 1, 2, 16  # PyMuPDF span flags


@dataclass
class Line:
    """One line of text on a page. `calls` holds the labels of the note calls it shows, each
    marked in `text` as _PENDING + label + NOTE_CLOSE until the notes are numbered."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    bold: bool = False
    calls: list[str] = field(default_factory=list)
    italic: bool = False
    beside: float = math.inf  # the left edge of a float (aside) set to the right of the line
    role: str = ""  # furniture | note | title | heading | aside | body

    @property
    def key(self) -> str:
        """The line as a running head repeats it: case and page numbers ignored."""
        return " ".join(_DIGITS_RE.sub("#", self.text.casefold()).split())


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]


def plain(text: str) -> str:
    """Ligatures to letters (NFKC on U+FB00-FB06 only: elsewhere NFKC changes meaning, as
    "x²" -> "x2"), whitespace collapsed. Example: "e\ufb00ective  ﬁrst" -> "effective first"."""
    return " ".join(_LIGATURE_RE.sub(lambda m: _LIGATURES[m.group()], text).split())


def lines_of_page(number: int, page: Any, body_hint: float = 0.0) -> Page:
    """The lines of one PyMuPDF page: spans joined, size and weight of the line's main type,
    superscript numbers marked as note calls (resolved later against the page's footnotes)."""
    flags = pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_PRESERVE_WHITESPACE
    content = page.get_text("dict", flags=flags)
    lines: list[Line] = []
    for block_ in content["blocks"]:
        for raw in block_.get("lines", ()):
            spans = [s for s in raw["spans"] if s["text"].strip()]
            if not spans:
                continue
            weights: Counter[float] = Counter()
            bold = italic = 0
            for span in spans:
                if not span["flags"] & SUPERSCRIPT:
                    weights[round(span["size"], 1)] += len(span["text"].strip())
            size = weights.most_common(1)[0][0] if weights else round(spans[0]["size"], 1)
            parts: list[str] = []
            calls: list[str] = []
            for span in raw["spans"]:  # the blank ones too: some writers set spaces apart
                text = span["text"]
                call = _CALL_RE.match(text)
                if (
                    call
                    and span["flags"] & SUPERSCRIPT
                    and span["size"] < size * 0.9
                    and "".join(parts).strip()
                ):
                    calls.append(call.group(1))
                    parts.append(f"{_PENDING}{call.group(1)}{NOTE_CLOSE}")
                    continue
                if span["flags"] & BOLD or "bold" in span["font"].casefold():
                    bold += len(text.strip())
                if span["flags"] & ITALIC:
                    italic += len(text.strip())
                parts.append(text)
            text = plain("".join(parts))
            if not text:
                continue
            x0, y0, x1, y1 = raw["bbox"]
            letters = sum(len(s["text"].strip()) for s in spans)
            line = Line(number, x0, y0, x1, y1, text, size, bold >= 0.8 * letters, calls)
            line.italic = italic >= 0.8 * letters
            lines.append(line)
    return Page(number, page.rect.width, page.rect.height, lines)


# Furniture ------------------------------------------------------------------------------------


def mark_furniture(pages: list[Page]) -> None:
    """Rule: a line in the top or bottom band of a page is a running head or footer when a line
    of the same words (page numbers aside) sits at about the same height on another page, and a
    page number when it is a bare number (or "Page 3", "iv") nearest the page edge; either is
    set apart from the text by more than the space between lines. When nothing else is left,
    nothing is dropped.
    Example: "FOREIGN AFFAIRS 12" at the top of pages 2, 3 and 4 -> dropped on each."""
    seen: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
    # Heads may alternate between left and right pages; a footnote may repeat ("Ibid.").
    repeats = max(2, math.ceil(0.3 * len(pages)))
    for page in pages:
        for line in page.lines:
            if _in_band(line, page):
                seen[line.key].append((page.number, line.y0))
    for page in pages:
        banded = [line for line in page.lines if _in_band(line, page) and _set_apart(line, page)]
        for line in banded:
            level = [y for _, y in seen[line.key] if abs(y - line.y0) < 0.02 * page.height]
            if (
                len(level) >= repeats
                or _outermost(line, page)
                and (_PAGE_NUMBER_RE.match(line.text) or _lone_head(line, page, pages))
            ):
                line.role = "furniture"
    # When nothing else is left (a table of figures, one line repeated), it is the content.
    if all(line.role == "furniture" for page in pages for line in page.lines):
        for page in pages:
            for line in page.lines:
                line.role = ""


def _lone_head(line: Line, page: Page, pages: list[Page]) -> bool:
    """A running head seen once (a short document's second page): a short line in small type
    above everything else on a page after the first."""
    return (
        page.number > 1
        and line.y1 < page.height / 2
        and len(line.text.split()) <= 12
        and not ends_sentence(line.text)
        and line.size < 0.9 * max(other.size for other in page.lines)
    )


def _set_apart(line: Line, page: Page) -> bool:
    """More space than between lines of text separates the line from the text toward the
    middle of the page (a running head from the first line of the body)."""
    top = line.y1 < page.height / 2
    gaps = [
        other.y0 - line.y1 if top else line.y0 - other.y1
        for other in page.lines
        if (other.y0 >= line.y1 - 1 if top else other.y1 <= line.y0 + 1)
    ]
    return not gaps or min(gaps) > 0.6 * (line.y1 - line.y0)


def _in_band(line: Line, page: Page) -> bool:
    return line.y1 < MARGIN_BAND * page.height or line.y0 > (1 - MARGIN_BAND) * page.height


def _outermost(line: Line, page: Page) -> bool:
    """Nothing but other margin lines between the line and the page edge it is near."""
    top = line.y1 < page.height / 2
    for other in page.lines:
        if other is line or other.role == "furniture" or _in_band(other, page):
            continue
        if (top and other.y0 < line.y0) or (not top and other.y1 > line.y1):
            return False
    return True


# Type sizes, title, headings, notes, asides -------------------------------------------------------


def body_size(pages: list[Page]) -> float:
    """The size most of the text is set in, counted by characters."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            if not line.role:
                sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def mark_title(page: Page, body: float) -> str:
    """Rule: the title is the largest type on the first page, when it is clearly larger than
    the body (1.3 times), stands in the upper half with no body text beside it and at most
    three lines above it; its lines make one title.
    Example: two lines in 21 pt over a 10 pt body -> one title of both lines."""
    candidates = [line for line in page.lines if not line.role and line.y0 < page.height / 2]
    if not candidates:
        return ""
    largest = max(line.size for line in candidates)
    if largest < 1.3 * body:
        return ""
    title: list[Line] = []
    for line in sorted(candidates, key=lambda line: line.y0):
        if abs(line.size - largest) < 0.5:
            if title and line.y0 - title[-1].y1 > 1.2 * largest:
                break  # a second run of large type is not the same title
            title.append(line)
        elif title:
            break
    # A title has no text beside it (a pull quote in large type does), and only a few short
    # lines above it (a journal's name, a date).
    beside = any(
        abs(other.size - body) < 0.5 and other.y0 < line.y1 and line.y0 < other.y1
        for line in title
        for other in candidates
    )
    above = sum(1 for other in candidates if title and other.y1 <= title[0].y0)
    if beside or above > 3:
        return ""
    for line in title:
        line.role = "title"
    return " ".join(line.text for line in title)


def mark_notes(page: Page, body: float) -> list[tuple[str, str]]:
    """Rule: footnotes are the run of lines in smaller type at the foot of the page (below all
    body text), the first of them starting with a label ("1", "1.", "*"). A label at the
    notes' left edge, or the next number, starts a note; the lines after it continue it.
    Returns (label, text) in page order.
    Example: body ... then "1. See the report." and "2. Interview, 2021." in 8 pt -> two notes."""
    rest = sorted((line for line in page.lines if not line.role), key=lambda line: line.y0)
    foot: list[Line] = []
    for line in reversed(rest):
        if line.size < 0.92 * body and line.y0 > page.height / 3:
            foot.append(line)
        else:
            break
    foot.reverse()
    while foot and not _NOTE_LABEL_RE.match(foot[0].text):
        foot.pop(0)  # a caption just above the notes is not one
    notes: list[tuple[str, list[Line]]] = []
    for line in foot:
        label = _NOTE_LABEL_RE.match(line.text)
        if label and (
            not notes or line.x0 <= notes[-1][1][0].x0 + 2 or _follows(notes[-1][0], label.group(1))
        ):
            notes.append((label.group(1), [line]))
            line.text = line.text[label.end() :]
        else:
            notes[-1][1].append(line)
        line.role = "note"
    return [(label, _joined_text(lines)) for label, lines in notes]


def _follows(previous: str, label: str) -> bool:
    """Example: "3" then "4" -> True; "3" then "2019" -> False."""
    return previous.isdigit() and label.isdigit() and int(label) == int(previous) + 1


def _joined_text(lines: list[Line], vocabulary: Vocabulary | None = None) -> str:
    text = ""
    for line in lines:
        text = join_lines(text, line.text, vocabulary or Vocabulary())
    return text


def mark_headings_and_asides(pages: list[Page], body: float) -> None:
    """Rule: lines set apart from the body (another size, or bold throughout) are taken in
    groups of neighbouring lines of one size. A group in larger type than the body, or in
    bold, not in italics, of at most three lines and fifteen words, that does not end a
    sentence is a heading;
    any other group in type of another size (pull quotes, captions, sidebars) is an aside,
    read after the paragraph it stands beside. Example: "Money and Power" in 12 pt bold over a
    10 pt body -> heading; a pull quote of three lines in 13 pt italic -> aside."""
    for page in pages:
        groups: list[list[Line]] = []
        for line in sorted(page.lines, key=lambda line: line.y0):
            if line.role:
                continue
            if abs(line.size - body) <= 0.08 * body and not line.bold:
                line.role = "body"
                continue
            group = next(
                (
                    g
                    for g in reversed(groups)
                    if abs(g[-1].size - line.size) < 0.5
                    and g[-1].bold == line.bold
                    and -1 <= line.y0 - g[-1].y1 < line.size
                    and line.x0 < g[-1].x1
                    and g[-1].x0 < line.x1
                ),
                None,
            )
            if group is None:
                groups.append([line])
            else:
                group.append(line)
        for group in groups:
            text = " ".join(line.text for line in group)
            size = group[0].size
            heading = (
                (size > 1.08 * body or group[0].bold)
                and not group[0].italic
                and len(group) <= 3
                and len(text.split()) <= 15
                and not ends_sentence(text)
            )
            for line in group:
                if heading:
                    line.role = "heading"
                elif abs(size - body) <= 0.08 * body:
                    line.role = "body"
                else:
                    line.role = "aside"


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
    text = before.text.replace(NOTE_CLOSE, "").rstrip("0123456789*†‡" + _PENDING)
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
) -> list[str]:
    """The light Markdown blocks of the document, in reading order."""
    flow = measure_flow(pages)
    blocks: list[str] = []
    if title:
        blocks.append(block(escape_inline(title)))
    paragraph: list[Line] = []
    asides: list[list[Line]] = []
    heading: list[Line] = []

    def flush_paragraph(page: float) -> None:
        if paragraph:
            text = _joined_text(paragraph, vocabulary)
            if text.startswith(_BULLETS):
                blocks.append("- " + escape_inline(text.lstrip("•◦▪‣●–- ").strip()))
            else:
                blocks.append(block(_calls(escape_inline(text), paragraph, notes)))
            paragraph.clear()
        # A pull quote cut by a page or column break waits for its end on the next page.
        unfinished = asides[-1] if asides and not ends_sentence(asides[-1][-1].text) else None
        if unfinished and page <= unfinished[-1].page + 1:
            asides.pop()
        else:
            unfinished = None
        for aside in asides:
            blocks.append(
                block(_calls(escape_inline(_joined_text(aside, vocabulary)), aside, notes))
            )
        asides[:] = [unfinished] if unfinished else []

    def flush_heading() -> None:
        if heading:
            blocks.append("# " + escape_inline(_joined_text(heading, vocabulary)))
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


def _calls(text: str, lines: Iterable[Line], notes: dict[tuple[int, str], int]) -> str:
    """Each call marked with its page's label becomes the note's number in the document, or
    plain text again when the page has no such note (a superscript that is not a call)."""
    for line in lines:
        for label in line.calls:
            marked = f"{_PENDING}{escape_inline(label)}{NOTE_CLOSE}"
            number = notes.get((line.page, label)) or notes.get((line.page + 1, label))
            text = text.replace(marked, f"{NOTE_OPEN}{number}{NOTE_CLOSE}" if number else label, 1)
    return text
