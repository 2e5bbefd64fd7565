"""Bytes to text for the text formats: BOMs first, then UTF-8, then Windows-1252 if it is text."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from readings.importing.errors import ImportRejected

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters that never occur in text; tab, line feed, carriage return, form feed do.
_STRAY_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CONTROL_RATIO = 0.02

NOT_TEXT = (
    "The file is not readable text: it contains binary data. If it is a document, upload it "
    "as .docx or .pdf; if it is text, save it as UTF-8 and upload it again."
)
UNKNOWN_ENCODING = (
    "The file's text encoding could not be recognised. Save it as UTF-8 and upload it again."
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Rule: a BOM decides (UTF-8, UTF-16, UTF-32); otherwise NUL bytes mean binary; then
    strict UTF-8; then a declared encoding (HTML's <meta charset>); then Windows-1252 only if
    the result has no stray control characters. Example: b"caf\\xe9" -> "café" (cp1252)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data[len(bom) :], encoding), encoding)
    if b"\x00" in data:
        raise ImportRejected(NOT_TEXT)
    for candidate in ("utf-8", declared, "cp1252"):
        if not candidate:
            continue
        try:
            text = data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
        _check_looks_like_text(text)
        return Decoded(text, codecs.lookup(candidate).name)
    raise ImportRejected(UNKNOWN_ENCODING)


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ImportRejected(
            f"The file starts with a {encoding.upper()} byte-order mark but is not valid "
            f"{encoding.upper()} text. Save it again as UTF-8 and upload it again."
        ) from error
    _check_looks_like_text(text)
    return text


def _check_looks_like_text(text: str) -> None:
    if len(_STRAY_CONTROL_RE.findall(text)) > MAX_CONTROL_RATIO * len(text):
        raise ImportRejected(NOT_TEXT)
