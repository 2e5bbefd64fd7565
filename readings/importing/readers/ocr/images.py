"""Scanned pages as image files (PNG, JPEG, TIFF with one page a frame), opened under the
limits and read by OCR.

Pillow reads only the header before the limits are checked: the pixel count each frame
declares, and the frames counted one by one (a TIFF of 10,000 frames is refused at the limit,
not walked to its end). Every way a file can fail to decode (not an image, truncated, a
decompression bomb, a corrupt frame) becomes a sentence that says so.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator

from PIL import Image, ImageFile, UnidentifiedImageError

from readings.importing.errors import ImportRejected
from readings.importing.limits import Budget
from readings.importing.readers.ocr.engine import engine, recognise
from readings.importing.readers.ocr.layout import page_lines
from readings.importing.readers.pdf.lines import Page

FORMATS = ("PNG", "JPEG", "TIFF")
NOT_AN_IMAGE = (
    "The file is not an image this app can read (PNG, JPEG or TIFF), or it is damaged. "
    "Scan the pages again, or export them as PDF, and upload that."
)
TRUNCATED = (
    "The image is damaged: it ends before its last row of pixels (an interrupted download or "
    "copy?). Scan or export it again and upload it again."
)
# Scans usually say their resolution; when one does not, a page is taken to be about as
# wide as A4 or Letter (8.5 in), within what scanners use.
_ASSUMED_WIDTH_INCHES = 8.5
_DPI_RANGE = (70, 1200)
# Less difference than this between the darkest and lightest grey: an empty page.
BLANK_CONTRAST = 40


def _opened(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImportRejected(
            "The image declares far more pixels than a scanned page has (a decompression "
            "bomb?), so it was not opened. Scan the pages again at 300 dpi and upload them."
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImportRejected(NOT_AN_IMAGE) from error


def count_frames(image: Image.Image, budget: Budget) -> int:
    """The image's pages, counted up to one past the OCR page limit (then refused)."""
    count = 0
    try:
        while True:
            image.seek(count)
            count += 1
            budget.check_ocr_pages(count)
            budget.check()
    except EOFError:
        pass
    except ImportRejected:
        raise
    except Exception as error:  # a corrupt frame directory
        raise ImportRejected(NOT_AN_IMAGE) from error
    image.seek(0)
    return count


def dpi_of(image: Image.Image) -> float:
    """The resolution the file states, or the one a page-wide scan would have."""
    stated = image.info.get("dpi")
    try:
        dpi = float(stated[0]) if stated else 0.0
    except (TypeError, ValueError, IndexError):
        dpi = 0.0
    low, high = _DPI_RANGE
    if not low <= dpi <= high:
        dpi = min(max(image.width / _ASSUMED_WIDTH_INCHES, 100.0), 600.0)
    return dpi


def _decode(image: Image.Image) -> None:
    """Decode the frame, failing on a truncated file: WeasyPrint, imported by the app for
    handouts, tells Pillow to load truncated images silently (a process-wide switch), which
    would OCR half a page as if it were all of it."""
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def grey(image: Image.Image) -> Image.Image:
    """The frame decoded as 8-bit grey, transparency on white (what Tesseract reads best)."""
    _decode(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        white.alpha_composite(rgba)
        return white.convert("L")
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        return image.point(lambda value: value / 256).convert("L")  # 16 bits to 8
    return image.convert("L")


def frames(data: bytes, budget: Budget) -> Iterator[tuple[int, int, Image.Image, float]]:
    """(page number, page count, grey image, dpi) for each frame, each checked before it is
    decoded."""
    image = _opened(data)
    with image:
        total = count_frames(image, budget)
        for number in range(1, total + 1):
            budget.check()
            try:
                image.seek(number - 1)
            except Exception as error:
                raise ImportRejected(NOT_AN_IMAGE) from error
            budget.check_pixels(image.width, image.height, page=number)
            try:
                decoded = grey(image)
            except OSError as error:
                if "truncated" in str(error):
                    raise ImportRejected(TRUNCATED) from error
                raise ImportRejected(NOT_AN_IMAGE) from error
            except (ValueError, SyntaxError, EOFError, MemoryError) as error:
                raise ImportRejected(NOT_AN_IMAGE) from error
            yield number, total, decoded, dpi_of(image)


def ocr_page(number: int, image: Image.Image, dpi: float, budget: Budget) -> Page:
    """One page image read by OCR into the PDF reader's lines, under the page's time limit.
    A page of one shade (blank paper) has no lines, and takes no OCR time."""
    darkest, lightest = image.getextrema()  # a grey image: two numbers
    if float(lightest) - float(darkest) < BLANK_CONTRAST:  # type: ignore[arg-type]
        scale = 72 / dpi
        return Page(number, image.width * scale, image.height * scale, [])
    timeout = budget.ocr_page(number)
    found = recognise(image, round(dpi), timeout)
    if found.timed_out:
        raise ImportRejected(
            f"Page {number} took longer than {timeout:g} s to read by OCR, so nothing was "
            "imported: it holds far more than a page of text usually does, or the scan is "
            "very noisy. Scan it again (300 dpi, black on white) and upload it again."
        )
    return page_lines(number, found, image.width, image.height, dpi)


def read_image_pages(
    data: bytes, budget: Budget, progress: Callable[[int, int], None] | None = None
) -> tuple[list[Page], str]:
    """The pages of an image file read by OCR, and the engine that read them."""
    pages: list[Page] = []
    for number, total, image, dpi in frames(data, budget):
        pages.append(ocr_page(number, image, dpi, budget))
        if progress is not None:
            progress(number, total)
    return pages, engine()
