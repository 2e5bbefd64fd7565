"""Read REFI-QDA projects (.qdpx: a zip with one *.qde and sources/ or Sources/) and
codebooks (.qdc). Positions of PlainTextSelections count code points of the source's text.

The zip is checked before anything is extracted: entry count, total and per-entry sizes and
compression ratio bound the work (no zip bombs); members are then unpacked streaming, under a
hard cap whatever their headers declare (readings.importing.limits.ZipReader), and a member
that is encrypted, compressed with an unknown method or corrupt is refused with a message. The
XML parser neither loads DTDs nor expands entities nor touches the network, and the element
count and nesting of each document are checked before its tree is built.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from annotations.interchange.imports.matching import quote_at
from annotations.interchange.imports.records import (
    MAX_ANNOTATIONS,
    ImportRejected,
    IncomingTag,
    IncomingTheme,
    Orphan,
    ParsedFile,
    ReadingHint,
    check_size,
    cleaned,
    parse_time,
)
from annotations.stances import STANCES
from readings.importing.limits import MB, Budget, Limits, ZipReader

MAX_ENTRIES = 10_000
MAX_RATIO = 200  # uncompressed / compressed; text compresses well, but not this well
MAX_CODES = 2_000  # themes a codebook may add at once
# A project's XML becomes an lxml tree of about 300 bytes an element, walked several times in
# Python: 300,000 elements (a project of 50,000 codings, the most one import takes) stay near
# 100 MB and a second. What the members read may unpack to together: 166 MB of project once
# took 2.1 GB.
QDA_LIMITS = Limits(max_elements=300_000, max_unpacked_bytes=60 * MB)
# A codebook of MAX_CODES codes, each with a description, has a few thousand elements.
CODEBOOK_LIMITS = Limits(max_elements=20_000)
STANCE_GROUP = "stance"
GUIDING_QUESTION = "Guiding question: "
OTHER_SELECTIONS = {
    "PictureSelection": "a picture selection",
    "PDFSelection": "a PDF region",
    "AudioSelection": "an audio selection",
    "VideoSelection": "a video selection",
    "TranscriptSelection": "a transcript selection",
}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )


_ENTITY_DECLARATIONS = tuple(
    "<!ENTITY".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be")
)


def parse_xml(data: bytes, what: str, budget: Budget | None = None) -> etree._Element:
    budget = budget or Budget(QDA_LIMITS, what=f"The {what}")
    # libxml2 expands internal entities even with resolve_entities=False; QDA-XML never
    # declares any, so a file that does is refused (no "billion laughs").
    if any(marker in data for marker in _ENTITY_DECLARATIONS):
        raise ImportRejected(f"The {what} declares XML entities, which QDA-XML never uses.")
    # Every element has one start tag, and XML never leaves "<" unescaped in text: counted in
    # C, before the tree is built.
    budget.check_elements(data.count(b"<") - data.count(b"</"))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        if "depth" in error.msg.lower():  # libxml2: "Excessive depth in document: 256 ..."
            budget.check_depth(budget.limits.max_depth + 1)
        raise ImportRejected(f"The {what} is not well-formed XML: {error.msg}.") from error
    budget.check()
    if root is None:
        raise ImportRejected(f"The {what} is empty.")
    return root


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    return (child for child in element if _local(child) == name)


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next(_children(element, name), None)


def _descendants(element: etree._Element, name: str) -> Iterator[etree._Element]:
    # "{*}" matches any namespace or none; lxml filters in C, not element by element here.
    return element.iter(f"{{*}}{name}")


def _text(element: etree._Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def split_description(description: str) -> tuple[str, str]:
    """(description, guiding question) from a Code's Description as our exports write it."""
    lines = description.rstrip().split("\n")
    if lines and lines[-1].startswith(GUIDING_QUESTION):
        question = lines[-1].removeprefix(GUIDING_QUESTION).strip()
        return "\n".join(lines[:-1]).strip(), question
    return description.strip(), ""


@dataclass(frozen=True)
class _Codebook:
    themes: list[IncomingTheme]
    names: dict[str, str]  # code GUID → theme name
    stances: dict[str, str]  # code GUID → stance
    skipped: list[Orphan]


def read_codes(codes: etree._Element | None) -> _Codebook:
    themes, names, stances, skipped = [], {}, {}, []

    def walk(code: etree._Element, parent: str) -> None:
        name = (code.get("name") or "").strip()
        key = (code.get("guid") or "").strip("{}").lower()
        codable = (code.get("isCodable") or "true").lower() in {"true", "1"}
        if parent == STANCE_GROUP and name.lower() in STANCES:
            stances[key] = name.lower()
        elif codable and name:
            names[key] = name
            description, question = split_description(_text(_child(code, "Description")))
            colour = (code.get("color") or "").lower()
            themes.append(IncomingTheme(name, colour, description, question))
        elif name and not list(_children(code, "Code")):
            skipped.append(Orphan(f"code “{name}”", "", "It is not codable (a retired theme?)."))
        for child in _children(code, "Code"):
            walk(child, name.lower())

    for code in _children(codes, "Code") if codes is not None else []:
        walk(code, "")
    return _Codebook(themes, names, stances, skipped)


def parse_qdc(data: bytes) -> ParsedFile:
    check_size(data)
    root = parse_xml(data, "codebook", Budget(CODEBOOK_LIMITS, what="The codebook"))
    if sum(1 for _ in _descendants(root, "Code")) > MAX_CODES:
        raise ImportRejected(
            f"The codebook holds more than {MAX_CODES:,} codes, more than a seminar's themes "
            "should be. Import the codes you use, or split the codebook."
        )
    if _local(root) != "CodeBook":
        raise ImportRejected("This is not a REFI-QDA codebook: its root is not <CodeBook>.")
    codebook = read_codes(_child(root, "Codes"))
    parsed = ParsedFile(
        format="REFI-QDA codebook", themes=codebook.themes, skipped=codebook.skipped
    )
    if not parsed.themes:
        raise ImportRejected("The codebook holds no codable code.")
    return cleaned(parsed)


def _open_zip(data: bytes) -> zipfile.ZipFile:
    check_size(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as error:
        raise ImportRejected("This is not a .qdpx file: it is not a zip archive.") from error
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ImportRejected(f"The archive holds more than {MAX_ENTRIES} files.")
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(
            1, entry.compress_size
        ):
            raise ImportRejected(f"{entry.filename} is compressed suspiciously well (a zip bomb?).")
    return archive


def _sources(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Files under sources/ (any case), by lower-cased name."""
    found = {}
    for info in archive.infolist():
        folder, _, name = info.filename.replace("\\", "/").rpartition("/")
        if name and folder.rsplit("/", 1)[-1].lower() == "sources":
            found[name.lower()] = info
    return found


def _source_text(
    source: etree._Element, reader: ZipReader, files: dict[str, zipfile.ZipInfo]
) -> str | None:
    inline = _child(source, "PlainTextContent")
    if inline is not None:
        return _text(inline)
    path = source.get("plainTextPath") or ""
    if not path.startswith("internal://"):
        return None
    info = files.get(path.removeprefix("internal://").lower())
    if info is None:
        return None
    data = reader.read(info)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected(f"{info.filename} is not UTF-8 text.") from error


def parse_qdpx(data: bytes, budget: Budget | None = None) -> ParsedFile:
    archive = _open_zip(data)
    projects = [i for i in archive.infolist() if i.filename.lower().endswith(".qde")]
    if len(projects) != 1:
        raise ImportRejected(
            "A .qdpx file holds exactly one project (*.qde); this one holds "
            f"{len(projects) or 'none'}."
        )
    # A caller's budget brings its deadline; the limits on elements and bytes are QDA's.
    what = "The REFI-QDA project"
    budget = budget.with_limits(QDA_LIMITS, what=what) if budget else Budget(QDA_LIMITS, what=what)
    reader = ZipReader(archive, budget)
    root = parse_xml(reader.read(projects[0]), "project (.qde)", budget)
    if _local(root) != "Project":
        raise ImportRejected("This is not a REFI-QDA project: its root is not <Project>.")
    users = {
        (u.get("guid") or "").strip("{}").lower(): u.get("id") or u.get("name") or ""
        for u in _descendants(root, "User")
    }
    notes = {
        (n.get("guid") or "").strip("{}").lower(): _text(_child(n, "PlainTextContent"))
        for n in _descendants(root, "Note")
    }
    codebook_element = _child(root, "CodeBook")
    codebook = read_codes(
        _child(codebook_element, "Codes") if codebook_element is not None else None
    )
    parsed = ParsedFile(
        format="REFI-QDA project",
        title=root.get("name") or "",
        themes=codebook.themes,
    )
    files = _sources(archive)
    sources = _child(root, "Sources")
    for source in list(sources) if sources is not None else []:
        kind, name = _local(source), source.get("name") or "a source"
        if kind != "TextSource":
            for selection in source.iter():
                label = OTHER_SELECTIONS.get(_local(selection))
                if label:
                    parsed.skipped.append(
                        Orphan(
                            f"{name}: {selection.get('name') or selection.get('guid')}",
                            "",
                            f"It is {label}: only selections of text sources can be imported.",
                        )
                    )
            continue
        budget.check()
        text = _source_text(source, reader, files)
        selections = list(_children(source, "PlainTextSelection"))
        if text is None:
            if selections:
                parsed.skipped.append(
                    Orphan(
                        f"source “{name}”",
                        "",
                        f"Its text is not in the file ({source.get('plainTextPath')}), so its "
                        f"{len(selections)} selections cannot be placed.",
                    )
                )
            continue
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        for _coding in _children(source, "Coding"):
            parsed.skipped.append(
                Orphan(f"source “{name}”", "", "It codes the whole source, not a passage.")
            )
        for selection in selections:
            ref = f"{name}: selection {selection.get('name') or selection.get('guid')}"
            try:
                start = int(selection.get("startPosition", ""))
                end = int(selection.get("endPosition", ""))
            except ValueError:
                parsed.skipped.append(Orphan(ref, "", "Its start or end position is not a number."))
                continue
            if not 0 <= start < end <= len(text):
                parsed.skipped.append(
                    Orphan(ref, "", f"Its positions {start}–{end} lie outside its source text.")
                )
                continue
            themes, stance, unknown = [], "", 0
            for coding in _children(selection, "Coding"):
                ref_element = _child(coding, "CodeRef")
                target = (ref_element.get("targetGUID") if ref_element is not None else "") or ""
                target = target.strip("{}").lower()
                if target in codebook.stances:
                    stance = stance or codebook.stances[target]
                elif target in codebook.names:
                    themes.append(codebook.names[target])
                else:
                    unknown += 1
            note_refs = [*_children(selection, "NoteRef")]
            for coding in _children(selection, "Coding"):
                note_refs.extend(_children(coding, "NoteRef"))
            note_texts = [
                notes.get((r.get("targetGUID") or "").strip("{}").lower(), "") for r in note_refs
            ]
            note_texts = [n for n in note_texts if n.strip()]
            creator = (selection.get("creatingUser") or "").strip("{}").lower()
            if not themes:
                reason = "It has no coding with a codable code."
                if unknown:
                    reason = "Its codes are not in the project's codebook."
                parsed.skipped.append(Orphan(ref, text[start:end], reason))
                continue
            parsed.tags.append(
                IncomingTag(
                    ref=ref,
                    quote=quote_at(text, start, end),
                    reading=ReadingHint(content_hash=digest, title=name),
                    themes=tuple(dict.fromkeys(themes)),
                    stance=stance,
                    note="\n\n".join(note_texts),
                    author=users.get(creator, ""),
                    created=parse_time(selection.get("creationDateTime")),
                    modified=parse_time(selection.get("modifiedDateTime")),
                )
            )
            if len(parsed.tags) > MAX_ANNOTATIONS:
                raise ImportRejected(f"The project holds more than {MAX_ANNOTATIONS} codings.")
    return cleaned(parsed)
