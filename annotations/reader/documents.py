"""The reader's reads: documents' passages with one set's tags, in a fixed number of queries.

`reader_documents` loads every passage of the documents in one query and every tag of the set
on them in another, then builds what the templates show (segments of text with quote spans
highlighted, chips, the ribbon, the filters) in Python, so no template touches the ORM and the
query count does not grow with the length of a reading.

`page_documents` does the same for a whole page, rendering once per version of the reading the
passages that every set shows alike. Most passages of a reading carry none of a set's tags and have
no panel open, and then their HTML is the same on every set's page with the same filters and write
permission but for the set's id in their URLs. They are rendered once with `SET_ID` in its place
and cached with the document's passages in `caches["fragments"]` (shared by the server's workers)
under the document's `updated_at`, which a change to the document or to any of its passages moves
(annotations/pagecache/revisions.py). Tagging does not: a class tagging away keeps the cache, and a
page loads only the set's tags and renders only the passages those touch.

Headings are cached twice, shown and hidden: whether one shows depends on the set's tags under it.
Untagged passages show or hide by the filters alone, which are part of the key.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.template import Context, Engine

from annotations.models import AnnotationSet, Tag, Theme
from annotations.pagecache.fragments import remembered, seminar_key
from annotations.reader.filters import SET_ID, ReaderFilters, SetUrls
from annotations.reader.passages import (
    PassageBuilder,
    ReaderDocument,
    ReaderPassage,
    attach_notes,
)
from readings.models import Document, Note, Passage, Seminar

PASSAGE = "annotations/_reader_passage.html#passage"
# The worker keeps the documents it served last, as read from the shared cache (a few hundred
# kilobytes each): reading and unpickling one costs about a tenth of the page. They are never
# stale, since the key names the document's version, and pages only read them
# (passages.PassageBuilder copies a passage before changing it).
RECENT = 16
_recent: dict[str, SharedDocument] = {}
_recent_lock = threading.Lock()


@dataclass(frozen=True)
class SharedDocument:
    passages: list[Passage]  # all of them, in reading order, without their document
    # Passage id → its HTML (shown, hidden) as _reader_passages.html renders it for a set that
    # has not touched it, with `SET_ID` for the set's id.
    html: dict[int, tuple[str, str]]


def page_documents(
    documents: Sequence[Document],
    annotation_set: AnnotationSet,
    themes: Sequence[Theme],
    *,
    filters: ReaderFilters,
    can_write: bool,
    urls: dict[int, str],
    shared_urls: dict[int, str],
    open_ids: Iterable[int] = (),
    errors: dict[int, str] | None = None,
) -> list[ReaderDocument]:
    """reader_documents() for a whole page, the same to the byte: one query for the set's tags
    when the documents are cached. `shared_urls` are `urls` with `SET_ID` for the set's id."""
    seminar = annotation_set.seminar
    tags_by_passage = set_tags(annotation_set, themes, [document.pk for document in documents])
    builder = PassageBuilder(
        SetUrls(annotation_set, filters), themes, filters, open_ids=open_ids, errors=errors
    )
    result = []
    for document in documents:
        shared = shared_document(
            seminar, document, filters=filters, can_write=can_write, url=shared_urls[document.pk]
        )
        result.append(
            builder.document(
                document,
                shared.passages,
                tags_by_passage,
                url=urls[document.pk],
                whole=True,
                shared=shared.html,
                set_id=str(annotation_set.pk),
            )
        )
    return result


def page_outline(
    document: Document,
    annotation_set: AnnotationSet,
    themes: Sequence[Theme],
    *,
    filters: ReaderFilters,
    can_write: bool,
    url: str,
    shared_url: str,
) -> ReaderDocument:
    """One reading's filter counts and ribbon as its page has them, without rendering a passage:
    one query for the set's tags when the document is cached."""
    tags_by_passage = set_tags(annotation_set, themes, [document.pk])
    shared = shared_document(
        annotation_set.seminar, document, filters=filters, can_write=can_write, url=shared_url
    )
    builder = PassageBuilder(SetUrls(annotation_set, filters), themes, filters)
    return builder.outline(document, shared.passages, tags_by_passage, url=url)


def shared_document(
    seminar: Seminar, document: Document, *, filters: ReaderFilters, can_write: bool, url: str
) -> SharedDocument:
    """The document's shared passages, from the cache or rendered (and cached) now."""
    # Everything the passage partial reads besides the passage: the filters (in the URLs, and
    # what shows), the layout, whether the viewer may tag.
    key = seminar_key(
        "reader",
        seminar,
        document.pk,
        document.updated_at.timestamp(),
        filters.query(layout=True),
        filters.parallel,
        can_write,
        url,
    )
    with _recent_lock:
        shared = _recent.pop(key, None)
    if shared is None:
        shared = remembered(
            key, lambda: _render(seminar, document, filters=filters, can_write=can_write, url=url)
        )
    with _recent_lock:  # runserver answers in threads
        _recent[key] = shared  # the most recent last
        while len(_recent) > RECENT:
            del _recent[next(iter(_recent))]
    return shared


def _render(
    seminar: Seminar, document: Document, *, filters: ReaderFilters, can_write: bool, url: str
) -> SharedDocument:
    passages = list(Passage.objects.filter(document=document).order_by("position"))
    attach_notes(passages, Note.objects.filter(document=document))
    builder = PassageBuilder(SetUrls.for_any_set(seminar.pk, filters), [], filters)
    author_line = document.author_line if filters.parallel else ""
    # One context for every passage: the partial reads `item`, `filters` and `can_write`.
    template = Engine.get_default().get_template(PASSAGE)
    context = Context({"filters": filters, "can_write": can_write})
    html = {}
    for passage in passages:
        if passage.kind in (
            Passage.Kind.FRONT_MATTER,
            Passage.Kind.NOT_TEXT,
        ) or _mentions_set_id(passage, author_line):
            continue
        item = builder.item(passage, [], url=url, author_line=author_line)
        # The page's loop puts a line break after each passage.
        with context.push(item=item):
            shown = template.render(context) + "\n"
        if passage.kind == Passage.Kind.HEADING:
            with context.push(item=replace(item, hidden=True)):
                html[passage.pk] = (shown, template.render(context) + "\n")
        else:
            html[passage.pk] = (shown, shown)
    return SharedDocument(passages=passages, html=html)


def _mentions_set_id(passage: Passage, author_line: str) -> bool:
    """Text reading like the placeholder would get the set's id: such a passage is rendered
    by each page."""
    texts = (passage.text, passage.label, passage.anchor, author_line)
    return any(SET_ID in text for text in texts)


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
    """Each document with its passages, their notes and `annotation_set`'s tags on them:
    three queries.

    `urls` maps a document id to the page the passages are on (for links that must reach a
    passage the filters hide); `open_ids` are passages whose tag panel is open; `passage_ids`
    limits the work to some passages (a fragment, or what changed since the page was loaded).
    A whole page shares most of its passages with other sets' pages: cache.py.
    """
    document_ids = [document.pk for document in documents]
    query = Passage.objects.filter(document_id__in=document_ids).order_by("document_id", "position")
    if passage_ids is not None:
        passage_ids = list(passage_ids)
        query = query.filter(pk__in=passage_ids)
    tags_by_passage = set_tags(annotation_set, themes, document_ids, passage_ids)
    passages = list(query)
    notes = Note.objects.filter(document_id__in=document_ids)
    if passage_ids is not None:
        notes = notes.filter(passage_id__in=passage_ids)
    attach_notes(passages, notes)
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
    `tags` on it: one query for its notes, and one for the tags when they are not given."""
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
    attach_notes([passage], Note.objects.filter(passage=passage))
    return builder.item(passage, tags, url=url, author_line=author_line)
