"""Markdown files, read by a CommonMark parser (markdown-it-py) with the footnote extension
(mdit-py-plugins): block quotes, lists, emphasis, tables, footnotes as notes, front matter
as metadata.

markdown-it-py is pure Python and, on some inputs, far from linear (100 KB of "[" takes over a
second, 1 MB of emphasis markers three). A file too large for it to finish within the
budget, or with a paragraph of thousands of markers, is read by the older linear rules
(`md_simple`), which say so in a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from readings.importing.frontmatter import looks_like_byline_or_date
from readings.importing.limits import Budget
from readings.importing.notes import note_call, note_text, strip_note_marks
from readings.importing.readers.decoding import decode_text
from readings.importing.readers.html import html_to_text
from readings.importing.readers.lightmarkdown import block, emphasise, escape_inline, join_blocks
from readings.importing.readers.raw import RawDocument
from readings.importing.readers.text import (
    FRONT_MATTER_RE,
    decoding_warnings,
    front_matter,
    md_simple,
)
from readings.importing.sentences import word_count

# Past these, markdown-it-py would not finish within the budget: the linear rules read the file.
MAX_PARSED_CHARS = 1_000_000
MAX_MARKERS_PER_BLOCK = 2_000
_MARKERS = "[*_`<!"
BYLINE_MAX_WORDS = 12
_BY_RE = re.compile(r"^by\s+", re.IGNORECASE)
_NAMES_RE = re.compile(r"\s*(?:,|;|&|\band\b)\s*")

SIMPLER_RULES = (
    "The Markdown file is very long or has a paragraph full of markup characters, so it was "
    "read with simpler rules: check block quotes and footnotes in the preview."
)

# The CommonMark preset nests at most 20 levels; deeper markup is read as text.
_PARSER = MarkdownIt("commonmark").use(footnote_plugin).enable("table")


class _Block:
    __slots__ = ("markdown", "plain", "shape")

    def __init__(self, markdown: str, plain: str, shape: str) -> None:
        self.markdown = markdown
        self.plain = plain
        self.shape = shape  # "h1", "emphasised" (the whole paragraph), or ""


def _needs_simple_rules(text: str) -> bool:
    if len(text) > MAX_PARSED_CHARS:
        return True
    return any(
        sum(chunk.count(c) for c in _MARKERS) > MAX_MARKERS_PER_BLOCK
        for chunk in text.split("\n\n")
        if len(chunk) > MAX_MARKERS_PER_BLOCK
    )


def _inline(children: Sequence[Token], notes: _Notes) -> tuple[str, str, bool]:
    """Light Markdown, plain text, and whether emphasis covers the whole of it."""
    parts: list[str] = []  # the outermost level
    plain: list[str] = []
    held: list[str] = []  # inside the outermost emphasis
    depth = 0
    spans = 0
    for child in children:
        kind = child.type
        piece = ""
        if kind in ("em_open", "strong_open"):
            depth += 1
            if depth == 1:
                held = []
                spans += 1
            continue
        if kind in ("em_close", "strong_close"):
            depth = max(depth - 1, 0)
            if depth == 0:
                parts.append(emphasise("".join(held)))
            continue
        if kind in ("text", "code_inline"):
            piece = escape_inline(strip_note_marks(child.content))
            plain.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            piece = " "
            plain.append(" ")
        elif kind == "footnote_ref":
            piece = notes.call(int(child.meta["id"]))
        (held if depth else parts).append(piece)
    if depth:  # never left open by the parser, but keep the text if it were
        parts.append("".join(held))
    markdown = "".join(parts)
    whole = spans == 1 and markdown.strip().startswith("*") and markdown.strip().endswith("*")
    return markdown, "".join(plain), whole


class _Notes:
    """Footnotes numbered as the parser numbers them (in order of first reference)."""

    def __init__(self) -> None:
        self.texts: dict[int, list[str]] = {}
        self.called: set[int] = set()

    def call(self, note_id: int) -> str:
        self.called.add(note_id)
        return note_call(note_id + 1)

    def add(self, note_id: int, children: Sequence[Token]) -> None:
        text = "".join(
            c.content if c.type in ("text", "code_inline") else " "
            for c in children
            if c.type in ("text", "code_inline", "softbreak", "hardbreak")
        )
        self.texts.setdefault(note_id, []).append(text)

    def ordered(self) -> tuple[str, ...]:
        count = max([*self.texts, *self.called], default=-1) + 1
        return tuple(note_text(" ".join(self.texts.get(i, []))) for i in range(count))


def _blocks(tokens: Sequence[Token], notes: _Notes, budget: Budget) -> list[_Block]:
    blocks: list[_Block] = []
    prefix = ""
    shape = ""
    footnote: int | None = None
    for count, token in enumerate(tokens):
        if count % 256 == 0:
            budget.check()
        kind = token.type
        if kind == "footnote_open":
            footnote = int(token.meta["id"])
        elif kind == "footnote_close":
            footnote = None
        elif footnote is not None:
            if kind == "inline":
                notes.add(footnote, token.children or [])
        elif kind == "heading_open":
            prefix, shape = "# ", "h1" if token.tag == "h1" else ""
        elif kind == "list_item_open":
            prefix = "- "
        elif kind in ("list_item_close", "heading_close"):
            prefix, shape = "", ""
        elif kind == "inline":
            markdown, plain, whole = _inline(token.children or [], notes)
            if whole and not shape:
                shape = "emphasised"
            blocks.append(_Block(block(markdown, prefix), plain, shape))
            prefix, shape = "", ""
        elif kind in ("fence", "code_block"):
            text = escape_inline(strip_note_marks(token.content))
            blocks.append(_Block(block(text), token.content, ""))
        elif kind == "html_block":
            for text in html_to_text(token.content, budget).split("\n\n"):
                blocks.append(_Block(text, text, ""))
    return [b for b in blocks if b.markdown]


def _title_block(blocks: list[_Block], metadata: dict[str, str]) -> None:
    """Rule: a first-level heading that opens the file, followed by a short byline or date
    (a line starting "By", or an emphasised line naming people or a date: "*Ann Lee and Bo
    Sun*", "*4 April 2025*"), is the reading's title block, not a section: both
    become plain lines, which the splitter keeps as front matter, and they fill in the title
    and authors the front matter did not give."""
    if len(blocks) < 2 or blocks[0].shape != "h1":
        return
    byline = " ".join(blocks[1].plain.split())
    emphasised = blocks[1].shape == "emphasised"
    if (
        blocks[1].markdown.startswith(("# ", "- "))
        or word_count(byline) > BYLINE_MAX_WORDS
        or byline.endswith(("?", "!", ":"))
        or not (_BY_RE.match(byline) or (emphasised and looks_like_byline_or_date(byline)))
    ):
        return
    title = " ".join(blocks[0].plain.split())
    blocks[0] = _Block(block(escape_inline(title)), title, "")
    blocks[1] = _Block(block(escape_inline(byline)), byline, "")
    metadata.setdefault("title", title)
    if _BY_RE.match(byline):
        names = [n for n in _NAMES_RE.split(_BY_RE.sub("", byline)) if n]
        if names:
            metadata.setdefault("authors", ", ".join(names))


def read_markdown(data: bytes, budget: Budget | None = None) -> RawDocument:
    """Example: "Text.[^1]\\n\\n[^1]: A note." -> text "Text.\\ue0001\\ue001", notes
    ("A note.",); "> quoted" -> "quoted"; "*By Ann Lee*" under the opening "# Title" -> the
    title block."""
    budget = budget or Budget(what="The Markdown file")
    decoded = decode_text(data)
    if _needs_simple_rules(decoded.text):  # no notes: the splitter drops any stray marker
        simple = md_simple(decoded)
        return RawDocument(
            "md", simple.text, simple.metadata, (*simple.warnings, SIMPLER_RULES), ()
        )
    text = strip_note_marks(decoded.text.replace("\r\n", "\n").replace("\r", "\n"))
    metadata: dict[str, str] = {}
    match = FRONT_MATTER_RE.match(text)
    if match:
        metadata = front_matter(match.group(1))
        text = text[match.end() :]
    budget.check_elements(text.count("\n"), noun="lines")
    tokens = _PARSER.parse(text)
    budget.check()
    budget.check_elements(len(tokens), noun="elements (blocks and spans)")
    notes = _Notes()
    blocks = _blocks(tokens, notes, budget)
    _title_block(blocks, metadata)
    return RawDocument(
        "md",
        join_blocks([b.markdown for b in blocks]),
        metadata,
        decoding_warnings(decoded.encoding),
        notes.ordered(),
    )
