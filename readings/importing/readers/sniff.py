"""Sniffing: what a file's first bytes say it is, whatever its name claims."""

from __future__ import annotations

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # old Word .doc, .xls, .ppt
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"\x1f\x8b", "archive"),  # gzip
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"Rar!\x1a\x07", "archive"),
    (b"{\\rtf", "rtf"),
)

DESCRIPTIONS = {
    "pdf": "a PDF document",
    "zip": "a ZIP archive (a Word .docx file is one)",
    "ole": "an old-style Microsoft Office file (such as a Word .doc)",
    "image": "an image",
    "archive": "a compressed archive",
    "rtf": "a Rich Text Format (.rtf) document",
}


def sniff(data: bytes) -> str:
    """Return "pdf", "zip", "ole", "image", "archive", "rtf" or "text" (= none of those).

    Example: sniff(b"%PDF-1.7\\n...") -> "pdf"; sniff(b"Hello") -> "text".
    Leading whitespace and a UTF-8 BOM are skipped, as PDF readers tolerate them.
    """
    head = data[:64].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image"
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    return "text"
