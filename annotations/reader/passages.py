"""What the reader's templates show of a reading, built in Python so no template touches the ORM.

`ReaderPassage` is one passage with the set's tags on it (chips, quote spans, the URLs that tag
it), `ReaderDocument` a reading's passages with its ribbon and its counts per theme, and
`PassageBuilder` builds them for one page, working out once what all of its passages share.
A passage's text is `passage_html`: `text_segments` (annotations/excerpts.py) cuts it wherever
an emphasis or a quote span starts or ends, rendered as <em> and <mark>, adding nothing else.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotations.excerpts import text_segments
from annotations.models import Tag, Theme
from annotations.reader.changes import tags_signature
from annotations.reader.filters import SET_ID, ReaderFilters, SetUrls
from annotations.ribbons import RibbonBuilder, RibbonLane
from readings.models import Document, Note, Passage

NUMBER_KEYS = 9
RIBBON_MIN_MARK = 6  # of the ribbon's 1000 units down the side of the text


def _chip_class(theme: Theme) -> str:
    return f"chip-{theme.colour[1:]}"


def passage_html(passage: Passage, span_tags: Sequence[Tag]) -> SafeString:
    """The passage text with emphasis as <em> and quote spans as <mark>, and nothing else:
    no whitespace is added, so the element's text content is the passage text."""
    if not span_tags and not passage.emphasis:
        return escape(passage.text)  # most passages: nothing to cut
    spans = [(tag.span_start, tag.span_end, tag.theme) for tag in span_tags]
    parts = []
    for segment in text_segments(passage.text, passage.emphasis or [], spans):
        html: str = escape(segment.text)
        if segment.emphasis:
            html = f"<em>{html}</em>"
        if segment.keys:
            themes = list(dict.fromkeys(segment.keys))
            classes = ["quote", _chip_class(themes[0])] + (
                ["quote-multi"] if len(themes) > 1 else []
            )
            html = f'<mark class="{" ".join(classes)}">{html}</mark>'
        parts.append(html)
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


@dataclass
class ReaderPassage:
    passage: Passage
    element_id: str
    name: str  # "¶ 8" in the reader; "McFaul & Medeiros, ¶ 8" where readings sit side by side
    taggable: bool
    author_line: str = ""  # the document's, where readings sit side by side
    hidden: bool = False
    tags: list[Tag] = field(default_factory=list)
    signature: str = ""  # tags_signature(tags)
    # The tags again, each with the URLs that remove it and that change it.
    tag_links: list[tuple[Tag, str, str]] = field(default_factory=list)
    text_html: SafeString = mark_safe("")
    panel_open: bool = False
    error: str = ""
    open_href: str = ""
    close_href: str = ""
    tag_url: str = ""  # where a theme key or the panel tags the passage
    panel_url: str = ""  # the passage with its panel open, for htmx
    # Filled in only when the panel is open: (theme, number key or "", the URL that removes
    # the theme's passage-level tag or "").
    theme_buttons: list[tuple[Theme, str, str]] = field(default_factory=list)
    # The passage as every set's page renders it while the set has not touched it (shown,
    # hidden), with `SET_ID` for the set's id; None: the page renders it (cache.py).
    shared: tuple[str, str] | None = None

    @property
    def kind(self) -> str:
        return self.passage.kind

    @property
    def notes(self) -> Sequence[Note]:
        """The passage's footnotes and endnotes, as `attach_notes` left them on it."""
        return getattr(self.passage, "reader_notes", ())


def attach_notes(passages: Iterable[Passage], notes: Iterable[Note]) -> None:
    """Put each note on its passage (`reader_notes`), so templates never query for them."""
    by_passage: dict[int, list[Note]] = defaultdict(list)
    for note in notes:
        by_passage[note.passage_id].append(note)
    for passage in passages:
        passage.reader_notes = by_passage.get(passage.pk, [])  # type: ignore[attr-defined]  # a reader-only attribute, pickled with the passage


Block = tuple[SafeString, ReaderPassage | None]


@dataclass
class ReaderDocument:
    document: Document
    url: str
    front_matter: list[Passage]
    items: list[ReaderPassage]  # headings, body passages and pull quotes, in reading order
    ribbon: list[RibbonLane]
    theme_counts: dict[int, int]  # passages per theme in this document
    # The passages' HTML in runs: what every set shows alike, already rendered, then a passage
    # for the page to render (None after the last run).
    blocks: list[Block] = field(default_factory=list)

    @property
    def headings(self) -> list[ReaderPassage]:
        return [item for item in self.items if item.kind == Passage.Kind.HEADING]

    @property
    def visible_count(self) -> int:
        return sum(1 for item in self.items if not item.hidden and item.kind != "heading")

    @property
    def tagged_count(self) -> int:
        return sum(1 for item in self.items if item.tags)


def element_id(passage: Passage, *, parallel: bool) -> str:
    # Several readings share a page in parallel, and their anchors ("p8") would clash.
    return f"d{passage.document_id}-{passage.anchor}" if parallel else passage.anchor


def theme_buttons(
    themes: Sequence[Theme], tags: Sequence[Tag], urls: SetUrls
) -> list[tuple[Theme, str, str]]:
    """The panel's theme buttons: active themes, the first nine with their number key."""
    whole = {tag.theme_id: urls.tag_remove(tag) for tag in tags if not tag.is_span}
    active = [theme for theme in themes if theme.is_active]
    return [
        (theme, str(index + 1) if index < NUMBER_KEYS else "", whole.get(theme.pk, ""))
        for index, theme in enumerate(active)
    ]


def _order_tags(tags: list[Tag], place: dict[int, int]) -> list[Tag]:
    """In codebook order (`place`: a theme id's position), then by span."""
    return sorted(tags, key=lambda t: (place.get(t.theme_id, 0), t.span_start, t.span_end, t.pk))


def _ribbon(
    items: list[ReaderPassage],
    themes: Sequence[Theme],
    length: int,
    url: str,
    filters: ReaderFilters,
) -> list[RibbonLane]:
    ribbon = RibbonBuilder(length, min_size=RIBBON_MIN_MARK)
    for item in items:
        passage = item.passage
        # A hidden passage is reached through the unfiltered page.
        href = f"#{item.element_id}" if not item.hidden else f"{url}#{item.element_id}"
        for theme_id in dict.fromkeys(tag.theme_id for tag in item.tags):
            ribbon.add(theme_id, passage.start, passage.end, href=href, label=item.name)
    shown = [filters.theme] if filters.theme is not None else themes
    return [lane for lane in ribbon.lanes(shown) if lane.theme.is_active or lane.marks]


class PassageBuilder:
    """Builds the passages of one page: what all of them share (the URL patterns, the filters'
    query strings, the codebook's order) is worked out once."""

    def __init__(
        self,
        set_urls: SetUrls,
        themes: Sequence[Theme],
        filters: ReaderFilters,
        *,
        open_ids: Iterable[int] = (),
        errors: dict[int, str] | None = None,
    ) -> None:
        self.set_urls = set_urls
        self.themes = themes
        self.filters = filters
        self.open_ids = set(open_ids)
        self.errors = errors or {}
        self.query = filters.query()
        self.open_query = f"{self.query}&open=" if self.query else "?open="
        self.place = {theme.pk: index for index, theme in enumerate(themes)}

    def item(
        self, passage: Passage, tags: list[Tag], *, url: str, author_line: str
    ) -> ReaderPassage:
        filters, set_urls = self.filters, self.set_urls
        passage_tags = _order_tags(tags, self.place)
        for tag in passage_tags:
            tag.quote = passage.text[tag.span_start : tag.span_end] if tag.is_span else ""
        anchor = element_id(passage, parallel=filters.parallel)
        item = ReaderPassage(
            passage=passage,
            element_id=anchor,
            name=f"{author_line}, {passage.label}" if filters.parallel else passage.label,
            taggable=filters.is_taggable(passage),
            author_line=author_line,
            tags=passage_tags,
            signature=tags_signature(passage_tags),
            tag_links=[
                (tag, set_urls.tag_remove(tag), set_urls.tag_update(tag)) for tag in passage_tags
            ],
            panel_open=passage.pk in self.open_ids,
            error=self.errors.get(passage.pk, ""),
            open_href=f"{url}{self.open_query}{passage.pk}#{anchor}",
            close_href=f"{url}{self.query}#{anchor}",
            tag_url=set_urls.tag_add(passage.pk),
            panel_url=set_urls.panel(passage.pk),
        )
        if passage.kind != Passage.Kind.HEADING:
            item.hidden = not filters.shows(passage_tags)
            item.text_html = passage_html(passage, [t for t in passage_tags if t.is_span])
        if item.panel_open and item.taggable:
            item.theme_buttons = theme_buttons(self.themes, passage_tags, set_urls)
        return item

    def is_own(self, passage_id: int, tags_by_passage: dict[int, list[Tag]]) -> bool:
        """Whether the passage shows something of this set or this request (not shared)."""
        return (
            passage_id in tags_by_passage
            or passage_id in self.open_ids
            or passage_id in self.errors
        )

    def document(
        self,
        document: Document,
        passages: list[Passage],
        tags_by_passage: dict[int, list[Tag]],
        *,
        url: str,
        whole: bool,
        shared: dict[int, tuple[str, str]] | None = None,
        set_id: str = "",
    ) -> ReaderDocument:
        """The document's passages (`whole`: every one of them, with the ribbon). With `shared`
        (cache.py), `passages` are the cached ones, and those the set and the request do
        not touch are taken as rendered there, with `set_id` filled in."""
        filters = self.filters
        author_line = document.author_line if filters.parallel else ""
        front_matter, items = [], []
        for passage in passages:
            if passage.kind == Passage.Kind.FRONT_MATTER:
                front_matter.append(passage)
                continue
            if passage.kind == Passage.Kind.NOT_TEXT:  # its owner took it out of the text
                continue
            html = None if shared is None else shared.get(passage.pk)
            if html is not None and not self.is_own(passage.pk, tags_by_passage):
                items.append(self._bare_item(passage, author_line, shared=html))
                continue
            if shared is not None:
                passage = copy(passage)  # the worker's other requests read it: change a copy
            passage.document = document  # for citations, without a query each
            items.append(
                self.item(
                    passage, tags_by_passage.get(passage.pk, []), url=url, author_line=author_line
                )
            )
        if whole:
            _hide_empty_sections(items)
        return ReaderDocument(
            document=document,
            url=url,
            front_matter=front_matter,
            items=items,
            ribbon=_ribbon(items, self.themes, _length(passages), url, filters) if whole else [],
            theme_counts=_theme_counts(items),
            blocks=_blocks(items, set_id) if whole else [],
        )

    def outline(
        self,
        document: Document,
        passages: list[Passage],
        tags_by_passage: dict[int, list[Tag]],
        *,
        url: str,
    ) -> ReaderDocument:
        """The document as `document(whole=True)` counts and draws it in its ribbon, without its
        passages' HTML: what a tag written or removed changes around the passage."""
        items = [
            self._bare_item(passage, "", tags=tags_by_passage.get(passage.pk, []))
            for passage in passages
            if passage.kind not in (Passage.Kind.FRONT_MATTER, Passage.Kind.NOT_TEXT)
        ]
        _hide_empty_sections(items)
        return ReaderDocument(
            document=document,
            url=url,
            front_matter=[],
            items=items,
            ribbon=_ribbon(items, self.themes, _length(passages), url, self.filters),
            theme_counts=_theme_counts(items),
        )

    def _bare_item(
        self,
        passage: Passage,
        author_line: str,
        *,
        tags: list[Tag] | None = None,
        shared: tuple[str, str] | None = None,
    ) -> ReaderPassage:
        """A passage without HTML of its own: an untouched one taken as `shared` renders it, or
        one the ribbon and the counts read with its `tags`."""
        parallel, tags = self.filters.parallel, tags or []
        return ReaderPassage(
            passage=passage,
            element_id=element_id(passage, parallel=parallel),
            name=f"{author_line}, {passage.label}" if parallel else passage.label,
            taggable=self.filters.is_taggable(passage),
            author_line=author_line,
            hidden=passage.kind != Passage.Kind.HEADING and not self.filters.shows(tags),
            tags=tags,
            shared=shared,
        )


def _length(passages: list[Passage]) -> int:
    return max((passage.end for passage in passages), default=1)


def _theme_counts(items: list[ReaderPassage]) -> dict[int, int]:
    """Passages per theme (a passage with two tags of one theme counts once)."""
    return dict(Counter(theme for item in items for theme in {tag.theme_id for tag in item.tags}))


def _blocks(items: list[ReaderPassage], set_id: str) -> list[Block]:
    """Runs of shared HTML, each followed by a passage the page renders itself."""
    blocks: list[Block] = []
    run: list[str] = []
    for item in items:
        if item.shared is not None:
            run.append(item.shared[item.hidden])
            continue
        blocks.append((_filled(run, set_id), item))
        run = []
    blocks.append((_filled(run, set_id), None))
    return blocks


def _filled(run: list[str], set_id: str) -> SafeString:
    # Rendered by the passage template, which escaped every text; an id adds no markup.
    return mark_safe("".join(run).replace(SET_ID, set_id))  # noqa: S308


def _hide_empty_sections(items: list[ReaderPassage]) -> None:
    """A heading shows when a passage under it shows (always, when nothing is filtered)."""
    heading = None
    for item in items:
        if item.kind == Passage.Kind.HEADING:
            heading = item
            heading.hidden = True
        elif heading is not None and not item.hidden:
            heading.hidden = False
