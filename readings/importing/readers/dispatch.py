"""read_document: check a file's name against its content, then hand it to the right reader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from readings.importing.errors import ImportRejected
from readings.importing.limits import Budget
from readings.importing.normalise import clean_text, is_blank
from readings.importing.readers.docx import read_docx
from readings.importing.readers.html import read_html
from readings.importing.readers.markdown import read_markdown
from readings.importing.readers.pdf import NOT_A_PDF, read_pdf
from readings.importing.readers.raw import RawDocument
from readings.importing.readers.scan import read_image
from readings.importing.readers.sniff import DESCRIPTIONS, sniff
from readings.importing.readers.text import read_txt

# extension -> format; every extension here is offered in the upload form.
FORMATS: dict[str, str] = {
    "txt": "txt",
    "text": "txt",
    "md": "md",
    "markdown": "md",
    "html": "html",
    "htm": "html",
    "docx": "docx",
    "pdf": "pdf",
    "png": "image",
    "jpg": "image",
    "jpeg": "image",
    "tif": "image",
    "tiff": "image",
}
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(FORMATS)
Progress = Callable[[int, int], None]
_READERS: dict[str, Callable[[bytes, Budget], RawDocument]] = {
    "txt": read_txt,
    "md": read_markdown,
    "html": read_html,
    "docx": read_docx,
}
# Readers of pages, which report progress page by page (OCR takes seconds a page).
_PAGE_READERS: dict[str, Callable[[bytes, Budget, Progress | None], RawDocument]] = {
    "pdf": read_pdf,
    "image": read_image,
}
# What each format's content must sniff as.
_EXPECTED = {
    "txt": "text",
    "md": "text",
    "html": "text",
    "docx": "zip",
    "pdf": "pdf",
    "image": "image",
}
# What the budget's messages call the file.
_NAMES = {
    "txt": "The text file",
    "md": "The Markdown file",
    "html": "The HTML file",
    "docx": "The Word document",
    "pdf": "The PDF",
    "image": "The image",
}
_HINTS = {
    "doc": "Open it in Word or LibreOffice and save it as .docx.",
    "rtf": "Open it in Word or LibreOffice and save it as .docx.",
    "odt": "Open it in LibreOffice and save it as .docx.",
    "pages": "Export it from Pages as Word (.docx) or PDF.",
    "epub": "Convert it to .docx, .html or .txt first.",
}
_SUPPORTED_LIST = ".txt, .md, .html, .docx, .pdf and scans as .png, .jpg or .tiff"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def read_document(
    *,
    filename: str,
    data: bytes,
    max_bytes: int = 10 * 1024 * 1024,
    budget: Budget | None = None,
    progress: Progress | None = None,
) -> RawDocument:
    """Read an uploaded file into plain text with light Markdown structure.

    The format comes from the extension and must agree with the content (a ".txt" that is
    really a PDF is refused, not guessed at). Raises ImportRejected with a message saying what
    is wrong and what to do, also when the file would take more than the budget's time, depth,
    elements, unpacked bytes or pages (by default a fresh `Budget` with the default limits).
    PDF pages without a text layer and image files are read by OCR, under the budget's OCR
    limits; `progress(pages done, pages)` is called after each page of a PDF or image.
    """
    if not data:
        raise ImportRejected("The file is empty. Choose the file that holds the reading's text.")
    if len(data) > max_bytes:
        raise ImportRejected(
            f"The file is {len(data) / (1024 * 1024):.1f} MB; the limit is "
            f"{_megabytes(max_bytes)} MB. Split the reading into smaller files, or remove "
            "images from it, and upload it again."
        )
    extension = PurePath(filename).suffix.lower().lstrip(".")
    if not extension:
        raise ImportRejected(
            f"The file name “{filename}” has no extension, so its format is unknown. "
            f"Supported formats are {_SUPPORTED_LIST}."
        )
    if extension not in FORMATS:
        hint = _HINTS.get(extension, "")
        raise ImportRejected(
            f"Files ending in “.{extension}” cannot be imported. Supported formats are "
            f"{_SUPPORTED_LIST}." + (f" {hint}" if hint else "")
        )
    format_ = FORMATS[extension]
    _check_content_matches(extension, format_, sniff(data))
    # Whoever made the budget, its messages name the format ("The HTML file nests…").
    what = _NAMES[format_]
    budget = budget.with_limits(budget.limits, what=what) if budget else Budget(what=what)
    if format_ in _PAGE_READERS:
        raw = _cleaned(_PAGE_READERS[format_](data, budget, progress))
    else:
        raw = _cleaned(_READERS[format_](data, budget))
    if is_blank(raw.text):
        raise ImportRejected(
            "The file contains only whitespace: there is no text to import. "
            "Check that you chose the right file."
        )
    return raw


def _cleaned(raw: RawDocument) -> RawDocument:
    """Rule: what a file says is cleaned as typed text is (control characters and lone
    surrogates removed), so the preview shows what will be stored. Example: a PDF whose text
    layer holds U+0000 -> the same text without it, in the text and in its title."""
    return RawDocument(
        format=raw.format,
        text=clean_text(raw.text),
        metadata={clean_text(k): clean_text(v) for k, v in raw.metadata.items()},
        warnings=tuple(clean_text(w) for w in raw.warnings),
        notes=tuple(clean_text(n) for n in raw.notes),
        ocr=raw.ocr,
        uncertain=tuple(clean_text(u) for u in raw.uncertain),
    )


def _check_content_matches(extension: str, format_: str, found: str) -> None:
    """Rule: the content must be what the extension says. Example: "notes.txt" holding a PDF
    -> rejected, naming what the content really is."""
    if found == _EXPECTED[format_]:
        return
    if format_ == "docx" and found in ("text", "ole"):
        return  # the DOCX reader explains these two more precisely
    if format_ == "pdf" and found == "text":
        raise ImportRejected(NOT_A_PDF)
    what = DESCRIPTIONS.get(found, "plain text")
    raise ImportRejected(
        f"The file ends in “.{extension}” but its content is {what}. Give it the extension "
        "that matches its content, or export it again, and upload it again."
    )
