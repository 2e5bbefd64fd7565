"""The reader's reads: documents' passages with one set's tags, in a fixed number of queries.

`reader_documents` loads every passage of the documents in one query and every tag of the set
on them in another, then builds what the templates show (segments of text with quote spans
highlighted, chips, the ribbon, the filters) in Python, so no template touches the ORM and the
query count does not grow with the length of a reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

from annotations.models import AnnotationSet, Tag, Theme
from readings.models import Document, Passage

TAGGABLE = {Passage.Kind.PARAGRAPH, Passage.Kind.LIST_ITEM}
NUMBER_KEYS = 9
# The ribbon's SVG coordinate space: marks are placed by their share of the document's text.
RIBBON_HEIGHT = 1000
RIBBON_MIN_MARK = 6
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# Text with highlights (pure Python) --------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    emphasis: bool
    keys: tuple  # whatever the caller marks the span with (here: themes), in span order


def text_segments(
    text: str, emphasis: Iterable[Sequence[int]], spans: Iterable[tuple[int, int, object]]
) -> list[Segment]:
    """Cut `text` wherever an emphasis or a quote span starts or ends.

    Offsets are code points relative to `text`, end exclusive; out-of-range ones are clamped.
    The segments' texts joined give back `text` exactly, which the reader's script relies on to
    turn a selection into offsets.
    """
    size = len(text)
    emphasis = [(max(0, s), min(size, e)) for s, e in emphasis if min(size, e) > max(0, s)]
    spans = [(max(0, s), min(size, e), key) for s, e, key in spans if min(size, e) > max(0, s)]
    cuts = sorted(
        {0, size, *(x for s, e in emphasis for x in (s, e))}
        | {x for s, e, _ in spans for x in (s, e)}
    )
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        segments.append(
            Segment(
                text=text[start:end],
                emphasis=any(s <= start and end <= e for s, e in emphasis),
                keys=tuple(key for s, e, key in spans if s <= start and end <= e),
            )
        )
    return segments


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


# Filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReaderFilters:
    """What the reader shows, as GET parameters so that every filter is a plain link.

    `only=tagged`: only passages with a tag in the set; `theme=<slug>`: only passages with that
    theme; `quotes=tag`: pull quotes may be tagged too (they repeat the text, so not by
    default); `layout=parallel`: passages are rendered for the parallel page (fragments only).
    """

    tagged_only: bool = False
    theme: Theme | None = None
    pull_quotes: bool = False
    parallel: bool = False

    @classmethod
    def from_params(cls, params, themes: Sequence[Theme]) -> ReaderFilters:
        slug = params.get("theme", "")
        return cls(
            tagged_only=params.get("only") == "tagged",
            theme=next((theme for theme in themes if theme.slug == slug), None),
            pull_quotes=params.get("quotes") == "tag",
            parallel=params.get("layout") == "parallel",
        )

    def params(self, *, layout: bool = False) -> list[tuple[str, str]]:
        """The parameters that differ from the defaults; with `layout`, the layout too."""
        pairs = []
        if self.tagged_only:
            pairs.append(("only", "tagged"))
        if self.theme is not None:
            pairs.append(("theme", self.theme.slug))
        if self.pull_quotes:
            pairs.append(("quotes", "tag"))
        if layout and self.parallel:
            pairs.append(("layout", "parallel"))
        return pairs

    def query(self, *, layout: bool = False, **extra: object) -> str:
        pairs = self.params(layout=layout) + [(k, str(v)) for k, v in extra.items()]
        return f"?{urlencode(pairs)}" if pairs else ""

    def is_taggable(self, passage: Passage) -> bool:
        return passage.kind in TAGGABLE or (
            self.pull_quotes and passage.kind == Passage.Kind.PULL_QUOTE
        )

    def shows(self, tags: Sequence[Tag]) -> bool:
        if self.theme is not None:
            return any(tag.theme_id == self.theme.pk for tag in tags)
        return bool(tags) or not self.tagged_only

    @property
    def is_filtering(self) -> bool:
        return self.tagged_only or self.theme is not None


# What the templates show ------------------------------------------------------------------

# Above any primary key (PostgreSQL's bigint ends below 2**63): where an id goes in a URL that
# was reversed once, and nothing else in that URL can read the same.
_PASSAGE_ID = str(2**64)
_TAG_ID = str(2**64 + 1)
# Where the set's id goes in passages rendered once for every set (annotations/reader_cache.py).
SET_ID = str(2**64 + 2)


class SetUrls:
    """The URLs of one set's passages and tags, carrying the page's filters.

    A page links every passage and tag a few times, and `reverse` is slow enough for that to
    show, so each URL pattern is reversed once with placeholder ids and filled in per passage.
    """

    def __init__(self, annotation_set: AnnotationSet, filters: ReaderFilters) -> None:
        self._reverse(annotation_set.seminar_id, annotation_set.pk, filters)

    @classmethod
    def for_any_set(cls, seminar_id: int, filters: ReaderFilters) -> SetUrls:
        """The URLs with `SET_ID` where the set's id goes."""
        urls = cls.__new__(cls)
        urls._reverse(seminar_id, SET_ID, filters)
        return urls

    def _reverse(self, seminar_id: int, set_id: int | str, filters: ReaderFilters) -> None:
        ids = [seminar_id, set_id, _PASSAGE_ID]
        self._fragment = reverse("annotations:reader_passage", args=ids)
        self._tag_add = reverse("annotations:tag_add", args=ids)
        self._tag_update = reverse("annotations:tag_update", args=[*ids, _TAG_ID])
        self._tag_remove = reverse("annotations:tag_remove", args=[*ids, _TAG_ID])
        self._state = filters.query(layout=True)
        self._panel = filters.query(layout=True, panel=1)

    def panel(self, passage_id: int) -> str:
        """The passage with its tag panel open, as a fragment."""
        return self._fragment.replace(_PASSAGE_ID, str(passage_id)) + self._panel

    def tag_add(self, passage_id: int) -> str:
        return self._tag_add.replace(_PASSAGE_ID, str(passage_id)) + self._state

    def tag_update(self, tag: Tag) -> str:
        return self._tag_url(self._tag_update, tag)

    def tag_remove(self, tag: Tag) -> str:
        return self._tag_url(self._tag_remove, tag)

    def _tag_url(self, pattern: str, tag: Tag) -> str:
        url = pattern.replace(_PASSAGE_ID, str(tag.passage_id)).replace(_TAG_ID, str(tag.pk))
        return url + self._state


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
    # hidden), with `SET_ID` for the set's id; None: the page renders it (reader_cache.py).
    shared: tuple[str, str] | None = None

    @property
    def kind(self) -> str:
        return self.passage.kind


Block = tuple[SafeString, ReaderPassage | None]


@dataclass(frozen=True)
class RibbonMark:
    href: str
    label: str
    y: int
    height: int


@dataclass(frozen=True)
class RibbonTheme:
    theme: Theme
    marks: list[RibbonMark]

    @property
    def marks_html(self) -> SafeString:
        """The marks as SVG links: a page has hundreds, too many for a template loop."""
        name = self.theme.name
        return format_html_join(
            "",
            '<a href="{}" aria-label="{}, {}"><rect class="reader-ribbon-mark" x="0" y="{}"'
            ' width="12" height="{}"/></a>',
            ((mark.href, name, mark.label, mark.y, mark.height) for mark in self.marks),
        )


@dataclass
class ReaderDocument:
    document: Document
    url: str
    front_matter: list[Passage]
    items: list[ReaderPassage]  # headings, body passages and pull quotes, in reading order
    ribbon: list[RibbonTheme]
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


def _microseconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def tags_signature(tags: Sequence[Tag]) -> str:
    """Changes whenever a tag is added, edited or removed: their number and latest change."""
    if not tags:
        return ""
    return f"{len(tags)}.{_microseconds(max(tag.updated_at for tag in tags))}"


def _aggregate_signature(count: int, latest: datetime | None) -> str:
    return f"{count}.{_microseconds(latest)}" if count and latest else "0"


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
) -> list[RibbonTheme]:
    by_theme: dict[int, list[RibbonMark]] = defaultdict(list)
    length = max(length, 1)
    for item in items:
        for theme_id in dict.fromkeys(tag.theme_id for tag in item.tags):
            passage = item.passage
            y = round(passage.start * RIBBON_HEIGHT / length)
            height = max(
                RIBBON_MIN_MARK, round((passage.end - passage.start) * RIBBON_HEIGHT / length)
            )
            # A hidden passage is reached through the unfiltered page.
            href = f"#{item.element_id}" if not item.hidden else f"{url}#{item.element_id}"
            by_theme[theme_id].append(
                RibbonMark(
                    href=href, label=item.name, y=min(y, RIBBON_HEIGHT - height), height=height
                )
            )
    shown = [filters.theme] if filters.theme is not None else themes
    return [
        RibbonTheme(theme=theme, marks=by_theme[theme.pk])
        for theme in shown
        if theme.is_active or by_theme[theme.pk]
    ]


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
        (reader_cache.py), `passages` are the cached ones, and those the set and the request do
        not touch are taken as rendered there, with `set_id` filled in."""
        filters = self.filters
        author_line = document.author_line if filters.parallel else ""
        front_matter, items = [], []
        counts: dict[int, int] = defaultdict(int)
        for passage in passages:
            if passage.kind == Passage.Kind.FRONT_MATTER:
                front_matter.append(passage)
                continue
            html = None if shared is None else shared.get(passage.pk)
            if html is not None and not self.is_own(passage.pk, tags_by_passage):
                items.append(self._shared_item(passage, html, author_line))
                continue
            if shared is not None:
                passage = copy(passage)  # the worker's other requests read it: change a copy
            passage.document = document  # for citations, without a query each
            item = self.item(
                passage, tags_by_passage.get(passage.pk, []), url=url, author_line=author_line
            )
            for theme_id in {tag.theme_id for tag in item.tags}:
                counts[theme_id] += 1
            items.append(item)
        if whole:
            _hide_empty_sections(items)
        length = max((p.end for p in passages), default=1)
        return ReaderDocument(
            document=document,
            url=url,
            front_matter=front_matter,
            items=items,
            ribbon=_ribbon(items, self.themes, length, url, filters) if whole else [],
            theme_counts=dict(counts),
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
        filters = self.filters
        items: list[ReaderPassage] = []
        counts: dict[int, int] = defaultdict(int)
        for passage in passages:
            if passage.kind == Passage.Kind.FRONT_MATTER:
                continue
            tags = tags_by_passage.get(passage.pk, [])
            item = ReaderPassage(
                passage=passage,
                element_id=element_id(passage, parallel=filters.parallel),
                name=passage.label,
                taggable=filters.is_taggable(passage),
                tags=tags,
                hidden=passage.kind != Passage.Kind.HEADING and not filters.shows(tags),
            )
            for theme_id in {tag.theme_id for tag in tags}:
                counts[theme_id] += 1
            items.append(item)
        _hide_empty_sections(items)
        length = max((p.end for p in passages), default=1)
        return ReaderDocument(
            document=document,
            url=url,
            front_matter=[],
            items=items,
            ribbon=_ribbon(items, self.themes, length, url, filters),
            theme_counts=dict(counts),
        )

    def _shared_item(
        self, passage: Passage, html: tuple[str, str], author_line: str
    ) -> ReaderPassage:
        """An untouched passage: only what the page reads besides its HTML."""
        parallel = self.filters.parallel
        return ReaderPassage(
            passage=passage,
            element_id=element_id(passage, parallel=parallel),
            name=f"{author_line}, {passage.label}" if parallel else passage.label,
            taggable=self.filters.is_taggable(passage),
            author_line=author_line,
            hidden=passage.kind != Passage.Kind.HEADING and not self.filters.shows(()),
            shared=html,
        )


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


def set_tags(
    annotation_set: AnnotationSet,
    themes: Sequence[Theme],
    document_ids: Sequence[int],
    passage_ids: Sequence[int] | None = None,
) -> dict[int, list[Tag]]:
    """The set's tags on these documents (or passages) by passage id: one query."""
    tags = Tag.objects.filter(annotation_set=annotation_set, passage__document_id__in=document_ids)
    if passage_ids is not None:
        tags = tags.filter(passage_id__in=passage_ids)
    themes_by_id = {theme.pk: theme for theme in themes}
    tags_by_passage: dict[int, list[Tag]] = defaultdict(list)
    for tag in tags:
        tag.theme = themes_by_id[tag.theme_id]  # the codebook is already loaded: no join
        tags_by_passage[tag.passage_id].append(tag)
    return tags_by_passage


def reader_documents(
    documents: Sequence[Document],
    annotation_set: AnnotationSet,
    themes: Sequence[Theme],
    *,
    filters: ReaderFilters,
    urls: dict[int, str],
    open_ids: Iterable[int] = (),
    errors: dict[int, str] | None = None,
    passage_ids: Iterable[int] | None = None,
) -> list[ReaderDocument]:
    """Each document with its passages and `annotation_set`'s tags on them: two queries.

    `urls` maps a document id to the page the passages are on (for links that must reach a
    passage the filters hide); `open_ids` are passages whose tag panel is open; `passage_ids`
    limits the work to some passages (a fragment, or what changed since the page was loaded).
    A whole page shares most of its passages with other sets' pages: reader_cache.py.
    """
    document_ids = [document.pk for document in documents]
    passages = Passage.objects.filter(document_id__in=document_ids).order_by(
        "document_id", "position"
    )
    if passage_ids is not None:
        passage_ids = list(passage_ids)
        passages = passages.filter(pk__in=passage_ids)
    tags_by_passage = set_tags(annotation_set, themes, document_ids, passage_ids)
    passages_by_document: dict[int, list[Passage]] = defaultdict(list)
    for passage in passages:
        passages_by_document[passage.document_id].append(passage)
    builder = PassageBuilder(
        SetUrls(annotation_set, filters), themes, filters, open_ids=open_ids, errors=errors
    )
    return [
        builder.document(
            document,
            passages_by_document[document.pk],
            tags_by_passage,
            url=urls[document.pk],
            whole=passage_ids is None,
            set_id=str(annotation_set.pk),
        )
        for document in documents
    ]


def reader_item(
    passage: Passage,
    annotation_set: AnnotationSet,
    themes: Sequence[Theme],
    *,
    filters: ReaderFilters,
    url: str,
    tags: list[Tag] | None = None,
    panel_open: bool = False,
    error: str = "",
) -> ReaderPassage:
    """One passage (loaded with its document) as reader_documents() builds it, with the set's
    `tags` on it: one query when they are not given."""
    if tags is None:
        tags = set_tags(annotation_set, themes, [passage.document_id], [passage.pk])[passage.pk]
    builder = PassageBuilder(
        SetUrls(annotation_set, filters),
        themes,
        filters,
        open_ids=[passage.pk] if panel_open else [],
        errors={passage.pk: error} if error else None,
    )
    author_line = passage.document.author_line if filters.parallel else ""
    return builder.item(passage, tags, url=url, author_line=author_line)


def _hide_empty_sections(items: list[ReaderPassage]) -> None:
    """A heading shows when a passage under it shows (always, when nothing is filtered)."""
    heading = None
    for item in items:
        if item.kind == Passage.Kind.HEADING:
            heading = item
            heading.hidden = True
        elif heading is not None and not item.hidden:
            heading.hidden = False


# Changes since the page was loaded ---------------------------------------------------------


def tags_version(tag_lists: Iterable[Sequence[Tag]]) -> str:
    """The version of what a page shows, from the tags it loaded (no query)."""
    tags = [tag for tags in tag_lists for tag in tags]
    if not tags:
        return "0"
    return _aggregate_signature(len(tags), max(tag.updated_at for tag in tags))


def _set_tags(annotation_set: AnnotationSet, documents):
    return Tag.objects.filter(annotation_set=annotation_set, passage__document_id__in=documents)


def set_version(annotation_set: AnnotationSet, documents) -> str:
    """The same version, read from the database in one small query."""
    row = _set_tags(annotation_set, documents).aggregate(n=Count("pk"), latest=Max("updated_at"))
    return _aggregate_signature(row["n"], row["latest"])


def changed_passage_ids(
    annotation_set: AnnotationSet, documents, seen: dict[int, str]
) -> list[int]:
    """Passages whose tags differ from the signatures the page holds (`seen`): one query.

    Untagged passages are not in `seen`, so a passage whose last tag went away is found by its
    signature in `seen`, and a newly tagged one by its signature in the database.
    """
    rows = (
        _set_tags(annotation_set, documents)
        .values("passage_id")
        .annotate(n=Count("pk"), latest=Max("updated_at"))
        .order_by()
    )
    now = {row["passage_id"]: _aggregate_signature(row["n"], row["latest"]) for row in rows}
    return sorted(pk for pk in now.keys() | seen.keys() if now.get(pk) != seen.get(pk))
