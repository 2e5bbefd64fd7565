"""OCR words as the PDF reader's lines, so a scan goes through the same layout rules as a
born-digital PDF (running heads, notes, headings, hyphenation, paragraphs across pages).

Tesseract gives word boxes in pixels of a page that may lie crooked on the scanner; the rules
want lines in points on a straight page, in the type size they were set in. So the page is
turned straight (the median slope of its long baselines), pixels become points at the scan's
resolution, and each line's type size is its row height (ascender line to descender line:
11 pt type scanned at 300 dpi has rows of 45-46 pixels, 45.8 expected).
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter

from readings.importing.readers.ocr.engine import PageText, TextLine, Word
from readings.importing.readers.pdf.lines import NOTE_CLOSE, PENDING, Line, Page, plain

# Of the type size: the ascender line above the baseline and the descender line below, as
# MuPDF's line boxes of a text layer extend (DejaVu Serif: 0.93 and 0.24).
_ASCENT, _DESCENT = 0.93, 0.24
# Row heights measured in pixels differ by a pixel or two between lines of one size: 2-5 %
# at 200-300 dpi; the rules tell body text from asides by an 8 % difference.
SAME_SIZE = 0.12
# Specks of dust or toner read as "~", ":" or "'": no letter or digit, and a confidence under
# this. Kept, one beside the margin would move the column's edge and cut every paragraph there.
SPECK_CONFIDENCE = 50.0
_LABEL_RE = re.compile(r"^(?:[0-9]{1,3}|[*†‡§¶]{1,3})$")


def is_speck(word: Word) -> bool:
    """Example: "~" at 10 -> True; "—" at 90 -> False; "a" at 10 -> False (a misread letter)."""
    return word.confidence < SPECK_CONFIDENCE and not any(c.isalnum() for c in word.text)


def skew(page: PageText, width: int) -> float:
    """The angle (radians) the text lines rise or fall by, from the baselines longer than a
    quarter of the page; 0 when there are none."""
    slopes = [
        math.atan2(y2 - y1, x2 - x1)
        for line in page.lines
        for (x1, y1), (x2, y2) in [line.baseline]
        if x2 - x1 > width / 4
    ]
    return statistics.median(slopes) if slopes else 0.0


def _call(word: Word, line: TextLine) -> tuple[str, str] | None:
    """Rule: characters at the end of a word set small and high (raised a quarter of the row
    above the baseline, a third to three quarters of it tall) are a note call; a closing
    quote sits as high but is a quarter of the row tall. Returns (the word without them, the
    call's label: its digits, or "?" when they were misread, as "!" or "”" often are).
    Example: "power." then a raised "3" -> ("power.", "3")."""
    (bx1, by1), (bx2, by2) = line.baseline
    row = line.row_height
    raised = 0
    for _, (x0, y0, x1, y1) in reversed(word.symbols):
        x = (x0 + x1) / 2
        base = by1 + (by2 - by1) * (x - bx1) / max(bx2 - bx1, 1)
        if base - y1 >= 0.25 * row and 0.33 * row <= y1 - y0 <= 0.75 * row:
            raised += 1
        else:
            break
    if not raised or raised == len(word.symbols) or raised > 3:
        return None
    body = "".join(text for text, _ in word.symbols[:-raised])
    label = "".join(text for text, _ in word.symbols[-raised:])
    return body, label if _LABEL_RE.match(label) else "?"


def resolve_calls(page: Page, labels: list[str]) -> None:
    """Rule: calls whose label OCR misread ("?") take, in reading order, the labels of the
    page's notes that no call read well has; a misread call left over is dropped.
    Example: calls "1", "?" over notes 1 and 2 -> "1", "2"."""
    unread = f"{PENDING}?{NOTE_CLOSE}"
    lines = sorted(page.lines, key=lambda line: (line.y0, line.x0))
    numbered = any(label.isdigit() for label in labels)
    for line in lines:  # "*" over numbered notes (or a digit over starred ones) was misread
        for index, label in enumerate(line.calls):
            if label != "?" and labels and label not in labels and label.isdigit() != numbered:
                line.calls[index] = "?"
                line.text = line.text.replace(f"{PENDING}{label}{NOTE_CLOSE}", unread, 1)
    read = {label for line in lines for label in line.calls if label != "?"}
    free = [label for label in labels if label not in read]
    for line in lines:
        while "?" in line.calls:
            index = line.calls.index("?")
            if free:
                label = free.pop(0)
                line.calls[index] = label
                line.text = line.text.replace(unread, f"{PENDING}{label}{NOTE_CLOSE}", 1)
            else:
                del line.calls[index]
                line.text = line.text.replace(unread, "", 1)


def page_lines(number: int, page: PageText, width: int, height: int, dpi: float) -> Page:
    """The lines of page `number`, read by OCR from an image of width × height pixels."""
    angle = skew(page, width)
    cos, sin = math.cos(angle), math.sin(angle)
    cx, cy = width / 2, height / 2
    scale = 72 / dpi

    def straight(x: float, y: float) -> tuple[float, float]:
        return cx + (x - cx) * cos + (y - cy) * sin, cy + (y - cy) * cos - (x - cx) * sin

    lines: list[Line] = []
    for found in page.lines:
        for word in found.words:  # a speck under a letter reads as an underscore beside it
            word.text = word.text.strip("_") or word.text
        found.words = [word for word in found.words if not is_speck(word)]
        if not found.words:
            continue
        lefts, rights = [], []
        for word in found.words:
            x0, y0, x1, y1 = word.box
            x, _ = straight((x0 + x1) / 2, (y0 + y1) / 2)
            lefts.append(x - (x1 - x0) / 2)
            rights.append(x + (x1 - x0) / 2)
        (bx1, by1), (bx2, by2) = found.baseline
        _, base = straight((bx1 + bx2) / 2, (by1 + by2) / 2)
        size = found.row_height
        parts: list[str] = []
        calls: list[str] = []
        for word in found.words:
            call = _call(word, found)
            if call is None:
                parts.append(word.text)
            else:
                parts.append(f"{call[0]}{PENDING}{call[1]}{NOTE_CLOSE}")
                calls.append(call[1])
        text = plain(" ".join(parts))
        if not text:
            continue
        line = Line(
            number,
            min(lefts) * scale,
            (base - _ASCENT * size) * scale,
            max(rights) * scale,
            (base + _DESCENT * size) * scale,
            text,
            round(size * scale, 1),
            calls=calls,
        )
        line.confidence, line.words = _confidence(found)
        lines.append(line)
    lines.sort(key=lambda line: (line.y0, line.x0))
    return Page(number, width * scale, height * scale, lines)


def _confidence(line: TextLine) -> tuple[float, int]:
    return statistics.fmean(word.confidence for word in line.words), len(line.words)


def settle_sizes(pages: list[Page]) -> None:
    """Rule: lines read by OCR whose size is within SAME_SIZE of the commonest size (counted
    by characters) are set in it: the type is one, the pixels vary.
    Example: rows measured 10.8, 11.0 and 11.3 pt over a 20 pt title -> 11.0, 11.0, 11.0, 20."""
    read = [line for page in pages for line in page.lines if line.confidence is not None]
    sizes: Counter[float] = Counter()
    for line in read:
        sizes[round(line.size * 2) / 2] += len(line.text)
    if not sizes:
        return
    common = sizes.most_common(1)[0][0]
    for line in read:
        if abs(line.size - common) <= SAME_SIZE * common:
            line.size = common
