"""Character-level normalisation: the first step of splitting, before any structure is read."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any, cast

# Every way a line can end becomes "\n"; a paragraph separator becomes a blank line.
_LINE_BREAKS = {
    "\r\n": "\n",
    "\r": "\n",
    "\x85": "\n",
    "\u2028": "\n",
    "\u2029": "\n\n",
    "\x0b": "\n",
    "\x0c": "\n",
}

# Space separators (category Zs: NBSP, thin space, ideographic space...) and tabs read as one space.
_SPACES = (
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)

# Invisible characters that only get in the way of matching and citing: zero-width space,
# word joiner, BOM, soft hyphen, Mongolian vowel separator, and bidirectional controls (which
# can make a passage display differently from what it says). ZWJ and ZWNJ are kept on purpose:
# they change how Persian, Indic scripts and emoji sequences are spelled.
_INVISIBLE = (
    "\u200b\u2060\ufeff\u00ad\u180e\u061c\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


# Every other C0/C1 control goes, and lone surrogates (they cannot be encoded as UTF-8). Two
# regular expressions instead of str.translate: translate looks every character up in a dict
# (0.6 µs each: 6 s for a 10 MB book), a character class scans at C speed.
_SPACE_RE = re.compile("[" + _SPACES + "]")
_DROPPED_RE = re.compile("[" + _INVISIBLE + "\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACE_RUN_RE = re.compile("  +")  # a literal prefix: searched at C speed, not tried everywhere


def normalise_text(raw: str) -> str:
    """Return `raw` with uniform line ends, spaces and composition, lines stripped.

    Rule: line ends become "\\n", tabs and NBSP-like spaces become " ", zero-width and control
    characters go, text is composed (NFC), runs of spaces collapse to one, lines are stripped.
    Example: "Caf\\u0065\\u0301\\u00a0 au\\tlait \\r\\n" -> "Café au lait\\n".
    Markup (escapes, emphasis, bullets) is left for the later rules.
    """
    text = raw
    for line_break, replacement in _LINE_BREAKS.items():  # "\r\n" before "\r"
        if line_break in text:
            text = text.replace(line_break, replacement)
    # Replace before composing: NFC maps a few spaces (U+2000, U+2001) to other spaces.
    text = _DROPPED_RE.sub("", _SPACE_RE.sub(" ", text))
    text = unicodedata.normalize("NFC", text)
    # After collapsing, at most one space can sit on either side of a line end.
    text = _SPACE_RUN_RE.sub(" ", text)
    return text.replace(" \n", "\n").replace("\n ", "\n").strip(" ")


_VISIBLE_RE = re.compile("[^\\s" + _INVISIBLE + "\x00-\x1f\x7f-\x9f]")


def is_blank(text: str) -> bool:
    """True if `text` holds nothing but whitespace, control and zero-width characters."""
    return _VISIBLE_RE.search(text) is None


# What no stored text may hold: C0 controls but tab, line feed and carriage return, DEL and the
# C1 controls, lone surrogates (not encodable as UTF-8), and U+FFFE/U+FFFF (not XML characters,
# so Word files cannot hold them). PostgreSQL refuses U+0000 outright; the Word handout refuses
# all of them ("All strings must be XML compatible"). Line ends stay as sent: a browser sends
# CR LF from a textarea, and an exported note must come back from its import exactly as it was.
# A character class, not str.translate: translate looks every character up in a dict, 1.4 s
# for a 9.5 MB book (every text with a line end is not "printable", so it cannot be skipped).
_UNSTORABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Return `value` fit to store: control characters (but tab and line ends) and lone
    surrogates removed, everything else as typed. The one cleaning for text at the door: form
    fields, imported annotations and backups, and what the readers read from a file.
    Example: "Power\x00play\r\nnext\x1b" -> "Powerplay\r\nnext"."""
    if value.isprintable():  # nearly every value: no control character, nothing to do
        return value
    return _UNSTORABLE_RE.sub("", value)


def clean_all[T](value: T) -> T:
    """`value` with every string in it through clean_text: in lists, tuples, dicts (keys too)
    and dataclasses, as a JSON document or an import's records hold them."""
    cleaned: Any
    if isinstance(value, str):
        cleaned = clean_text(value)
    elif isinstance(value, list | tuple):
        cleaned = type(value)(clean_all(item) for item in value)
    elif isinstance(value, dict):
        cleaned = {clean_all(key): clean_all(item) for key, item in value.items()}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        cleaned = dataclasses.replace(
            value, **{f.name: clean_all(getattr(value, f.name)) for f in fields if f.init}
        )
    else:
        cleaned = value
    return cast(T, cleaned)  # the same shape as `value`
