"""OCR of scanned readings (issue 22): image files, and PDF pages without a text layer, read by
Tesseract (`engine`), their words laid out as the PDF reader's lines (`layout`) so the same
rules rebuild the text. `needs_ocr` tells the background jobs which uploads will take long."""

from __future__ import annotations

from pathlib import PurePath

import pymupdf

from readings.importing.limits import LIMITS
from readings.importing.readers.sniff import sniff

IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "tif", "tiff")


def needs_ocr(name: str, data: bytes) -> bool:
    """Whether reading this upload means OCR: an image file, or a PDF with a page that has no
    text layer (no font on it) and is not blank. Cheap: the PDF's pages are not drawn or read
    (a 20 MB scan in a few milliseconds). False for what the readers will refuse anyway
    (damaged, encrypted, too many pages).
    Example: needs_ocr("scan.pdf", <10 pages of images>) -> True."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    kind = sniff(data)
    if extension in IMAGE_EXTENSIONS:
        return kind == "image"
    if extension != "pdf" or kind != "pdf":
        return False
    try:
        document = pymupdf.open(stream=data, filetype="pdf")  # type: ignore[no-untyped-call]
    except Exception:
        return False
    with document:
        if document.needs_pass and not document.authenticate(""):  # type: ignore[no-untyped-call]
            return False
        if document.page_count > LIMITS.max_pages:
            return False
        try:
            return any(_scanned(document[k]) for k in range(document.page_count))
        except Exception:  # a broken page tree: the reader says what is wrong
            return False


def _scanned(page: pymupdf.Page) -> bool:
    """No font, but something drawn (an image, inline or not, or vector shapes): what the PDF
    reader sends to OCR. A blank page is neither."""
    if page.get_fonts():  # type: ignore[no-untyped-call]
        return False
    return bool(page.get_image_info() or page.get_cdrawings())  # type: ignore[no-untyped-call]
