"""HTML files: sanitised with nh3, then turned into blocks of light Markdown."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

from readings.importing.errors import ImportRejected
from readings.importing.readers.decoding import decode_text
from readings.importing.readers.lightmarkdown import block, emphasise, escape_inline, join_blocks
from readings.importing.readers.raw import RawDocument

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
EMPHASIS = frozenset({"em", "i", "strong", "b", "cite"})
# fmt: off
BLOCKS = frozenset({
    "p", "div", "br", "blockquote", "section", "article", "main", "header", "footer", "aside",
    "figure", "figcaption", "pre", "hr", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
    "caption", "dl", "dt", "dd", "ul", "ol", "address", "details", "summary",
})
INLINE = frozenset({
    "a", "span", "sup", "sub", "small", "abbr", "q", "u", "s", "mark", "time", "code", "kbd",
    "var",
})
# Their content is not reading text: removed together with the tag, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "head", "title", "noscript", "template", "iframe", "object", "embed",
    "svg", "math", "canvas", "nav", "select", "textarea", "button",
})
# fmt: on
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

NO_TEXT = (
    "The HTML file contains no readable text once scripts and markup are removed. "
    "Save the page's article text and upload that instead."
)


class _Inspector(HTMLParser):
    """Reads metadata and counts what sanitising will remove, before nh3 sees the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.metadata: dict[str, str] = {}
        self.authors: list[str] = []
        self.removed = {"script": 0, "style": 0, "frame": 0, "handler": 0}
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        self.removed["handler"] += sum(1 for name in values if name.startswith("on"))
        if tag == "script":
            self.removed["script"] += 1
        elif tag == "style" or (tag == "link" and values.get("rel", "").lower() == "stylesheet"):
            self.removed["style"] += 1
        elif tag in {"iframe", "object", "embed"}:
            self.removed["frame"] += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "html" and values.get("lang"):
            self.metadata.setdefault("language", values["lang"].strip())
        elif tag == "meta":
            self._meta(values)

    def _meta(self, values: dict[str, str]) -> None:
        name = (values.get("name") or values.get("property") or "").lower()
        content = values.get("content", "").strip()
        if not content:
            return
        if name in {"author", "dc.creator", "citation_author", "article:author"}:
            self.authors.append(content)
        elif name in {"og:title", "citation_title", "dc.title"}:
            self.metadata.setdefault("title", content)
        elif name in {
            "article:published_time",
            "citation_publication_date",
            "dc.date",
            "date",
            "pubdate",
        }:
            self.metadata.setdefault("published", content)
        elif name in {"dc.language", "citation_language"} or (
            values.get("http-equiv", "").lower() == "content-language"
        ):
            self.metadata.setdefault("language", content)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)

    def finished(self) -> dict[str, str]:
        title = " ".join("".join(self._title).split())
        if title:
            # <title> is what the page calls itself; og:title and friends are the fallback.
            self.metadata["title"] = title
        if self.authors:
            self.metadata["authors"] = ", ".join(dict.fromkeys(self.authors))
        return self.metadata


class _BlockWriter(HTMLParser):
    """Turns sanitised HTML into blocks: headings "# ", list items "- ", emphasis "*x*"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._parts: list[str] = []
        self._prefix = ""
        self._heading_depth = 0
        self._emphasis: list[list[str]] = []  # one buffer per open emphasis element

    def _flush(self) -> None:
        while self._emphasis:  # unclosed emphasis at a block end closes there
            self._close_emphasis()
        text = block("".join(self._parts), self._prefix)
        if text:
            self.blocks.append(text)
            self._prefix = ""
        self._parts = []

    def _write(self, markdown: str) -> None:
        (self._emphasis[-1] if self._emphasis else self._parts).append(markdown)

    def _close_emphasis(self) -> None:
        inner = "".join(self._emphasis.pop())
        self._write(emphasise(inner) if not self._emphasis else inner)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HEADINGS:
            self._flush()
            self._prefix = "# "
            self._heading_depth += 1
        elif tag == "li":
            self._flush()
            self._prefix = "- "
        elif tag in BLOCKS:
            if self._heading_depth:
                self._write(" ")  # a <br> or <span class=block> inside a heading
            else:
                self._flush()
        elif tag in EMPHASIS:
            self._emphasis.append([])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in HEADINGS:
            self._flush()
            self._heading_depth = max(0, self._heading_depth - 1)
        elif tag == "li" or (tag in BLOCKS and not self._heading_depth):
            self._flush()
        elif tag in EMPHASIS and self._emphasis:
            self._close_emphasis()

    def handle_data(self, data: str) -> None:
        self._write(escape_inline(data))

    def close(self) -> None:
        super().close()
        self._flush()


def sanitise(html: str) -> str:
    """Rule: only structural and emphasis tags survive, with no attributes at all (so no event
    handlers, styles or links); script, style and the like go with their content.
    Example: '<p onclick="x()">Hi<script>alert(1)</script></p>' -> '<p>Hi</p>'."""
    return nh3.clean(
        html,
        tags=set(HEADINGS | EMPHASIS | BLOCKS | INLINE | {"li"}),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={},
        strip_comments=True,
        link_rel=None,
    )


def html_to_text(html: str) -> str:
    writer = _BlockWriter()
    writer.feed(sanitise(html))
    writer.close()
    return join_blocks(writer.blocks)


def _removal_warning(removed: dict[str, int]) -> str | None:
    parts = []
    for key, singular, plural in (
        ("script", "script", "scripts"),
        ("style", "style block", "style blocks"),
        ("frame", "embedded frame or object", "embedded frames or objects"),
        ("handler", "event-handler attribute", "event-handler attributes"),
    ):
        count = removed[key]
        if count:
            parts.append(f"{count} {singular if count == 1 else plural}")
    if not parts:
        return None
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Removed {listed} from the HTML."


def read_html(data: bytes) -> RawDocument:
    declared = _CHARSET_RE.search(data[:4096])
    html = decode_text(data, declared.group(1).decode("ascii") if declared else None).text
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    text = html_to_text(html)
    if not text.strip():
        raise ImportRejected(NO_TEXT)
    warning = _removal_warning(inspector.removed)
    return RawDocument("html", text, inspector.finished(), (warning,) if warning else ())
