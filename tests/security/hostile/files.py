"""Hostile files, made at test time (nothing binary is committed): each one is a way a single
upload once tied up a worker or broke an import (issue 19, items 2 and 4).

Every maker returns a `Hostile`: the file name to upload, its bytes, and what it is. Sizes are
those of the attack report unless a smaller file shows the same thing; the generators are
deterministic (seeded) and each takes well under a second, except the two 45 MB / 166 MB
unpacked archives, which take about one.
"""

from __future__ import annotations

import io
import json
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import docx

MB = 1024 * 1024


@dataclass(frozen=True)
class Hostile:
    name: str  # the upload's file name (its extension picks the reader)
    data: bytes
    about: str  # one line for reports and test ids


# Text ------------------------------------------------------------------------------------------

# fmt: off
_WORDS = (
    "alliance", "partnership", "border", "trade", "sanctions", "energy", "pivot", "leverage",
    "summit", "treaty", "autonomy", "primacy", "rapprochement", "deterrence", "security",
    "economy", "dependence", "rivalry", "the", "of", "and", "to", "in", "a", "that", "is", "for",
    "it", "as", "was", "with", "be", "by", "on", "not", "he", "this", "are", "or", "his", "from",
    "at", "which", "but", "have", "an", "they",
)
# fmt: on


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(8, 22))
    return " ".join(words).capitalize() + "."


@cache
def _paragraph_pool(seed: int = 19, size: int = 2000) -> tuple[str, ...]:
    """Distinct paragraphs of 4-12 sentences (about 900 characters, as in an essay or a book):
    text this varied compresses 3-4 times, like prose."""
    rng = random.Random(seed)
    return tuple(" ".join(_sentence(rng) for _ in range(rng.randint(4, 12))) for _ in range(size))


def prose(size: int, *, seed: int = 7) -> str:
    """About `size` characters of a long reading: headings every 25 paragraphs, paragraphs of
    3-7 sentences, a bullet list now and then."""
    rng = random.Random(seed)
    pool = _paragraph_pool()
    parts: list[str] = []
    total = 0
    while total < size:
        n = len(parts)
        if n % 25 == 0:
            block = f"Section {n // 25 + 1} on {rng.choice(_WORDS[:18])}"
        elif n % 17 == 0:
            block = "\n".join(f"• {rng.choice(_WORDS[:18]).capitalize()} matters." for _ in "abc")
        else:
            block = rng.choice(pool)
        parts.append(block)
        total += len(block) + 2
    return "\n\n".join(parts)


def large_text(size: int = int(9.5 * MB)) -> Hostile:
    """A whole book as plain text: valid, and must preview and save within the budget."""
    return Hostile("book.txt", prose(size).encode(), f"{size / MB:.1f} MB of prose (.txt)")


def tiny_paragraphs(size: int = int(9.5 * MB)) -> Hostile:
    """Text that is nothing but one-line paragraphs: about a million passages."""
    count = size // 10
    text = "\n\n".join(f"Line {n}." for n in range(count))
    return Hostile("lines.txt", text[:size].encode(), f"{size / MB:.1f} MB of one-line paragraphs")


def emphasis_markers(size: int = int(9.5 * MB)) -> Hostile:
    """One block of emphasis markers and escapes, the inline parser's worst case."""
    unit = "*a _b \\* "
    return Hostile(
        "markers.md",
        (unit * (size // len(unit))).encode(),
        f"{size / MB:.1f} MB of emphasis markers in one block",
    )


# HTML ------------------------------------------------------------------------------------------


def nested_divs(depth: int = 100_000) -> Hostile:
    """1.1 MB of 100,000 nested <div>: the sanitiser's tree building grows faster than linear."""
    html = "<!doctype html><title>Deep</title>" + "<div>" * depth + "deep" + "</div>" * depth
    return Hostile("deep.html", html.encode(), f"{depth:,} nested <div> ({len(html) / MB:.1f} MB)")


def html_tags(size: int = 8 * MB) -> Hostile:
    """8 MB of tags and almost no text: millions of elements for the parsers to build."""
    unit = "<p><span><b>x</b></span></p>"
    html = "<!doctype html><title>Tags</title>" + unit * (size // len(unit))
    return Hostile("tags.html", html.encode(), f"{size / MB:.0f} MB of HTML tags")


# Zip packages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One zip member, already deflated (raw deflate, no zlib header)."""

    name: str
    deflated: bytes
    crc: int
    size: int


def member(name: str, data: bytes, *, level: int = 1) -> Member:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    deflated = compressor.compress(data) + compressor.flush()
    return Member(name, deflated, zlib.crc32(data), len(data))


def repeated_member(name: str, head: bytes, chunk: bytes, times: int, tail: bytes) -> Member:
    """head + chunk * times + tail, deflated at level 1 with the chunk compressed only once.

    A full flush before and after the chunk empties the compressor's window, so the chunk's
    compressed bytes do not depend on what came before and can simply be repeated: hundreds
    of megabytes of varied text cost a fraction of a second to make. (Deflate's window is
    32 KB, so repeating a 3 MB chunk does not make the member compress any better.)"""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    opening = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    middle = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    closing = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(chunk) * times + len(tail)
    return Member(name, opening + middle * times + closing, crc, size)


def zip_package(members: list[Member]) -> bytes:
    """A zip archive written by hand (zipfile cannot store already-deflated data)."""
    out = io.BytesIO()
    central = io.BytesIO()
    for item in members:
        name = item.name.encode()
        offset = out.tell()
        fields = (20, 0, 8, 0, 0x21, item.crc, len(item.deflated), item.size, len(name))
        out.write(b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields, 0) + name)
        out.write(item.deflated)
        central.write(
            b"PK\x01\x02"
            + struct.pack("<HHHHHHIIIHHHHHII", 20, *fields, 0, 0, 0, 0, 0, offset)
            + name
        )
    directory = central.getvalue()
    end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(directory), out.tell(), 0)
    return out.getvalue() + directory + b"PK\x05\x06" + end


# Word ------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCUMENT_OPEN = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:document xmlns:w="{W_NS}"><w:body>'
)
_DOCUMENT_CLOSE = "</w:body></w:document>"


@cache
def _blank_docx_members() -> tuple[tuple[str, bytes], ...]:
    out = io.BytesIO()
    docx.Document().save(out)
    with zipfile.ZipFile(out) as archive:
        return tuple((info.filename, archive.read(info)) for info in archive.infolist())


def word_package(document: Member) -> bytes:
    """python-docx's own blank document with word/document.xml replaced by `document`."""
    members = [
        document if name == "word/document.xml" else member(name, data)
        for name, data in _blank_docx_members()
    ]
    return zip_package(members)


def with_document_xml(document_xml: bytes) -> bytes:
    return word_package(member("word/document.xml", document_xml))


def _paragraph_xml(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _styled_paragraph_xml(text: str) -> str:
    """A paragraph as Word writes one: properties, and runs of a few words with their own."""
    words = text.split(" ")
    runs = "".join(
        f'<w:r><w:rPr>{"<w:i/>" if k % 12 == 0 else "<w:b/>"}<w:lang w:val="en-GB"/></w:rPr>'
        f'<w:t xml:space="preserve">{" ".join(words[k : k + 6])} </w:t></w:r>'
        for k in range(0, len(words), 6)
    )
    return f'<w:p><w:pPr><w:pStyle w:val="BodyText"/><w:spacing w:after="120"/></w:pPr>{runs}</w:p>'


@cache
def _styled_chunk() -> bytes:
    """About 3 MB of distinct, styled paragraphs: compresses 8-9 times at level 1."""
    return "".join(_styled_paragraph_xml(p) for p in _paragraph_pool()).encode()


def ratio_evading_docx(unpacked: int = 45 * MB) -> Hostile:
    """A .docx whose document.xml unpacks to 45 MB of ordinary styled paragraphs: it compresses
    only 8-9 times, so no ratio check calls it a bomb (the old check allowed 100), and
    python-docx would build a tree of millions of elements from it."""
    chunk = _styled_chunk()
    head, tail = _DOCUMENT_OPEN.encode(), _DOCUMENT_CLOSE.encode()
    document = repeated_member("word/document.xml", head, chunk, unpacked // len(chunk) + 1, tail)
    data = word_package(document)
    return Hostile(
        "ratio.docx",
        data,
        f".docx of {len(data) / MB:.1f} MB, document.xml {document.size / MB:.0f} MB unpacked",
    )


def many_paragraphs_docx(count: int = 400_000) -> Hostile:
    """Under every size limit (about 10 MB of XML) but hundreds of thousands of paragraphs."""
    body = "".join(_paragraph_xml(f"P{n}.") for n in range(count))
    data = with_document_xml((_DOCUMENT_OPEN + body + _DOCUMENT_CLOSE).encode())
    return Hostile("paragraphs.docx", data, f"{count:,} one-word paragraphs in a .docx")


def _ids(count: int, *, seed: int) -> list[str]:
    """Random 12-digit hex names: they keep markup from compressing beyond any ratio check."""
    digits = random.Random(seed).randbytes(6 * count).hex()
    return [digits[k : k + 12] for k in range(0, 12 * count, 12)]


def nested_docx(depth: int = 100_000) -> Hostile:
    """100,000 nested elements inside document.xml (custom XML inside custom XML), each named
    differently so the part compresses only a few times."""
    xml = (
        _DOCUMENT_OPEN
        + "".join(f'<w:customXml w:element="{name}">' for name in _ids(depth, seed=1))
        + _paragraph_xml("deep")
        + "</w:customXml>" * depth
        + _DOCUMENT_CLOSE
    )
    return Hostile(
        "deep.docx", with_document_xml(xml.encode()), f"{depth:,} nested elements in a .docx"
    )


def _laughs_dtd(root: str) -> str:
    """The classic entity expansion: ten levels of ten references, a billion "lol"s."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [{entities}]>'


def billion_laughs_docx() -> Hostile:
    xml = (
        _laughs_dtd("w:document")
        + f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'
        + "</w:body></w:document>"
    )
    return Hostile("laughs.docx", with_document_xml(xml.encode()), "billion laughs in a .docx")


def corrupt_deflate_docx() -> Hostile:
    """A Word document whose main part's deflate stream is garbage after two bytes."""
    xml = (_DOCUMENT_OPEN + _paragraph_xml("Lost.") * 200 + _DOCUMENT_CLOSE).encode()
    document = member("word/document.xml", xml)
    rng = random.Random(98)
    garbage = document.deflated[:2] + rng.randbytes(len(document.deflated) - 2)
    data = word_package(Member(document.name, garbage, document.crc, document.size))
    return Hostile("corrupt.docx", data, "a .docx whose document.xml is corrupt")


# PDF -------------------------------------------------------------------------------------------


def pdf(page_streams: list[bytes]) -> bytes:
    """A PDF written by hand: one page per content stream, Helvetica as F1, valid xref."""
    count = len(page_streams)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages are numbered
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids: list[str] = []
    streams: dict[bytes, int] = {}  # pages with the same content share one stream
    for stream in page_streams:
        if stream not in streams:
            objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
            streams[stream] = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % streams[stream]
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {count} >>".encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _text_stream(lines: list[bytes]) -> bytes:
    shown = b" T* ".join(b"(" + line + b") Tj" for line in lines)
    return b"BT /F1 11 Tf 14 TL 72 720 Td " + shown + b" ET"


def nul_pdf() -> Hostile:
    """A valid PDF whose text layer holds U+0000 between words (as a real thesis did)."""
    stream = _text_stream(
        [
            b"A thesis whose text layer holds a NUL\x00between two words.",
            b"It goes on for a sentence or two, as a thesis does.",
        ]
    )
    return Hostile("thesis.pdf", pdf([stream]), "a PDF whose text holds U+0000")


def many_pages_pdf(pages: int = 20_000) -> Hostile:
    """A small PDF of many pages, each with one line of text."""
    stream = _text_stream([b"A page of a very long report, which says the same on every page."])
    return Hostile("report.pdf", pdf([stream] * pages), f"a PDF of {pages:,} pages")


def long_page_pdf(lines: int = 200_000) -> Hostile:
    """One page whose content stream shows 200,000 lines: all the work inside one page."""
    stream = _text_stream([b"Line %d of a page that never ends." % n for n in range(lines)])
    return Hostile("long.pdf", pdf([stream]), f"one PDF page of {lines:,} lines")


# JSON ------------------------------------------------------------------------------------------


def deep_json(depth: int = 100_000, *, name: str = "deep.jsonld") -> Hostile:
    data = ("[" * depth + "]" * depth).encode()
    return Hostile(name, data, f"JSON nested {depth:,} deep")


def deep_w3c(depth: int = 900) -> Hostile:
    """An annotation whose body nests objects 900 deep: just inside Python's recursion limit,
    so the JSON parser accepts it and every walker after it recurses."""
    body = '{"value":' * depth + '"x"' + "}" * depth
    data = '{"type":"Annotation","target":{"selector":{"type":"TextQuoteSelector","exact":"a"}},'
    return Hostile("deep.jsonld", (data + f'"body":{body}}}').encode(), f"W3C body nested {depth}")


def huge_json_array(size: int = 40 * MB, *, name: str = "many.jsonld") -> Hostile:
    """A list of empty lists: every 3 bytes of upload become a Python list (56+ bytes)."""
    count = size // 3
    data = b"[" + b"[]," * (count - 1) + b"[]]"
    return Hostile(name, data, f"{size / MB:.0f} MB JSON array of {count:,} empty lists")


def many_hypothesis_rows(count: int = 50_000) -> Hostile:
    """Hypothesis rows that each quote a long run of common words: every one a fuzzy search."""
    row = json.dumps(
        {
            "uri": "https://example.org/",
            "target": [{"selector": [{"type": "TextQuoteSelector", "exact": "the " * 50}]}],
            "tags": ["Trade"],
        }
    )
    data = (f'{{"total": {count}, "rows": [' + ",".join([row] * count) + "]}").encode()
    return Hostile("many.json", data, f"{count:,} Hypothesis rows ({len(data) / MB:.0f} MB)")


# Zip members (REFI-QDA) ------------------------------------------------------------------------

_QDE_OPEN = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="Hostile" origin="tests">'
)


def qdpx(members: dict[str, bytes]) -> bytes:
    return zip_package([member(name, data) for name, data in members.items()])


def _plain_project() -> bytes:
    return (
        _QDE_OPEN
        + '<CodeBook><Codes><Code guid="00000000-0000-0000-0000-000000000001" name="Trade" '
        'isCodable="true"/></Codes></CodeBook></Project>'
    ).encode()


@cache
def _notes_chunk() -> bytes:
    """About 3 MB of distinct notes, as a project's XML holds them."""
    return "".join(
        f'<Note guid="{n:08x}-0000-0000-0000-000000000000" name="Memo {n}" '
        f'creatingUser="00000000-0000-0000-0000-000000000001">'
        f"<PlainTextContent>{paragraph}</PlainTextContent></Note>"
        for n, paragraph in enumerate(_paragraph_pool())
    ).encode()


def oversized_qdpx(unpacked: int = 166 * MB) -> Hostile:
    """A .qdpx whose project file unpacks to 166 MB of varied notes."""
    chunk = _notes_chunk()
    head, tail = (_QDE_OPEN + "<Notes>").encode(), b"</Notes></Project>"
    project = repeated_member("project.qde", head, chunk, unpacked // len(chunk) + 1, tail)
    data = zip_package([project])
    return Hostile(
        "huge.qdpx",
        data,
        f".qdpx of {len(data) / MB:.0f} MB, project {project.size / MB:.0f} MB unpacked",
    )


def many_elements_qdpx(count: int = 600_000) -> Hostile:
    """Under the size limits (30 MB unpacked, compressing 2-3 times), but 600,000 users."""
    users = "".join(f'<User guid="{name}" name="{name[:6]}"/>' for name in _ids(count, seed=2))
    xml = _QDE_OPEN + "<Users>" + users + "</Users></Project>"
    return Hostile(
        "elements.qdpx", qdpx({"project.qde": xml.encode()}), f"{count:,} elements in a .qde"
    )


def nested_qdpx(depth: int = 100_000) -> Hostile:
    """Codes nest in QDA-XML: 100,000 of them, one inside the other."""
    codes = "".join(f'<Code guid="{name}" name="{name[:6]}">' for name in _ids(depth, seed=3))
    xml = _QDE_OPEN + "<CodeBook><Codes>" + codes + "</Code>" * depth + "</Codes></CodeBook>"
    xml += "</Project>"
    return Hostile(
        "deep.qdpx", qdpx({"project.qde": xml.encode()}), f"{depth:,} nested elements in a .qde"
    )


def billion_laughs_qdpx() -> Hostile:
    xml = _laughs_dtd("Project") + '<Project xmlns="urn:QDA-XML:project:1.0">&lol9;</Project>'
    return Hostile("laughs.qdpx", qdpx({"project.qde": xml.encode()}), "billion laughs in a .qde")


def billion_laughs_qdc() -> Hostile:
    xml = _laughs_dtd("CodeBook") + (
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="00000000-0000-0000-0000-000000000001" name="&lol9;" isCodable="true"/>'
        "</Codes></CodeBook>"
    )
    return Hostile("laughs.qdc", xml.encode(), "billion laughs in a .qdc")


def many_codes_qdc(count: int = 200_000) -> Hostile:
    codes = "".join(
        f'<Code guid="{n:08x}-0000-0000-0000-000000000000" name="Code {n}" isCodable="true"/>'
        for n in range(count)
    )
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
        f"<Codes>{codes}</Codes></CodeBook>"
    )
    return Hostile("codes.qdc", xml.encode(), f"a codebook of {count:,} codes")


def _project_with(project: Member, *, flags: int = 0, method: int = 8) -> bytes:
    """A .qdpx of one project member whose headers (local and central alike, as a real tool
    writes them) carry the given flag bits and compression method."""
    data = bytearray(zip_package([project]))
    local, central = 0, data.find(b"PK\x01\x02")
    for offset in (local + 6, central + 8):
        (bits,) = struct.unpack_from("<H", data, offset)
        struct.pack_into("<H", data, offset, bits | flags)
    struct.pack_into("<H", data, local + 8, method)
    struct.pack_into("<H", data, central + 10, method)
    return bytes(data)


def encrypted_member_qdpx() -> Hostile:
    """The project's general-purpose flag says "encrypted" (bit 0)."""
    data = _project_with(member("project.qde", _plain_project()), flags=0x1)
    return Hostile("encrypted.qdpx", data, "a .qdpx whose project is an encrypted member")


def method_99_qdpx() -> Hostile:
    """Compression method 99 (WinZip AES), which Python's zipfile cannot unpack."""
    data = _project_with(member("project.qde", _plain_project()), method=99)
    return Hostile("aes.qdpx", data, "a .qdpx whose project uses compression method 99")


def corrupt_deflate_qdpx() -> Hostile:
    """The project's deflate stream is garbage from its third byte on."""
    project = member("project.qde", _plain_project() * 20)
    garbage = project.deflated[:2] + random.Random(99).randbytes(len(project.deflated) - 2)
    data = zip_package([Member(project.name, garbage, project.crc, project.size)])
    return Hostile("corrupt.qdpx", data, "a .qdpx whose project's deflate stream is corrupt")


# Which endpoint each file is posted to: "document" (the reading import's preview), "set" (a
# student's set import), "codebook" and "restore" (an instructor's codebook import and restore).
CASES: dict[str, tuple[Callable[[], Hostile], str]] = {
    "nested_divs": (nested_divs, "document"),
    "html_tags": (html_tags, "document"),
    "large_text": (large_text, "document"),
    "tiny_paragraphs": (tiny_paragraphs, "document"),
    "emphasis_markers": (emphasis_markers, "document"),
    "ratio_evading_docx": (ratio_evading_docx, "document"),
    "many_paragraphs_docx": (many_paragraphs_docx, "document"),
    "nested_docx": (nested_docx, "document"),
    "billion_laughs_docx": (billion_laughs_docx, "document"),
    "corrupt_deflate_docx": (corrupt_deflate_docx, "document"),
    "nul_pdf": (nul_pdf, "document"),
    "many_pages_pdf": (many_pages_pdf, "document"),
    "long_page_pdf": (long_page_pdf, "document"),
    "deep_json_w3c": (deep_json, "set"),
    "deep_w3c": (deep_w3c, "set"),
    "huge_json_array": (huge_json_array, "set"),
    "many_hypothesis_rows": (many_hypothesis_rows, "set"),
    "oversized_qdpx": (oversized_qdpx, "set"),
    "many_elements_qdpx": (many_elements_qdpx, "set"),
    "nested_qdpx": (nested_qdpx, "set"),
    "billion_laughs_qdpx": (billion_laughs_qdpx, "set"),
    "encrypted_member_qdpx": (encrypted_member_qdpx, "set"),
    "method_99_qdpx": (method_99_qdpx, "set"),
    "corrupt_deflate_qdpx": (corrupt_deflate_qdpx, "set"),
    "billion_laughs_qdc": (billion_laughs_qdc, "codebook"),
    "many_codes_qdc": (many_codes_qdc, "codebook"),
    "deep_json_backup": (lambda: deep_json(name="deep.json"), "restore"),
    "huge_json_backup": (lambda: huge_json_array(name="many.json"), "restore"),
}
