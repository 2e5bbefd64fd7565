"""Small fixture files built in memory: PDFs written by hand, DOCX via python-docx, zips."""

from __future__ import annotations

import io
import zipfile

import docx


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("latin-1") + b")"


def text_pdf(
    pages: list[list[str]],
    *,
    title: str | None = None,
    author: str | None = None,
    language: str | None = None,
) -> bytes:
    """A valid PDF, one page per list of lines, set in Helvetica 11 pt with 14 pt leading."""
    page_count = len(pages)
    first_page = 4
    objects: list[bytes] = []
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(page_count))
    lang = b" /Lang " + _pdf_string(language) if language else b""
    objects.append(b"<< /Type /Catalog /Pages 2 0 R" + lang + b" >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {page_count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, lines in enumerate(pages):
        content_id = first_page + 2 * i + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>".encode()
        )
        shown = b" T* ".join(_pdf_string(line) + b" Tj" for line in lines)
        stream = b"BT /F1 11 Tf 14 TL 72 720 Td " + shown + b" ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    info_id = None
    if title or author:
        entries = b""
        if title:
            entries += b" /Title " + _pdf_string(title)
        if author:
            entries += b" /Author " + _pdf_string(author)
        objects.append(b"<<" + entries + b" >>")
        info_id = len(objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    info = f" /Info {info_id} 0 R" if info_id else ""
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def blank_pdf(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(data: bytes, *, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    # RC4 needs no extra crypto library, unlike AES.
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word_document(build) -> bytes:
    """`build(document)` adds content to a fresh python-docx Document; returns the .docx bytes."""
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_archive(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_with_zeros(name: str, size: int, extra: dict[str, bytes] | None = None) -> bytes:
    """A zip whose member `name` is `size` zero bytes: tiny on disk, huge unpacked."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for extra_name, data in (extra or {}).items():
            archive.writestr(extra_name, data)
        with archive.open(name, "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def cell_access_tables(document) -> None:
    """Like python-docx's own sample tbl-cell-access.docx (not shipped in its wheel): four 3 x 3
    tables numbered 1 to 9, with no merge, a horizontal, a vertical and a combined merge.
    Every paragraph is a bare number, so the whole document reads like page numbers."""
    merges = [None, ((1, 0), (1, 1)), ((1, 1), (2, 1)), ((1, 0), (2, 1))]
    for merge in merges:
        table = document.add_table(rows=3, cols=3)
        for index, cell in enumerate(cell for row in table.rows for cell in row.cells):
            cell.text = str(index + 1)
        if merge:
            (top, left), (bottom, right) = merge
            merged = table.cell(top, left).merge(table.cell(bottom, right))
            merged.text = str(top * 3 + left + 1)


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NOTE_PARTS = {
    "footnote": ("word/footnotes.xml", "footnotes", "footnotes+xml"),
    "endnote": ("word/endnotes.xml", "endnotes", "endnotes+xml"),
}


def note_reference(paragraph, number: int, kind: str = "footnote") -> None:
    """A superscript run calling footnote (or endnote) `number`, as Word writes it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    properties = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    properties.append(align)
    run._r.append(properties)
    reference = OxmlElement(f"w:{kind}Reference")
    reference.set(qn("w:id"), str(number))
    run._r.append(reference)


def _notes_part(kind: str, notes: dict[int, str]) -> bytes:
    from xml.sax.saxutils import escape

    separators = (
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:{kind}>"
    )
    body = "".join(
        f'<w:{kind} w:id="{number}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
        f'</w:rPr><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {escape(text)}</w:t>'
        f"</w:r></w:p></w:{kind}>"
        for number, text in notes.items()
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:{kind}s xmlns:w="{_W_NS}">{separators}{body}</w:{kind}s>'
    ).encode()


def with_notes(
    data: bytes, footnotes: dict[int, str], endnotes: dict[int, str] | None = None
) -> bytes:
    """A .docx from python-docx with footnotes and endnotes parts added (python-docx cannot
    write them): the parts, their content types and their relationships from the body."""
    parts = {"footnote": footnotes, "endnote": endnotes or {}}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                overrides = "".join(
                    f'<Override PartName="/{_NOTE_PARTS[k][0]}" ContentType="application/'
                    f'vnd.openxmlformats-officedocument.wordprocessingml.{_NOTE_PARTS[k][2]}"/>'
                    for k, notes in parts.items()
                    if notes
                )
                content = content.replace(b"</Types>", overrides.encode() + b"</Types>")
            elif info.filename == "word/_rels/document.xml.rels":
                rels = "".join(
                    f'<Relationship Id="rIdNotes{k}" Type="http://schemas.openxmlformats.org/'
                    f'officeDocument/2006/relationships/{_NOTE_PARTS[k][1]}" '
                    f'Target="{_NOTE_PARTS[k][1]}.xml"/>'
                    for k, notes in parts.items()
                    if notes
                )
                content = content.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            archive.writestr(info.filename, content)
        for kind, notes in parts.items():
            if notes:
                archive.writestr(_NOTE_PARTS[kind][0], _notes_part(kind, notes))
    return out.getvalue()


def typeset_pdf(body: str, css: str = "", *, lang: str = "en", title: str = "") -> bytes:
    """HTML typeset to PDF with WeasyPrint, as a journal sets an article: A4, DejaVu Serif
    10 pt, justified and hyphenated unless `css` says otherwise."""
    from weasyprint import HTML

    page = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>"
        "@page { size: A4; margin: 25mm 22mm }"
        "html { font: 10pt/1.35 'DejaVu Serif' } body { text-align: justify; hyphens: auto }"
        f"p {{ margin: 0 }} p + p {{ text-indent: 1.5em }} {css}</style></head>"
        f"<body>{body}</body></html>"
    )
    data: bytes = HTML(string=page).write_pdf()
    return data
