"""What each line of a PDF is: page furniture (running heads, footers, page numbers), the
title, footnotes, headings, asides (pull quotes, captions) or body text."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from readings.importing.readers.pdf.lines import Line, Page, joined_text
from readings.importing.sentences import ends_sentence

_NOTE_LABEL_RE = re.compile(r"^([0-9]{1,3}|[*†‡§¶]{1,3})(?:[.):]\s*|\s+)(?=\S)")
_PAGE_NUMBER_RE = re.compile(
    r"(?i)^(?:page\s+|p\.\s*)?(?:\d{1,4}|[ivxlc]{1,7})(?:\s*(?:/|of)\s*\d{1,4})?$"
)
MARGIN_BAND = 0.13  # of the page height: where running heads and page numbers sit


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
                and (_PAGE_NUMBER_RE.match(line.text) or _lone_head(line, page))
            ):
                line.role = "furniture"
    # When nothing else is left (a table of figures, one line repeated), it is the content.
    if all(line.role == "furniture" for page in pages for line in page.lines):
        for page in pages:
            for line in page.lines:
                line.role = ""


def _lone_head(line: Line, page: Page) -> bool:
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
    return [(label, joined_text(lines)) for label, lines in notes]


def _follows(previous: str, label: str) -> bool:
    """Example: "3" then "4" -> True; "3" then "2019" -> False."""
    return previous.isdigit() and label.isdigit() and int(label) == int(previous) + 1


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
