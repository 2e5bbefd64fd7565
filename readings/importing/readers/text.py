"""Plain text files, and Markdown by linear rules (readers/markdown.py, past its limits)."""

from __future__ import annotations

import re

from readings.importing.limits import Budget
from readings.importing.readers.decoding import Decoded, decode_text
from readings.importing.readers.raw import RawDocument

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
# Linear on any input: no bracket run may hold another opening bracket, or a line of ten
# thousand "[" would be scanned ten thousand times (the old patterns took minutes on one line).
_IMAGE_RE = re.compile(r"!\[([^\[\]\n]*)\]\([^()\n]*\)")
_LINK_RE = re.compile(r"(?<!\\)\[([^\[\]\n]+)\]\([^()\n]*\)")
# The title ends at its last non-space: "[^\n]*\S[^\n]*\n" backtracked quadratically.
_SETEXT_RE = re.compile(r"^(?P<title>[^\n]*\S)[^\S\n]*\n(?:=+|-+)[ \t]*$", re.MULTILINE)
_YAML_ITEM_RE = re.compile(r"^\s*-\s+(.*)$")
_YAML_PAIR_RE = re.compile(r"^([A-Za-z_]+)\s*:\s*(.*)$")
_METADATA_KEYS = {
    "title": "title",
    "author": "authors",
    "authors": "authors",
    "lang": "language",
    "language": "language",
    "date": "published",
    "published": "published",
}


def decoding_warnings(encoding: str) -> tuple[str, ...]:
    if encoding == "cp1252":
        return (
            "The file was not UTF-8, so it was read as Windows-1252 (Western European). "
            "Check accented letters and quotation marks in the preview.",
        )
    return ()


def read_txt(data: bytes, budget: Budget | None = None) -> RawDocument:
    # Decoding is a few passes in C, linear in the size the upload limit bounds: no loop to
    # check the budget in. The splitter checks it on the text.
    decoded = decode_text(data)
    return RawDocument("txt", decoded.text, {}, decoding_warnings(decoded.encoding))


def md_simple(decoded: Decoded) -> RawDocument:
    """Markdown by a few linear rules, for files too large or too odd for the CommonMark
    reader (readers/markdown.py): YAML front matter becomes metadata, links keep their text,
    images go, underlined (setext) headings become "# " headings.
    Example: "[a](http://x)" -> "a"."""
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    metadata: dict[str, str] = {}
    match = FRONT_MATTER_RE.match(text)
    if match:
        metadata = front_matter(match.group(1))
        text = text[match.end() :]
    text = _IMAGE_RE.sub("", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _SETEXT_RE.sub(r"# \g<title>", text)
    return RawDocument("md", text, metadata, decoding_warnings(decoded.encoding))


def front_matter(yaml_text: str) -> dict[str, str]:
    """Only flat `key: value` lines and `- item` lists are read; that covers title/author/date.

    Example: "title: On Power\nauthor:\n  - A. One\n  - B. Two" ->
    {"title": "On Power", "authors": "A. One, B. Two"}."""
    found: dict[str, list[str]] = {}
    key = None
    for line in yaml_text.split("\n"):
        item = _YAML_ITEM_RE.match(line)
        if item and key:
            found.setdefault(key, []).append(item.group(1))
            continue
        pair = _YAML_PAIR_RE.match(line)
        key = _METADATA_KEYS.get(pair.group(1).lower()) if pair else None
        value = pair.group(2).strip() if pair else ""
        if key == "authors" and value:
            found.setdefault(key, []).extend(value.strip("[]").split(","))
        elif key and value:
            found[key] = [value]
    metadata = {}
    for key, values in found.items():
        cleaned = [v.strip().strip("\"'").strip() for v in values]
        if any(cleaned):
            metadata[key] = ", ".join(v for v in cleaned if v)
    return metadata
