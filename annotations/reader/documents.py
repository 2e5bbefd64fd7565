"""The reader's reads: documents' passages with one set's tags, in a fixed number of queries.

`reader_documents` loads every passage of the documents in one query and every tag of the set
on them in another, then builds what the templates show (segments of text with quote spans
highlighted, chips, the ribbon, the filters) in Python, so no template touches the ORM and the
query count does not grow with the length of a reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from annotations.models import AnnotationSet, Tag, Theme
from annotations.reader.filters import ReaderFilters, SetUrls
from annotations.reader.passages import PassageBuilder, ReaderDocument, ReaderPassage
from readings.models import Document, Passage


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
    A whole page shares most of its passages with other sets' pages: cache.py.
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
