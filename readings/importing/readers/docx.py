"""Word .docx files: checked as ZIP packages first (zip bombs), then read with python-docx."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.styles.style import CharacterStyle
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from readings.importing.errors import ImportRejected
from readings.importing.readers.lightmarkdown import block, emphasise, escape_inline, join_blocks
from readings.importing.readers.raw import RawDocument

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
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


def check_package(data: bytes) -> None:
    """Rule: refuse before reading anything when the declared uncompressed sizes add up to more
    than 50 MB, when one large part expands more than 100-fold, or without word/document.xml.
    Example: a 50 KB .docx declaring a 1 GB member -> rejected, nothing decompressed.
    (Declared sizes are binding: Python's zipfile stops at the declared size.)"""
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
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ImportRejected(_bomb_message())
        if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
            raise ImportRejected(_bomb_message())
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size >= RATIO_CHECK_FROM_BYTES and ratio > MAX_RATIO:
                raise ImportRejected(_bomb_message())
        if MAIN_PART not in archive.namelist():
            raise ImportRejected(NO_MAIN_PART)


def _bomb_message() -> str:
    limit = MAX_UNCOMPRESSED_BYTES // (1024 * 1024)
    return (
        f"The Word document would unpack to more than {limit} MB, or unpacks far more than a "
        "document should (a “zip bomb”), so it was not opened. Remove large embedded files "
        "and images, save it again and upload it again."
    )


def _is_emphasised(run: Run) -> bool:
    # Typed as never None, but python-docx returns None when a document has no default
    # character style (documents written by other programs).
    character_style: CharacterStyle | None = run.style
    style = character_style.name if character_style is not None else ""
    return bool(run.italic or run.bold or "Emphasis" in style or "Strong" in style)


def paragraph_markdown(paragraph: Paragraph) -> str:
    """Runs as light Markdown; neighbouring emphasised runs are merged into one *span*."""
    pieces: list[tuple[str, bool]] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        for run in runs:
            emphasised = _is_emphasised(run)
            text = escape_inline(run.text)
            if pieces and pieces[-1][1] == emphasised:
                pieces[-1] = (pieces[-1][0] + text, emphasised)
            else:
                pieces.append((text, emphasised))
    return "".join(emphasise(text) if on else text for text, on in pieces)


def _prefix(paragraph: Paragraph) -> str:
    style = paragraph.style.name if paragraph.style is not None else ""
    if style.startswith("Heading"):
        return "# "
    properties = paragraph._p.pPr  # numbering lives in the XML; python-docx has no public API
    if "List" in style or (properties is not None and properties.numPr is not None):
        return "- "
    return ""


def _table_blocks(table: Table) -> list[str]:
    blocks: list[str] = []
    seen: set[int] = set()
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            blocks.extend(block(paragraph_markdown(p), _prefix(p)) for p in cell.paragraphs)
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


def read_docx(data: bytes) -> RawDocument:
    check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(_table_blocks(item))
            else:
                blocks.append(block(paragraph_markdown(item), _prefix(item)))
        metadata = _metadata(document)
    # A damaged package can fail anywhere in python-docx, zipfile, zlib or lxml (missing parts,
    # bad XML, encrypted members, corrupt streams); each means the same to the user.
    except Exception as error:
        raise ImportRejected(DAMAGED) from error
    text = join_blocks(blocks)
    if not text.strip():
        raise ImportRejected(NO_TEXT)
    return RawDocument("docx", text, metadata, ())
