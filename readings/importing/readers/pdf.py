"""PDF files with a text layer, read with pypdf; lines are reflowed into paragraphs."""

from __future__ import annotations

import io

import pypdf
from pypdf.errors import LimitReachedError
from pypdf.generic import DictionaryObject

from readings.importing.errors import ImportRejected
from readings.importing.limits import MB, Budget
from readings.importing.readers.lightmarkdown import join_blocks
from readings.importing.readers.raw import RawDocument
from readings.importing.sentences import ends_sentence

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
    "The PDF has no extractable text: it looks scanned. Export it with a text layer, or run "
    "OCR on it first, then upload it again."
)
_BULLET_STARTS = ("•", "◦", "▪", "‣", "●", "– ", "- ")
# pypdf's own limits, tighter than its defaults (75 MB unpacked, 2 million operands a stream):
# a dense page of text has a few thousand operands, and pypdf spends about 25 µs on each.
_PYPDF_LIMITS = {
    "stream_parsing_work_maximum_count": 100_000,
    "zlib_maximum_output_length": 20 * MB,
    "lzw_maximum_output_length": 20 * MB,
    "run_length_maximum_output_length": 20 * MB,
    "array_based_stream_maximum_output_length": 20 * MB,
}


def reflow(lines: list[str], typical: int) -> list[str]:
    """Rule: lines join into one paragraph until a line ends a sentence while falling short of
    the typical line length (the last line of a paragraph), or a blank line, bullet or short
    title-like line intervenes. A hyphen at a line end is kept and the halves joined without a
    space ("long-" + "term" -> "long-term"), which never corrupts a word.
    Example (typical 40): ["The first paragraph runs across", "two lines.", "Next one."] ->
    ["The first paragraph runs across two lines.", "Next one."]."""
    blocks: list[str] = []
    current = ""
    for k, raw in enumerate(lines):
        line = " ".join(raw.split())
        if not line:
            blocks.append(current)
            current = ""
            continue
        following = lines[k + 1].strip() if k + 1 < len(lines) else ""
        if line.startswith(_BULLET_STARTS):
            blocks.append(current)
            current = line
        elif (
            not current
            and len(line) < 0.6 * typical
            and not ends_sentence(line)
            and following[:1].isupper()
        ):
            blocks.append(line)  # a heading or title line on its own
            continue
        elif current.endswith("-") and current[-2:-1].isalpha() and line[:1].islower():
            current += line
        else:
            current = f"{current} {line}" if current else line
        if ends_sentence(line) and len(line) < 0.85 * typical:
            blocks.append(current)
            current = ""
    blocks.append(current)
    return [b for b in blocks if b]


def _typical_length(pages: list[list[str]]) -> int:
    lengths = sorted(len(line.strip()) for lines in pages for line in lines if line.strip())
    if not lengths:
        return 0
    return lengths[int(0.9 * (len(lengths) - 1))]


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


def read_pdf(data: bytes, budget: Budget | None = None) -> RawDocument:
    budget = budget or Budget(what="The PDF")
    # The page tree may not hold more entries than twice the pages a PDF may have.
    configuration = pypdf.get_configuration().with_overwrites(
        **_PYPDF_LIMITS, page_tree_maximum_entries=2 * budget.limits.max_pages + 10
    )
    with pypdf.apply_configuration(configuration):
        return _read_pdf(data, budget)


def _read_pdf(data: bytes, budget: Budget) -> RawDocument:
    reader = _open(data, budget)
    shown = 0

    def each_text(*args: object) -> None:  # pypdf calls it for every piece of text it shows
        nonlocal shown
        shown += 1
        if shown % 256 == 0:
            budget.check()

    pages: list[list[str]] = []
    unreadable: list[int] = []
    blank: list[int] = []
    for number in range(1, len(reader.pages) + 1):
        budget.check()
        try:
            text = reader.pages[number - 1].extract_text(visitor_text=each_text) or ""
        except ImportRejected:
            raise
        except LimitReachedError as error:
            raise ImportRejected(_too_complex(number)) from error
        except Exception:  # one broken content stream should not lose the other pages
            unreadable.append(number)
            text = ""
        if not text.strip() and number not in unreadable:
            blank.append(number)
        pages.append(text.splitlines())
    if not any(line.strip() for lines in pages for line in lines):
        raise ImportRejected(DAMAGED if unreadable else SCANNED)
    typical = _typical_length(pages)
    text = join_blocks([b for lines in pages for b in reflow(lines, typical)])
    warnings = []
    if unreadable:
        warnings.append(f"The text of {_pages(unreadable)} could not be read and was left out.")
    if blank:
        verb = "has" if len(blank) == 1 else "have"
        warnings.append(
            f"{_pages(blank).capitalize()} {verb} no text (blank, or a scanned image without "
            "a text layer); nothing was imported from there."
        )
    if reader.is_encrypted:
        warnings.append("The PDF is encrypted without a password; its text was read anyway.")
    return RawDocument("pdf", text, _metadata(reader), tuple(warnings))


def _too_complex(number: int) -> str:
    return (
        f"Page {number} of the PDF is far more complex than a page of text (more than "
        f"{_PYPDF_LIMITS['stream_parsing_work_maximum_count']:,} drawing instructions, or "
        "content that unpacks to more than 20 MB), so the PDF was not read. Print it to a new "
        "PDF, or export its text, and upload that."
    )


def _pages(numbers: list[int]) -> str:
    """Example: [3] -> "page 3"; [3, 5] -> "pages 3 and 5"; 20 numbers -> "20 pages (3, 5, …)"."""
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    if len(numbers) > 8:
        return f"{len(numbers)} pages ({', '.join(str(n) for n in numbers[:5])}, …)"
    listed = ", ".join(str(n) for n in numbers[:-1])
    return f"pages {listed} and {numbers[-1]}"
