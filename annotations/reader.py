"""The reader's reads: documents' passages with one set's tags, in a fixed number of queries.

`reader_documents` loads every passage of the documents in one query and every tag of the set
on them in another, then builds what the templates show (segments of text with quote spans
highlighted, chips, the ribbon, the filters) in Python, so no template touches the ORM and the
query count does not grow with the length of a reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.html import escape
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


class SetUrls:
    """The URLs of one set's passages and tags, carrying the page's filters.

    A page links every passage and tag a few times, and `reverse` is slow enough for that to
    show, so each URL pattern is reversed once with placeholder ids and filled in per passage.
    """

    def __init__(self, annotation_set: AnnotationSet, filters: ReaderFilters) -> None:
        ids = [annotation_set.seminar_id, annotation_set.pk, _PASSAGE_ID]
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

    @property
    def kind(self) -> str:
        return self.passage.kind


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


@dataclass
class ReaderDocument:
    document: Document
    url: str
    front_matter: list[Passage]
    items: list[ReaderPassage]  # headings, body passages and pull quotes, in reading order
    ribbon: list[RibbonTheme]
    theme_counts: dict[int, int]  # passages per theme in this document

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
    """
    errors = errors or {}
    open_ids = set(open_ids)
    set_urls = SetUrls(annotation_set, filters)
    query = filters.query()
    open_query = f"{query}&open=" if query else "?open="  # filters.query(open=...), once
    themes_by_id = {theme.pk: theme for theme in themes}
    place = {theme.pk: index for index, theme in enumerate(themes)}
    document_ids = [document.pk for document in documents]
    passages = Passage.objects.filter(document_id__in=document_ids).order_by(
        "document_id", "position"
    )
    tags = Tag.objects.filter(annotation_set=annotation_set, passage__document_id__in=document_ids)
    if passage_ids is not None:
        passage_ids = list(passage_ids)
        passages = passages.filter(pk__in=passage_ids)
        tags = tags.filter(passage_id__in=passage_ids)
    tags_by_passage: dict[int, list[Tag]] = defaultdict(list)
    for tag in tags:
        tag.theme = themes_by_id[tag.theme_id]  # the codebook is already loaded: no join
        tags_by_passage[tag.passage_id].append(tag)
    passages_by_document: dict[int, list[Passage]] = defaultdict(list)
    for passage in passages:
        passages_by_document[passage.document_id].append(passage)

    result = []
    for document in documents:
        url = urls[document.pk]
        author_line = document.author_line if filters.parallel else ""
        front_matter, items = [], []
        counts: dict[int, int] = defaultdict(int)
        for passage in passages_by_document[document.pk]:
            passage.document = document  # for citations, without a query each
            if passage.kind == Passage.Kind.FRONT_MATTER:
                front_matter.append(passage)
                continue
            passage_tags = _order_tags(tags_by_passage.get(passage.pk, []), place)
            for tag in passage_tags:
                tag.quote = passage.text[tag.span_start : tag.span_end] if tag.is_span else ""
            for theme_id in {tag.theme_id for tag in passage_tags}:
                counts[theme_id] += 1
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
                    (tag, set_urls.tag_remove(tag), set_urls.tag_update(tag))
                    for tag in passage_tags
                ],
                panel_open=passage.pk in open_ids,
                error=errors.get(passage.pk, ""),
                open_href=f"{url}{open_query}{passage.pk}#{anchor}",
                close_href=f"{url}{query}#{anchor}",
                tag_url=set_urls.tag_add(passage.pk),
                panel_url=set_urls.panel(passage.pk),
            )
            if passage.kind != Passage.Kind.HEADING:
                item.hidden = not filters.shows(passage_tags)
                item.text_html = passage_html(passage, [t for t in passage_tags if t.is_span])
            if item.panel_open and item.taggable:
                item.theme_buttons = theme_buttons(themes, passage_tags, set_urls)
            items.append(item)
        if passage_ids is None:
            _hide_empty_sections(items)
        length = max((p.end for p in passages_by_document[document.pk]), default=1)
        result.append(
            ReaderDocument(
                document=document,
                url=url,
                front_matter=front_matter,
                items=items,
                ribbon=[]
                if passage_ids is not None
                else _ribbon(items, themes, length, url, filters),
                theme_counts=dict(counts),
            )
        )
    return result


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
