"""Image files of scanned pages (PNG, JPEG, multi-page TIFF): read by OCR, then laid out by
the PDF reader's rules, as the pages of a scanned PDF are."""

from __future__ import annotations

from collections.abc import Callable

from readings.importing.errors import ImportRejected
from readings.importing.limits import Budget
from readings.importing.readers.ocr.images import read_image_pages
from readings.importing.readers.ocr.layout import settle_sizes
from readings.importing.readers.pdf import arrange, pages_phrase
from readings.importing.readers.raw import RawDocument

NO_TEXT = (
    "OCR found no text in the image: it looks blank, or it is a picture rather than a page "
    "of text. Check that you chose the right file, or scan the pages again (300 dpi, black "
    "on white)."
)


def read_image(
    data: bytes, budget: Budget, progress: Callable[[int, int], None] | None = None
) -> RawDocument:
    pages, engine = read_image_pages(data, budget, progress)
    if not any(page.lines for page in pages):
        raise ImportRejected(NO_TEXT)
    settle_sizes(pages)
    text, notes, title, uncertain = arrange(pages, "en", budget)
    metadata = {"title": title} if title else {}
    warnings = []
    blank = [page.number for page in pages if not page.lines]
    if blank:
        warnings.append(f"OCR found no text on {pages_phrase(blank)} of the image.")
    return RawDocument(
        "image", text, metadata, tuple(warnings), notes, ocr=engine, uncertain=tuple(uncertain)
    )
