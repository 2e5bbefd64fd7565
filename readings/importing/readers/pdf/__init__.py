"""PDF files with a text layer. pypdf checks the file (not a PDF, damaged, encrypted, too many
pages, pages too complex) and reads its metadata; PyMuPDF reads the layout of each page (type,
size and position of every line: `lines`), from which `roles` and `paragraphs` rebuild what
the author wrote."""

from __future__ import annotations

import io
import math
from collections.abc import Callable

import pymupdf
import pypdf
from PIL import Image
from pypdf.errors import LimitReachedError
from pypdf.generic import DictionaryObject

from readings.importing.errors import ImportRejected
from readings.importing.limits import MB, Budget
from readings.importing.readers.lightmarkdown import join_blocks
from readings.importing.readers.ocr.engine import engine
from readings.importing.readers.ocr.images import ocr_page
from readings.importing.readers.ocr.layout import resolve_calls, settle_sizes
from readings.importing.readers.pdf import lines, paragraphs, roles
from readings.importing.readers.pdf.hyphens import Vocabulary
from readings.importing.readers.raw import RawDocument

pymupdf.TOOLS.mupdf_display_errors(False)  # type: ignore[no-untyped-call]  # not the log's

NOT_A_PDF = (
    "The file ends in “.pdf” but is not a PDF (it does not start with %PDF). "
    "Export it again as PDF, or upload it with the extension that matches its format."
)
DAMAGED = (
    "The PDF is damaged and cannot be read. Export it again from the program that made it "
    "and upload it again."
)
ENCRYPTED = (
    "The PDF is password-protected or encrypted, so its text cannot be read. Remove the "
    "protection (for example, print it to a new PDF) and upload it again."
)
SCANNED = (
    "The PDF has no text: it looks scanned, and OCR found no text on its pages either (they "
    "may be blank, or pictures rather than pages of text). Check that you chose the right "
    "file, or scan it again (300 dpi, black on white) and upload it again."
)
# Scans are read at 300 dpi: Tesseract's accuracy no longer improves above it (bench/RESULTS.md)
# and an A4 page is 8.7 megapixels.
OCR_DPI = 300
NO_ENCODING = (
    "The PDF's text cannot be read: its fonts do not say which letters they show (it was made "
    "without a text encoding). Run OCR on it (for example with OCRmyPDF, or the “Recognize "
    "text” of Acrobat or macOS Preview), then upload it again."
)
# pypdf's own limits, tighter than its defaults (75 MB unpacked, 2 million operands a stream).
_PYPDF_LIMITS = {
    "stream_parsing_work_maximum_count": 100_000,
    "zlib_maximum_output_length": 20 * MB,
    "lzw_maximum_output_length": 20 * MB,
    "run_length_maximum_output_length": 20 * MB,
    "array_based_stream_maximum_output_length": 20 * MB,
}
# A dense page of text draws in 10-60 KB; MuPDF reads about 10 MB a second, so no page may
# hold up the import for long.
MAX_PAGE_CONTENT = 2 * MB


def _declared_pages(reader: pypdf.PdfReader) -> int:
    """The page count the PDF declares (/Root /Pages /Count), read without walking the page
    tree (pypdf takes 0.1 ms a page to walk it: 2 s for 20,000 pages)."""
    try:
        root = reader.trailer["/Root"].get_object()
        pages = root["/Pages"].get_object() if isinstance(root, DictionaryObject) else None
        count = pages.get("/Count") if isinstance(pages, DictionaryObject) else None
    except Exception:  # a broken trailer: the walk decides
        return 0
    return int(count) if isinstance(count, int) else 0


def _open(data: bytes, budget: Budget) -> pypdf.PdfReader:
    if b"%PDF-" not in data[:1024]:
        raise ImportRejected(NOT_A_PDF)
    # A damaged PDF can make pypdf fail in many ways; each means the same to the user.
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as error:
        raise ImportRejected(DAMAGED) from error
    if encrypted:
        # An empty user password only restricts printing or copying: the text is readable.
        # Anything else (a real password, or AES without a crypto library) is out of reach.
        try:
            readable = bool(reader.decrypt(""))
        except Exception as error:
            raise ImportRejected(ENCRYPTED) from error
        if not readable:
            raise ImportRejected(ENCRYPTED)
    budget.check_pages(_declared_pages(reader))
    try:
        page_count = len(reader.pages)
    except LimitReachedError:  # a page tree with more entries than its /Count admits
        budget.check_pages(budget.limits.max_pages + 1)
        raise
    except Exception as error:
        raise ImportRejected(DAMAGED) from error
    budget.check_pages(page_count)
    if page_count == 0:
        raise ImportRejected(DAMAGED)
    return reader


def _metadata(reader: pypdf.PdfReader) -> dict[str, str]:
    metadata: dict[str, str] = {}
    try:
        info = reader.metadata
        root = reader.trailer["/Root"]
        language = root.get("/Lang") if hasattr(root, "get") else None
    except Exception:  # broken metadata never stops an otherwise readable PDF
        return metadata
    if info is not None:
        if info.title and str(info.title).strip():
            metadata["title"] = " ".join(str(info.title).split())
        if info.author and str(info.author).strip():
            names = str(info.author).replace(";", ",").split(",")
            metadata["authors"] = ", ".join(n.strip() for n in names if n.strip())
    if language and str(language).strip():
        metadata["language"] = str(language).strip()
    return metadata


def read_pdf(
    data: bytes, budget: Budget | None = None, progress: Callable[[int, int], None] | None = None
) -> RawDocument:
    """The PDF's text: pages with a text layer as it holds it, pages without one read by OCR,
    all laid out by the same rules. `progress(pages done, pages)` is called after each page."""
    budget = budget or Budget(what="The PDF")
    # The page tree may not hold more entries than twice the pages a PDF may have.
    configuration = pypdf.get_configuration().with_overwrites(
        **_PYPDF_LIMITS, page_tree_maximum_entries=2 * budget.limits.max_pages + 10
    )
    with pypdf.apply_configuration(configuration):
        return _read_pdf(data, budget, progress)


def _read_pdf(
    data: bytes, budget: Budget, progress: Callable[[int, int], None] | None
) -> RawDocument:
    reader = _open(data, budget)
    metadata = _metadata(reader)
    try:
        document = pymupdf.open(stream=data, filetype="pdf")  # type: ignore[no-untyped-call]
        if document.needs_pass and not document.authenticate(""):  # type: ignore[no-untyped-call]
            raise ImportRejected(ENCRYPTED)
    except ImportRejected:
        raise
    except Exception as error:
        raise ImportRejected(DAMAGED) from error
    pages: list[lines.Page] = []
    unreadable: list[int] = []
    blank: list[int] = []
    scanned: list[int] = []
    attempted = 0
    with document:
        total = min(len(reader.pages), document.page_count)
        for number in range(1, total + 1):
            budget.check()
            _check_complexity(reader, number)
            try:
                page = lines.lines_of_page(number, document[number - 1])
            except Exception:  # one broken content stream should not lose the other pages
                unreadable.append(number)
                continue
            if not page.lines and _draws_nothing(document[number - 1]):
                blank.append(number)  # a blank page: nothing to draw, nothing to read
            elif not page.lines:  # no text layer: a scanned page, read by OCR
                attempted += 1
                budget.check_ocr_pages(attempted)
                image = _rendered(document[number - 1], number, budget)
                dpi = image.width * 72 / max(document[number - 1].rect.width, 1)
                page = ocr_page(number, image, dpi, budget)
                (scanned if page.lines else blank).append(number)
            pages.append(page)
            if progress is not None:
                progress(number, total)
    if not any(page.lines for page in pages):
        raise ImportRejected(DAMAGED if unreadable else SCANNED)
    unmapped = _drop_unmapped(pages)
    if not any(page.lines for page in pages):
        raise ImportRejected(NO_ENCODING)
    settle_sizes(pages)
    text, notes, title, uncertain = arrange(pages, metadata.get("language", "en"), budget)
    if title:  # what the first page shows; the metadata's is often a file name
        metadata["title"] = title
    warnings = []
    if unreadable:
        warnings.append(
            f"The text of {pages_phrase(unreadable)} could not be read and was left out."
        )
    if scanned:
        warnings.append(
            f"{pages_phrase(scanned).capitalize()} {'has' if len(scanned) == 1 else 'have'} "
            f"no text layer and {'was' if len(scanned) == 1 else 'were'} read by OCR: check "
            "the passages marked as read with low confidence."
        )
    if blank:
        verb = "has" if len(blank) == 1 else "have"
        warnings.append(
            f"{pages_phrase(blank).capitalize()} {verb} no text, even by OCR (blank, or a "
            "picture); nothing was imported from there."
        )
    if reader.is_encrypted:
        warnings.append("The PDF is encrypted without a password; its text was read anyway.")
    if unmapped:
        warnings.append(
            "1 character of the PDF does not say which letter it shows (its font has no text "
            "encoding for it) and was left out."
            if unmapped == 1
            else f"{unmapped:,} characters of the PDF do not say which letters they show (their "
            "font has no text encoding for them) and were left out."
        )
    return RawDocument(
        "pdf",
        text,
        metadata,
        tuple(warnings),
        notes,
        ocr=engine() if scanned else "",
        uncertain=tuple(uncertain),
    )


def _draws_nothing(page: pymupdf.Page) -> bool:
    """No image and no vector drawing: a blank page, told without drawing it (drawing a page
    at 300 dpi takes 30-50 ms, a PDF may have 2,000 pages)."""
    try:
        return not page.get_image_info() and not page.get_cdrawings()  # type: ignore[no-untyped-call]
    except Exception:  # a broken page: drawing it decides
        return False


def _rendered(page: pymupdf.Page, number: int, budget: Budget) -> Image.Image:
    """The page drawn in grey at OCR_DPI (less for a page too large for the pixel limit)."""
    width, height = page.rect.width / 72, page.rect.height / 72  # inches
    dpi = min(OCR_DPI, math.sqrt(budget.limits.max_megapixels * 1e6 / max(width * height, 1e-6)))
    if dpi < 100:  # a poster, not a page: refused with the pixels it would take at 300 dpi
        budget.check_pixels(round(width * OCR_DPI), round(height * OCR_DPI), page=number)
    budget.check()
    try:
        pixmap = page.get_pixmap(dpi=round(dpi), colorspace=pymupdf.csGRAY, alpha=False)
    except Exception as error:
        raise ImportRejected(DAMAGED) from error
    return Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)


def arrange(
    pages: list[lines.Page], language: str, budget: Budget
) -> tuple[str, tuple[str, ...], str, list[str]]:
    """The pages' lines as light Markdown text, the footnotes, the title (if the type says)
    and the blocks read by OCR with low confidence."""
    roles.mark_furniture(pages)
    body = roles.body_size(pages)
    title = roles.mark_title(pages[0], body) if pages else ""
    notes: dict[tuple[int, str], int] = {}
    texts: list[str] = []
    for page in pages:
        labels: list[str] = []
        for label, note in roles.mark_notes(page, body):
            texts.append(note)
            notes[(page.number, label)] = len(texts)
            labels.append(label)
        resolve_calls(page, labels)
    budget.check()
    roles.mark_headings_and_asides(pages, body)
    vocabulary = Vocabulary(language.split("-")[0].casefold() or "en")
    for page in pages:
        for line in page.lines:
            if line.role not in ("furniture",):
                vocabulary.add_line(line.text)
    budget.check()
    uncertain: list[str] = []
    blocks = paragraphs.build_blocks(
        pages,
        title=title,
        vocabulary=vocabulary,
        notes=notes,
        check=budget.check,
        uncertain=uncertain,
    )
    return join_blocks(blocks), tuple(texts), title, uncertain


def _drop_unmapped(pages: list[lines.Page]) -> int:
    """Take out the characters MuPDF could not map to Unicode (U+FFFD: a control code, or a
    glyph its font does not name); refuse the PDF when they are much of its text."""
    unmapped = sum(line.text.count("\ufffd") for page in pages for line in page.lines)
    if not unmapped:
        return 0
    letters = sum(len(line.text) - line.text.count(" ") for page in pages for line in page.lines)
    if unmapped > 0.3 * letters:
        raise ImportRejected(NO_ENCODING)
    for page in pages:
        for line in page.lines:
            line.text = " ".join(line.text.replace("\ufffd", "").split())
        page.lines[:] = [line for line in page.lines if line.text]
    return unmapped


def _check_complexity(reader: pypdf.PdfReader, number: int) -> None:
    """Refuse a page whose drawing instructions would hold the import up (MuPDF cannot be
    stopped inside a page): pypdf unpacks them under its limits and they are measured."""
    try:
        contents = reader.pages[number - 1].get_contents()
        size = len(contents.get_data()) if contents is not None else 0
    except LimitReachedError as error:
        raise ImportRejected(_too_complex(number)) from error
    except Exception:  # a broken stream: MuPDF reads what it can of it
        return
    if size > MAX_PAGE_CONTENT:
        raise ImportRejected(_too_complex(number))


def _too_complex(number: int) -> str:
    return (
        f"Page {number} of the PDF is far more complex than a page of text (drawing "
        f"instructions of more than {_size(MAX_PAGE_CONTENT)}), so the PDF was not read. "
        "Print it to a new PDF, or export its text, and upload that."
    )


def _size(size: int) -> str:
    return f"{size // MB} MB" if size >= MB else f"{size:,} bytes"


def pages_phrase(numbers: list[int]) -> str:
    """Example: [3] -> "page 3"; [3, 5] -> "pages 3 and 5"; 20 numbers -> "20 pages (3, 5, …)"."""
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    if len(numbers) > 8:
        return f"{len(numbers)} pages ({', '.join(str(n) for n in numbers[:5])}, …)"
    listed = ", ".join(str(n) for n in numbers[:-1])
    return f"pages {listed} and {numbers[-1]}"
