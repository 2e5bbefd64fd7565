"""Word .docx files: checked as ZIP packages first (zip bombs, element counts), then read with
python-docx: every paragraph and table cell in reading order, headings by style or outline
level, lists, and footnotes and endnotes as notes called from their place in the text."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from readings.importing.errors import ImportRejected
from readings.importing.limits import Budget, ZipReader
from readings.importing.notes import OPEN, note_call, note_text, strip_note_marks
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


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_NOTE_REFERENCES = {W + "footnoteReference": "footnote", W + "endnoteReference": "endnote"}
# Footnotes Word keeps for itself: the rule above the notes and its continuation.
_SPECIAL_NOTES = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_HEADING_STYLE_PREFIXES = ("heading", "überschrift", "titre", "título", "titolo", "kop")


class _Styles:
    """Style names by id, read once. python-docx's `run.style` and `paragraph.style` look the
    default style up by scanning every style of the document, for every run without a style of
    its own: 12 ms a run, hours for a long document. A paragraph style is a heading when its
    name says so or it (or a style it is based on) has an outline level, as Word's navigation
    pane decides."""

    def __init__(self, document: docx.document.Document) -> None:
        styles = document.styles
        self._names = {(s.style_id, s.type): s.name or "" for s in styles}
        defaults = {
            kind: styles.default(kind)
            for kind in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER)
        }
        self._default = {kind: (s.name or "") if s else "" for kind, s in defaults.items()}
        default = defaults[WD_STYLE_TYPE.PARAGRAPH]
        self._default_id = default.style_id if default is not None else None
        elements = {s.style_id: s.element for s in styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
        self._headings = {
            style_id for style_id in elements if _style_outline_level(style_id, elements) < 9
        }

    def name(self, style_id: str | None, kind: WD_STYLE_TYPE) -> str:
        """As python-docx answers: an unknown id, or one of another type, means the default."""
        if style_id is None:
            return self._default[kind]
        return self._names.get((style_id, kind), self._default[kind])

    def is_heading(self, style_id: str | None) -> bool:
        if style_id is None or (style_id, WD_STYLE_TYPE.PARAGRAPH) not in self._names:
            style_id = self._default_id
        name = self.name(style_id, WD_STYLE_TYPE.PARAGRAPH).lower()
        return name.startswith(_HEADING_STYLE_PREFIXES) or style_id in self._headings


def _style_outline_level(style_id: str, elements: dict[str, etree._Element]) -> int:
    """The outline level a style sets or inherits (0-8 a heading, 9 body text)."""
    seen: set[str] = set()
    current: str | None = style_id
    while current and current in elements and current not in seen and len(seen) < 20:
        seen.add(current)
        element = elements[current]
        level = element.find(f"{W}pPr/{W}outlineLvl")
        if level is not None:
            return _int(level.get(W + "val"), 9)
        based = element.find(W + "basedOn")
        current = based.get(W + "val") if based is not None else None
    return 9


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class _Notes:
    """Footnotes and endnotes: their texts read from their parts, numbered in the order the
    body calls them (as Word numbers them)."""

    def __init__(self, document: docx.document.Document, budget: Budget) -> None:
        self.texts: dict[tuple[str, str], str] = {}
        self.numbers: dict[tuple[str, str], int] = {}
        self.called: list[str] = []
        for rel in document.part.rels.values():
            kind = {RT.FOOTNOTES: "footnote", RT.ENDNOTES: "endnote"}.get(rel.reltype)
            if kind is None or rel.is_external:
                continue
            root = etree.fromstring(rel.target_part.blob, _PARSER)
            for count, note in enumerate(root.iterchildren(W + kind)):
                if count % 256 == 0:
                    budget.check()
                if note.get(W + "type") in _SPECIAL_NOTES:
                    continue
                paragraphs = [_plain_text(p, budget) for p in note.iter(W + "p")]
                self.texts[(kind, note.get(W + "id") or "")] = note_text(" ".join(paragraphs))

    def call(self, kind: str, note_id: str) -> str:
        key = (kind, note_id)
        if key not in self.texts:
            return ""  # a reference to a note the file does not have
        if key not in self.numbers:
            self.numbers[key] = len(self.called) + 1
            self.called.append(self.texts[key])
        return note_call(self.numbers[key])


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _plain_text(paragraph: etree._Element, budget: Budget) -> str:
    pieces: list[str] = []
    for count, element in enumerate(paragraph.iter(W + "t", W + "tab", W + "br", W + "cr")):
        if count % 4096 == 4095:
            budget.check()
        pieces.append(element.text or "" if element.tag == W + "t" else " ")
    return strip_note_marks("".join(pieces))


def _is_emphasised(run: Run, styles: _Styles) -> bool:
    style = styles.name(run._r.style, WD_STYLE_TYPE.CHARACTER)
    return bool(run.italic or run.bold or "Emphasis" in style or "Strong" in style)


def _run_text(run: Run, notes: _Notes) -> str:
    """The run's text with its note references as calls, in the order they stand."""
    r = run._r
    if not any(child.tag in _NOTE_REFERENCES for child in r):
        return escape_inline(strip_note_marks(run.text))
    pieces: list[str] = []
    for child in r:
        kind = _NOTE_REFERENCES.get(str(child.tag))
        if kind is not None:
            pieces.append(notes.call(kind, child.get(W + "id") or ""))
        elif child.tag == W + "t":
            pieces.append(escape_inline(strip_note_marks(child.text or "")))
        elif child.tag in (W + "tab", W + "br", W + "cr"):
            pieces.append(" ")
    return "".join(pieces)


MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Runs under these are not the paragraph's text: deleted or moved-away text, a text box's
# own story (a sidebar or pull quote anchored here), the fallback copy of alternate content.
_NOT_INLINE = frozenset({W + "del", W + "moveFrom", W + "txbxContent", MC + "Fallback"})


def _runs(paragraph: Paragraph) -> Iterator[Run]:
    """Every run of the paragraph's text in order, also those python-docx's own iteration
    skips: inside tracked insertions, smart tags, fields and inline content controls."""
    p = paragraph._p
    for r in p.iter(W + "r"):
        parent = r.getparent()
        while parent is not None and parent is not p and parent.tag not in _NOT_INLINE:
            parent = parent.getparent()
        if parent is p:
            yield Run(r, paragraph)  # type: ignore[arg-type]  # lxml element, python-docx's CT_R


def paragraph_markdown(paragraph: Paragraph, styles: _Styles, notes: _Notes) -> str:
    """Runs as light Markdown; neighbouring emphasised runs are merged into one *span*."""
    pieces: list[tuple[str, bool]] = []
    for run in _runs(paragraph):
        text = _run_text(run, notes)
        # A note call is no emphasis of the author's, whatever its run looks like.
        emphasised = _is_emphasised(run, styles) and OPEN not in text
        if pieces and pieces[-1][1] == emphasised:
            pieces[-1] = (pieces[-1][0] + text, emphasised)
        else:
            pieces.append((text, emphasised))
    return "".join(emphasise(text) if on else text for text, on in pieces)


def _prefix(paragraph: Paragraph, styles: _Styles) -> str:
    properties = paragraph._p.pPr  # numbering and outline levels live in the XML
    level = properties.find(W + "outlineLvl") if properties is not None else None
    if level is not None:
        if _int(level.get(W + "val"), 9) < 9:
            return "# "
    elif styles.is_heading(paragraph._p.style):
        return "# "
    style = styles.name(paragraph._p.style, WD_STYLE_TYPE.PARAGRAPH)
    if "List" in style or (properties is not None and properties.numPr is not None):
        return "- "
    return ""


class _Body:
    """Walks a story (the body, a table cell) in reading order: paragraphs, tables row by
    row, cell by cell (a merged cell once: a horizontal merge is one cell, a vertical one is
    read where it starts), content controls opened. A cell's paragraphs are list items; a row
    of short cells is one item (`_row_blocks`)."""

    def __init__(self, styles: _Styles, notes: _Notes, budget: Budget) -> None:
        self.styles = styles
        self.notes = notes
        self.budget = budget
        self.blocks: list[str] = []
        self._count = 0

    def story(
        self, container: etree._Element, parent: object, depth: int, *, cell: bool = False
    ) -> None:
        self.budget.check_depth(depth)
        for child in container.iterchildren():
            self._count += 1
            if self._count % 256 == 0:
                self.budget.check()
            if child.tag == W + "p":
                paragraph = Paragraph(child, parent)  # type: ignore[arg-type]  # python-docx's parent is untyped duck
                prefix = _prefix(paragraph, self.styles)
                self.blocks.append(
                    block(
                        paragraph_markdown(paragraph, self.styles, self.notes),
                        # A cell's text is an item of the table, not a heading of what
                        # follows ("Canada", "Ottawa"), unless its style says heading.
                        "- " if cell and prefix != "# " else prefix,
                    )
                )
            elif child.tag == W + "tbl":
                self._table(child, parent, depth + 1)
            elif child.tag in (W + "sdt", W + "customXml"):
                content = child.find(W + "sdtContent")
                self.story(content if content is not None else child, parent, depth + 1, cell=cell)

    def _table(self, table: etree._Element, parent: object, depth: int) -> None:
        self.budget.check_depth(depth)
        for row in table.iterchildren(W + "tr"):
            self.budget.check()
            cells: list[list[str]] = []
            for cell in row.iterchildren(W + "tc"):
                merge = cell.find(f"{W}tcPr/{W}vMerge")
                if merge is not None and merge.get(W + "val") != "restart":
                    continue  # the lower part of a vertically merged cell
                outer, self.blocks = self.blocks, []
                self.story(cell, parent, depth + 1, cell=True)
                cells.append([b for b in self.blocks if b.strip()])
                self.blocks = outer
            self.blocks.extend(_row_blocks(cells))


# A row whose every cell is one short item is read as one item, its cells in order with " · "
# between them ("Canada · 17 % · steady"), as a person reads a table of data; a row holding
# paragraphs (a table used for layout) keeps one item per cell.
ROW_CELL_WORDS = 12
ROW_SEPARATOR = " · "


def _row_blocks(cells: list[list[str]]) -> list[str]:
    """Rule: see ROW_CELL_WORDS. Example: cells [["- Canada"], ["- 17 %"], []] ->
    ["- Canada · 17 %"]; [["- A long paragraph …"], ["- B"]] -> one item per cell."""
    texts = [
        blocks[0].removeprefix("- ")
        for blocks in cells
        if len(blocks) == 1 and blocks[0].startswith("- ")
    ]
    short = all(len(t.split()) <= ROW_CELL_WORDS for t in texts)
    if texts and short and len(texts) == sum(1 for blocks in cells if blocks):
        return ["- " + ROW_SEPARATOR.join(texts)]
    return [block for blocks in cells for block in blocks]


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
        notes = _Notes(document, budget)
        body = _Body(styles, notes, budget)
        body.story(document.element.body, document._body, 1)
        blocks = body.blocks
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
    return RawDocument("docx", text, metadata, (), tuple(notes.called))
