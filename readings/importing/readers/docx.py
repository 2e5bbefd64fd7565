"""Word .docx files: checked as ZIP packages first (zip bombs, element counts), then read with
python-docx."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from readings.importing.errors import ImportRejected
from readings.importing.limits import Budget, ZipReader
from readings.importing.readers.lightmarkdown import block, emphasise, escape_inline, join_blocks
from readings.importing.readers.raw import RawDocument

MAX_RATIO = 100  # a real .docx part compresses 5-20 times; far beyond that is a bomb
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # small parts may legitimately compress very well
MAX_MEMBERS = 10_000
MAIN_PART = "word/document.xml"

NOT_A_ZIP = (
    "The file ends in “.docx” but is not a Word document (a .docx file is a ZIP package). "
    "Open it in Word or LibreOffice, save it as .docx and upload it again."
)
OLD_DOC = (
    "The file is an old-style Word document (.doc) renamed to .docx. Open it in Word or "
    "LibreOffice, save it as .docx and upload it again."
)
NO_MAIN_PART = (
    "The file is a ZIP archive but not a Word document: it has no word/document.xml. "
    "Save it from Word or LibreOffice as .docx and upload it again."
)
DAMAGED = (
    "The Word document is damaged and cannot be read. Open it in Word or LibreOffice, "
    "save it again as .docx and upload it again."
)
NO_TEXT = "The Word document contains no text. Check that you chose the right file."


def check_package(data: bytes, budget: Budget | None = None) -> None:
    """Rule: refuse before reading anything when the declared uncompressed sizes add up to more
    than the budget's unpacked bytes (40 MB), when one large part expands more than 100-fold,
    or without word/document.xml; then unpack the XML parts, streaming, and refuse one that
    holds more elements than the budget allows (counted as start tags: XML never leaves "<"
    unescaped in text), or that does not unpack.
    Example: a 50 KB .docx declaring a 1 GB member -> rejected, nothing decompressed.
    (Declared sizes are binding: Python's zipfile stops at the declared size.)"""
    budget = budget or Budget(what="The Word document")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRejected(OLD_DOC)
    # zipfile refuses bad archives with several exception types (an unknown zip version is
    # NotImplementedError); all of them mean "not a readable package".
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        NotImplementedError,
        OSError,
        EOFError,
    ) as error:
        raise ImportRejected(NOT_A_ZIP) from error
    limit = budget.limits.max_unpacked_bytes
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ImportRejected(_bomb_message(limit))
        if sum(m.file_size for m in members) > limit:
            raise ImportRejected(_bomb_message(limit))
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size >= RATIO_CHECK_FROM_BYTES and ratio > MAX_RATIO:
                raise ImportRejected(_bomb_message(limit))
        if MAIN_PART not in archive.namelist():
            raise ImportRejected(NO_MAIN_PART)
        reader = ZipReader(archive, budget)
        elements = 0
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                for chunk in reader.stream(member):
                    elements += chunk.count(b"<") - chunk.count(b"</")  # start tags
                    budget.check_elements(elements)


def _bomb_message(limit: int) -> str:
    return (
        f"The Word document would unpack to more than {limit // (1024 * 1024)} MB, or unpacks "
        "far more than a document should (a “zip bomb”), so it was not opened. Remove large "
        "embedded files and images, save it again and upload it again."
    )


class _Styles:
    """Style names by id, read once. python-docx's `run.style` and `paragraph.style` look the
    default style up by scanning every style of the document, for every run without a style of
    its own: 12 ms a run, hours for a long document."""

    def __init__(self, document: docx.document.Document) -> None:
        styles = document.styles
        self._names = {(s.style_id, s.type): s.name or "" for s in styles}
        self._default = {
            kind: (styles.default(kind).name or "") if styles.default(kind) is not None else ""
            for kind in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER)
        }

    def name(self, style_id: str | None, kind: WD_STYLE_TYPE) -> str:
        """As python-docx answers: an unknown id, or one of another type, means the default."""
        if style_id is None:
            return self._default[kind]
        return self._names.get((style_id, kind), self._default[kind])


def _is_emphasised(run: Run, styles: _Styles) -> bool:
    style = styles.name(run._r.style, WD_STYLE_TYPE.CHARACTER)
    return bool(run.italic or run.bold or "Emphasis" in style or "Strong" in style)


def paragraph_markdown(paragraph: Paragraph, styles: _Styles) -> str:
    """Runs as light Markdown; neighbouring emphasised runs are merged into one *span*."""
    pieces: list[tuple[str, bool]] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        for run in runs:
            emphasised = _is_emphasised(run, styles)
            text = escape_inline(run.text)
            if pieces and pieces[-1][1] == emphasised:
                pieces[-1] = (pieces[-1][0] + text, emphasised)
            else:
                pieces.append((text, emphasised))
    return "".join(emphasise(text) if on else text for text, on in pieces)


def _prefix(paragraph: Paragraph, styles: _Styles) -> str:
    style = styles.name(paragraph._p.style, WD_STYLE_TYPE.PARAGRAPH)
    if style.startswith("Heading"):
        return "# "
    properties = paragraph._p.pPr  # numbering lives in the XML; python-docx has no public API
    if "List" in style or (properties is not None and properties.numPr is not None):
        return "- "
    return ""


def _table_blocks(table: Table, styles: _Styles, budget: Budget) -> list[str]:
    blocks: list[str] = []
    seen: set[int] = set()
    for row in table.rows:
        budget.check()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            blocks.extend(
                block(paragraph_markdown(p, styles), _prefix(p, styles)) for p in cell.paragraphs
            )
    return blocks


def _metadata(document: docx.document.Document) -> dict[str, str]:
    core = document.core_properties
    metadata: dict[str, str] = {}
    if core.title and core.title.strip():
        metadata["title"] = " ".join(core.title.split())
    if core.author and core.author.strip():
        names = [n.strip() for n in core.author.replace(";", ",").split(",") if n.strip()]
        metadata["authors"] = ", ".join(names)
    if core.language and core.language.strip():
        metadata["language"] = core.language.strip()
    return metadata


def read_docx(data: bytes, budget: Budget | None = None) -> RawDocument:
    budget = budget or Budget(what="The Word document")
    check_package(data, budget)
    try:
        document = docx.Document(io.BytesIO(data))
        styles = _Styles(document)
        blocks: list[str] = []
        for item in document.iter_inner_content():
            budget.check()
            if isinstance(item, Table):
                blocks.extend(_table_blocks(item, styles, budget))
            else:
                blocks.append(block(paragraph_markdown(item, styles), _prefix(item, styles)))
        metadata = _metadata(document)
    except ImportRejected:
        raise
    except etree.XMLSyntaxError as error:
        if "depth" in str(error).lower():  # libxml2: "Excessive depth in document: 256 ..."
            budget.check_depth(budget.limits.max_depth + 1)
        raise ImportRejected(DAMAGED) from error
    # A damaged package can fail anywhere in python-docx, zipfile, zlib or lxml (missing parts,
    # bad XML, encrypted members, corrupt streams); each means the same to the user.
    except Exception as error:
        raise ImportRejected(DAMAGED) from error
    text = join_blocks(blocks)
    if not text.strip():
        raise ImportRejected(NO_TEXT)
    return RawDocument("docx", text, metadata, ())
