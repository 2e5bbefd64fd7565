"""HTML files: parsed with lxml (libxml2) under limits, the page's main text found by
readability-lxml when the page has boilerplate around it, then walked into blocks of light
Markdown.

A saved news or blog page holds navigation, a cookie banner, share buttons, related links,
comments and a footer around its article. readability-lxml (Mozilla's Readability algorithm)
keeps the article: on the fidelity corpus (bench/fidelity/html.py) it kept 100 % of the
paragraphs word for word and no furniture, trafilatura 93 % (it dropped list items and
quotes of bare pages), both with none of the 112 pieces of furniture the whole page left in.
A page without such boilerplate (no nav, header, footer or aside, no class naming a menu,
cookie notice, comments...) is read whole, as before: an extractor could only lose text there.

Only text leaves this module, never markup: a walk over the parsed tree keeps the text of
structural and emphasis elements, unwraps every other element and drops scripts, styles and the
like with their content. (It replaced nh3 for this: html5ever, under nh3, rebuilds open
formatting elements after every block, so 12 KB of crafted HTML became 300,000 elements, and
100,000 nested <div> took 94 s. libxml2 builds linearly and stops nesting at 256 levels.)
"""

from __future__ import annotations

import re

from lxml import etree
from readability import Document as Readability

from readings.importing.errors import ImportRejected
from readings.importing.limits import Budget
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
# Their content is not reading text: removed together with the tag, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "head", "title", "noscript", "template", "iframe", "object", "embed",
    "svg", "math", "canvas", "nav", "select", "textarea", "button",
})
# fmt: on
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_START_TAG_RE = re.compile("<[A-Za-z]")

# Signs of a page with more than its article: boilerplate elements, or classes and ids naming it.
_BOILERPLATE_TAGS = frozenset({"nav", "header", "footer", "aside", "form"})
_BOILERPLATE_RE = re.compile(
    r"menu|navbar|nav-|sidebar|widget|cookie|consent|banner|comment|share|social|related|"
    r"footer|subscribe|newsletter|breadcrumb|advert|promo",
    re.IGNORECASE,
)
# readability-lxml scores every element with regular expressions: linear, but pure Python, so
# a page past this size is read whole (its limits are still checked by the walk).
MAX_EXTRACTED_CHARS = 3_000_000
# The extractor's answer is taken when it keeps at least this share of the page's words: a
# page it does not understand comes back nearly empty, and then the whole page is better.
MIN_KEPT_SHARE = 0.15

NO_TEXT = (
    "The HTML file contains no readable text once scripts and markup are removed. "
    "Save the page's article text and upload that instead."
)


class _Inspector:
    """Reads metadata and counts what the walk leaves out: scripts, styles, frames, handlers."""

    def __init__(self) -> None:
        self.metadata: dict[str, str] = {}
        self.authors: list[str] = []
        self.removed = {"script": 0, "style": 0, "frame": 0, "handler": 0}
        self._title: list[str] = []

    def element(self, tag: str, element: etree._Element) -> None:
        values = {str(name).lower(): str(value) for name, value in element.attrib.items()}
        self.removed["handler"] += sum(1 for name in values if name.startswith("on"))
        if tag == "script":
            self.removed["script"] += 1
        elif tag == "style" or (tag == "link" and values.get("rel", "").lower() == "stylesheet"):
            self.removed["style"] += 1
        elif tag in {"iframe", "object", "embed"}:
            self.removed["frame"] += 1
        elif tag == "title":
            self._title.append("".join(element.itertext()))
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

    def finished(self) -> dict[str, str]:
        title = " ".join("".join(self._title).split())
        if title:
            # <title> is what the page calls itself; og:title and friends are the fallback.
            self.metadata["title"] = title
        if self.authors:
            self.metadata["authors"] = ", ".join(dict.fromkeys(self.authors))
        return self.metadata


class _BlockWriter:
    """Turns kept elements into blocks: headings "# ", list items "- ", emphasis "*x*"."""

    def __init__(self) -> None:
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

    def start(self, tag: str) -> None:
        if tag in HEADINGS:
            self._flush()
            self._prefix = "# "
            self._heading_depth += 1
        elif tag == "li":
            self._flush()
            self._prefix = "- "
        elif tag in BLOCKS:
            if self._heading_depth:
                self._write(" ")  # a <br> or <div> inside a heading
            else:
                self._flush()
        elif tag in EMPHASIS:
            self._emphasis.append([])

    def end(self, tag: str) -> None:
        if tag in HEADINGS:
            self._flush()
            self._heading_depth = max(0, self._heading_depth - 1)
        elif tag == "li" or (tag in BLOCKS and not self._heading_depth):
            self._flush()
        elif tag in EMPHASIS and self._emphasis:
            self._close_emphasis()

    def data(self, text: str | None) -> None:
        if text:
            self._write(escape_inline(text))

    def close(self) -> None:
        self._flush()


class _Boilerplate:
    """Whether the walked page has boilerplate around its text."""

    def __init__(self) -> None:
        self.found = False

    def element(self, tag: str, element: etree._Element) -> None:
        if self.found:
            return
        if tag in _BOILERPLATE_TAGS:
            self.found = True
            return
        names = (
            f"{element.get('class') or ''} {element.get('id') or ''} {element.get('role') or ''}"
        )
        if names.strip() and _BOILERPLATE_RE.search(names):
            self.found = True


class _Walk:
    """One pass over the parsed page: the inspector sees every element, the writer only the
    text of elements outside DROPPED_WITH_CONTENT. Depth and element count are checked on the
    way, and the time every few thousand elements."""

    def __init__(self, budget: Budget, *, article: bool = False) -> None:
        self.budget = budget
        # In an article the extractor found, the furniture it keeps (share buttons, bylines,
        # photo captions and credits) is left out: none of it is the author's text.
        self.article = article
        self.inspector = _Inspector()
        self.writer = _BlockWriter()
        self.boilerplate = _Boilerplate()
        self.elements = 0

    def element(self, element: etree._Element, depth: int, writing: bool) -> None:
        self.elements += 1
        if self.elements % 4096 == 0:
            self.budget.check()
            self.budget.check_elements(self.elements)
        self.budget.check_depth(depth)
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag:
            self.inspector.element(tag, element)
            self.boilerplate.element(tag, element)
        writing = writing and bool(tag) and tag not in DROPPED_WITH_CONTENT
        if writing and self.article and _in_article_furniture(tag, element):
            writing = False
        kept = tag in HEADINGS or tag in EMPHASIS or tag in BLOCKS or tag == "li"
        if writing and kept:
            self.writer.start(tag)
        if writing:
            self.writer.data(element.text)
        for child in element:
            self.element(child, depth + 1, writing)
            if writing:
                self.writer.data(child.tail)
        if writing and kept:
            self.writer.end(tag)


_ARTICLE_FURNITURE_RE = re.compile(
    r"share|social|byline|caption|credit|related|newsletter|subscribe|advert|promo", re.I
)


def _in_article_furniture(tag: str, element: etree._Element) -> bool:
    if tag == "figcaption":
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    return bool(names.strip()) and bool(_ARTICLE_FURNITURE_RE.search(names))


def _check_element_count(html: str, budget: Budget) -> None:
    """Refuse a page with too many tags before building its tree (8 MB of tags made 2.7
    million elements): counted in C, stopping at the first tag past the limit."""
    limit = budget.limits.max_elements
    if html.count("<") <= limit:
        return
    for count, _ in enumerate(_START_TAG_RE.finditer(html), start=1):
        if count > limit:
            budget.check_elements(count)


def _parse(html: str) -> etree._Element | None:
    parser = etree.HTMLParser(
        encoding="utf-8",
        no_network=True,
        huge_tree=False,  # keeps libxml2's own limits: 256 levels, 10 MB text nodes
        remove_comments=True,
        remove_pis=True,
        default_doctype=False,
    )
    try:
        # Bytes with the encoding named: lxml refuses str holding an XML declaration.
        return etree.fromstring(html.encode("utf-8", "surrogatepass"), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _walk(html: str, budget: Budget, *, article: bool = False) -> _Walk | None:
    _check_element_count(html, budget)
    root = _parse(html)
    budget.check()
    if root is None:
        return None
    walk = _Walk(budget, article=article)
    walk.element(root, 1, True)
    walk.writer.close()
    return walk


def html_to_text(html: str, budget: Budget | None = None) -> str:
    """The page's text as blocks of light Markdown. Example: '<p onclick="x()">Hi<script>
    alert(1)</script> <b>there</b></p>' -> "Hi *there*"."""
    walk = _walk(html, budget or Budget(what="The HTML file"))
    return join_blocks(walk.writer.blocks) if walk else ""


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


def _main_content(html: str, page: _Walk, budget: Budget) -> list[str] | None:
    """The blocks of the page's article, or None to keep the whole page."""
    if not page.boilerplate.found or len(html) > MAX_EXTRACTED_CHARS:
        return None
    try:
        main = Readability(html).summary(html_partial=True)
    # readability-lxml raises its own Unparseable, and lxml's errors on odd pages; either
    # way the whole page, already checked, is read instead.
    except Exception:
        return None
    budget.check()
    extracted = _walk(main, budget, article=True)
    if extracted is None:
        return None
    blocks = extracted.writer.blocks
    kept = sum(len(b.split()) for b in blocks)
    total = sum(len(b.split()) for b in page.writer.blocks)
    return blocks if kept >= MIN_KEPT_SHARE * total else None


def read_html(data: bytes, budget: Budget | None = None) -> RawDocument:
    declared = _CHARSET_RE.search(data[:4096])
    html = decode_text(data, declared.group(1).decode("ascii") if declared else None).text
    budget = budget or Budget(what="The HTML file")
    walk = _walk(html, budget)  # the whole page first: its limits, metadata, what is removed
    blocks = walk.writer.blocks if walk else []
    if walk is not None:
        blocks = _main_content(html, walk, budget) or blocks
    text = join_blocks(blocks)
    if walk is None or not text.strip():
        raise ImportRejected(NO_TEXT)
    warning = _removal_warning(walk.inspector.removed)
    metadata = _title_without_site_name(walk.inspector.finished(), blocks)
    return RawDocument("html", text, metadata, (warning,) if warning else ())


_SITE_NAME_SEPARATORS = (" | ", " – ", " — ", " - ", " · ", " :: ")


def _title_without_site_name(metadata: dict[str, str], blocks: list[str]) -> dict[str, str]:
    """Rule: a page's <title> often adds the site's name to the article's ("Why seminars
    should read in pairs | The Daily Ledger"); when the page's first heading is the title
    without that tail, the heading is the title. Example: title "A | B", first block
    "# A" -> title "A"."""
    title = metadata.get("title", "")
    heading = next((b.lstrip("#").strip() for b in blocks if b.startswith("#")), "")
    if heading and title.startswith(heading):
        rest = title[len(heading) :]
        if any(rest.startswith(sep) for sep in _SITE_NAME_SEPARATORS):
            return {**metadata, "title": heading}
    return metadata
