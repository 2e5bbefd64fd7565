"""The lines of a PDF page as PyMuPDF reads them: text, box, size and weight of the type,
and the note calls set in superscript. The other modules of this package work on these plain
`Line`s, so every rule can be tested on lines made by hand."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pymupdf

from readings.importing.readers.pdf.hyphens import Vocabulary, join_lines

NOTE_OPEN, NOTE_CLOSE = "\ue000", "\ue001"  # a note call in RawDocument.text: \ue000 3 \ue001
PENDING = "\ue002"  # opens a call whose note is not yet numbered
_CALL_RE = re.compile(r"^\s*([0-9]{1,3}|[*†‡§¶]{1,3})\s*$")
_DIGITS_RE = re.compile(r"\d+")
_PUNCTUATION_RE = re.compile(r"[^\w#]+")
_LIGATURES = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
_LIGATURE_RE = re.compile("[\ufb00-\ufb06]")
SUPERSCRIPT, ITALIC, BOLD = 1, 2, 16  # PyMuPDF span flags


@dataclass
class Line:
    """One line of text on a page. `calls` holds the labels of the note calls it shows, each
    marked in `text` as PENDING + label + NOTE_CLOSE until the notes are numbered."""

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
    confidence: float | None = None  # mean OCR word confidence (0-100); None: a text layer
    words: int = 0  # the words OCR read on the line

    @property
    def key(self) -> str:
        """The line as a running head repeats it: case and page numbers ignored; for a line
        read by OCR, punctuation too (a dash or stop read on one page, missed on the next)."""
        text = _DIGITS_RE.sub("#", self.text.casefold())
        if self.confidence is not None:
            text = _PUNCTUATION_RE.sub(" ", text)
        return " ".join(text.split())


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


def lines_of_page(number: int, page: Any) -> Page:
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
                    parts.append(f"{PENDING}{call.group(1)}{NOTE_CLOSE}")
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


def joined_text(lines: list[Line], vocabulary: Vocabulary | None = None) -> str:
    text = ""
    for line in lines:
        text = join_lines(text, line.text, vocabulary or Vocabulary())
    return text
