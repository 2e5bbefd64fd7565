"""Tesseract, through tesserocr: one page image in, its words with boxes and confidences out.

Chosen by measurement (bench/RESULTS.md, issue 22): the same recognition as pytesseract and
OCRmyPDF (all three run Tesseract's LSTM model), for 24-30 % less CPU a page than pytesseract,
which starts a tesseract process and loads the model for every page; OCRmyPDF also writes a
PDF around the text. In-process, Tesseract takes a timeout per page and hands over each line's
baseline and row height, which the layout rules need.
"""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from readings.importing.errors import ImportRejected

# Tesseract's OpenMP threads spin on a busy machine: on two shared cores pytesseract took 13.5
# CPU seconds a page with them, 3.3 without. Pages are read one per worker instead. (Read by
# libgomp when it loads, so set before tesserocr is imported.)
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import tesserocr  # noqa: E402

# Where Debian's tesseract-ocr-<lang> packages put the models, newest first.
_TESSDATA = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
NOT_INSTALLED = (
    "This server cannot read scanned pages: Tesseract's language data ({languages}) is not "
    "installed. Ask the administrator to install the Debian packages tesseract-ocr and "
    "tesseract-ocr-eng (the README's install command does), or upload a file with a text layer."
)


def languages() -> str:
    """The languages scans are read in, as Tesseract names them ("eng", "eng+deu"): the
    COUNTERPOINT_OCR_LANGUAGES environment variable, English by default."""
    chosen = os.environ.get("COUNTERPOINT_OCR_LANGUAGES", "").strip()
    return "+".join(part for part in chosen.replace(",", "+").split("+") if part) or "eng"


def tessdata(wanted: str) -> str | None:
    """The first folder holding every wanted language's model (TESSDATA_PREFIX first)."""
    folders = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    for folder in [*folders, *_TESSDATA]:
        if all((Path(folder) / f"{lang}.traineddata").is_file() for lang in wanted.split("+")):
            return folder
    return None


def engine() -> str:
    """What reads the scans, as the document records it: "Tesseract 5.5.4 (eng)"."""
    version = tesserocr.tesseract_version().split()[1]
    return f"Tesseract {version} ({languages()})"


@dataclass
class Word:
    text: str
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the page image
    confidence: float  # 0-100
    # Its characters and their boxes, as read (a note call set small and high among them).
    symbols: list[tuple[str, tuple[int, int, int, int]]] = field(default_factory=list)


@dataclass
class TextLine:
    words: list[Word]
    baseline: tuple[tuple[int, int], tuple[int, int]]
    row_height: float  # pixels from the descender line to the ascender line, about the size
    descenders: float  # pixels below the baseline (positive)
    block: int
    paragraph: int
    paragraph_start: bool = False


@dataclass
class PageText:
    lines: list[TextLine] = field(default_factory=list)
    timed_out: bool = False


class _Engines(threading.local):
    api: tesserocr.PyTessBaseAPI | None = None
    languages: str = ""


_engines = _Engines()


def _api() -> tesserocr.PyTessBaseAPI:
    """This thread's Tesseract, its model loaded once (0.2-0.4 s)."""
    wanted = languages()
    if _engines.api is None or _engines.languages != wanted:
        folder = tessdata(wanted)
        if folder is None:
            raise ImportRejected(NOT_INSTALLED.format(languages=wanted))
        if _engines.api is not None:
            _engines.api.End()
        _engines.api = tesserocr.PyTessBaseAPI(path=folder, lang=wanted)
        _engines.languages = wanted
    return _engines.api


def recognise(image: object, dpi: int, timeout: float) -> PageText:
    """The words of a page image (a decoded PIL image in mode L or RGB), in reading order.
    Tesseract stops recognising after `timeout` seconds (layout analysis before that cannot
    be stopped: about a second a page); then `timed_out` is set and the words are not read."""
    api = _api()
    api.SetImage(image)
    api.SetSourceResolution(dpi)
    try:
        finished = api.Recognize(timeout=max(1, int(timeout * 1000)))
        if not finished:
            return PageText(timed_out=True)
        return _read(api)
    finally:
        api.Clear()


def _read(api: tesserocr.PyTessBaseAPI) -> PageText:
    page = PageText()
    iterator = api.GetIterator()
    if iterator is None:
        return page
    level_line, level_word = tesserocr.RIL.TEXTLINE, tesserocr.RIL.WORD
    level_symbol = tesserocr.RIL.SYMBOL
    block = paragraph = 0
    line: TextLine | None = None
    word: Word | None = None
    for item in tesserocr.iterate_level(iterator, level_symbol):  # type: ignore[arg-type]
        if not item.IsAtBeginningOf(level_word):
            if word is not None:
                _add_symbol(item, word)
            continue
        word = None
        try:
            text = item.GetUTF8Text(level_word)
        except RuntimeError:  # an empty word: tesserocr raises instead of returning ""
            continue
        if item.IsAtBeginningOf(tesserocr.RIL.BLOCK):
            block += 1
        starts_paragraph = item.IsAtBeginningOf(tesserocr.RIL.PARA)
        if starts_paragraph:
            paragraph += 1
        if line is None or item.IsAtBeginningOf(level_line):
            row = item.RowAttributes()
            line = TextLine(
                words=[],
                baseline=item.Baseline(level_line),
                row_height=float(row["row_height"]),
                descenders=abs(float(row["descenders"])),
                block=block,
                paragraph=paragraph,
                paragraph_start=starts_paragraph,
            )
            page.lines.append(line)
        if text.strip():
            word = Word(text.strip(), item.BoundingBox(level_word), item.Confidence(level_word))
            line.words.append(word)
            _add_symbol(item, word)
    page.lines = [line for line in page.lines if line.words]
    return page


def _add_symbol(item: tesserocr.PyResultIterator, word: Word) -> None:
    level = tesserocr.RIL.SYMBOL
    with contextlib.suppress(RuntimeError):  # a symbol without text
        word.symbols.append((item.GetUTF8Text(level), item.BoundingBox(level)))  # type: ignore[arg-type]
