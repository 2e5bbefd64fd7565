"""The reader's pages and fragments, built for the views in annotations/reader/views.py: the
page of one reading or of every reading side by side, one passage with its panel, and what a tag
written or removed changes around it (the filters' counts, the ribbon).

Filters are GET parameters (annotations.reader.filters.ReaderFilters) that the fragments carry
in their URLs, so a swapped passage is rendered as the page around it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from annotations.access import SetAccess
from annotations.models import AnnotationSet, Tag, Theme
from annotations.reader.changes import tags_version
from annotations.reader.documents import page_documents, page_outline, reader_item
from annotations.reader.filters import SET_ID, ReaderFilters
from annotations.reader.forms import STANCE_CHOICES
from annotations.reader.passages import NUMBER_KEYS, ReaderDocument
from annotations.selectors import themes_of
from config.http import HtmxHttpRequest, parse_id
from readings.models import Document, Passage, SeminarReading

READER = "annotations/reader.html"
PARALLEL = "annotations/parallel.html"
PASSAGE = "annotations/_reader_passage.html"
CHANGES = "annotations/_reader_changes.html"
# How often an open, visible reader asks whether the set changed (reader.js reads it).
POLL_MILLISECONDS = 4000


@dataclass(frozen=True)
class FilterLink:
    label: str
    href: str
    current: bool
    element_id: str
    theme: Theme | None = None
    count: int | None = None


def readings_of(access: SetAccess) -> list[Document]:
    """The seminar's readings in column order (their texts deferred: passages carry them)."""
    rows = (
        SeminarReading.objects.filter(seminar=access.annotation_set.seminar)
        .select_related("document")
        .defer("document__text")
        .order_by("position", "pk")
    )
    return [row.document for row in rows]


def passage_for(access: SetAccess, passage_id: int) -> Passage:
    """A passage of one of the seminar's readings (404 otherwise), with its document."""
    readings = SeminarReading.objects.filter(seminar=access.annotation_set.seminar)
    passage = (
        Passage.objects.select_related("document")
        .defer("document__text")
        .exclude(kind__in=[Passage.Kind.FRONT_MATTER, Passage.Kind.HEADING, Passage.Kind.NOT_TEXT])
        .filter(pk=passage_id, document__in=readings.values("document_id"))
        .first()
    )
    if passage is None:
        raise Http404("No such passage in this seminar's readings.")
    return passage


def _is_live(access: SetAccess) -> bool:
    """Poll for changes: in the owner's own set (other tabs), a set the seminar shares, and
    any set an instructor opens (a student's blind set while the class tags). Whoever may read
    the set may poll it: reader_changes checks the same access."""
    annotation_set = access.annotation_set
    if access.access.is_instructor or annotation_set.owner_id == access.access.membership.user_id:
        return True
    if annotation_set.visibility == AnnotationSet.Visibility.PRIVATE:
        return False
    return (
        annotation_set.visibility == AnnotationSet.Visibility.PUBLISHED
        or not annotation_set.blind
        or annotation_set.revealed_at is not None
    )


def reader_filters(request: HtmxHttpRequest, themes: list[Theme]) -> ReaderFilters:
    # Fragments and forms carry the page's filters in their URL; a form field may override.
    params = request.GET.copy()
    params.update(request.POST)
    return ReaderFilters.from_params(params, themes)


def page_url(access: SetAccess, document_id: int, filters: ReaderFilters) -> str:
    annotation_set = access.annotation_set
    return _set_page_url(annotation_set.seminar_id, annotation_set.pk, document_id, filters)


def _set_page_url(
    seminar_id: int, set_id: int | str, document_id: int, filters: ReaderFilters
) -> str:
    if filters.parallel:
        return reverse("annotations:parallel", args=[seminar_id, set_id])
    return reverse("annotations:reader", args=[seminar_id, set_id, document_id])


def _filter_links(
    filters: ReaderFilters,
    themes: list[Theme],
    counts: dict[int, int],
    tagged: int,
    url: str,
) -> list[FilterLink]:
    """The filter links with their counts: passages per theme id, and tagged passages."""
    plain = replace(filters, tagged_only=False, theme=None)
    links = [
        FilterLink("All passages", url + plain.query(), not filters.is_filtering, "filter-all"),
        FilterLink(
            "Tagged",
            url + replace(plain, tagged_only=True).query(),
            filters.tagged_only and filters.theme is None,
            "filter-tagged",
            count=tagged,
        ),
    ]
    for theme in themes:
        if theme.is_active or counts.get(theme.pk):
            links.append(
                FilterLink(
                    theme.name,
                    url + replace(plain, theme=theme).query(),
                    filters.theme is not None and filters.theme.pk == theme.pk,
                    f"filter-theme-{theme.pk}",
                    theme=theme,
                    count=counts.get(theme.pk, 0),
                )
            )
    return links


def common_context(access: SetAccess, themes: list[Theme], filters: ReaderFilters) -> dict:
    annotation_set = access.annotation_set
    active = [theme for theme in themes if theme.is_active]
    return {
        "seminar": annotation_set.seminar,
        "annotation_set": annotation_set,
        "set_access": access,
        "can_write": access.can_write,
        "filters": filters,
        # The page's filters, carried by every fragment URL and form action.
        "state_query": filters.query(layout=True),
        "panel_query": filters.query(layout=True, panel=1),
        "keyed_themes": list(zip(range(1, NUMBER_KEYS + 1), active, strict=False)),
        "stances": STANCE_CHOICES,
    }


def page_context(
    request: HtmxHttpRequest,
    access: SetAccess,
    document_id: int | None,
    *,
    open_ids: Iterable[int] = (),
    errors: dict[int, str] | None = None,
) -> dict:
    """The reader of one reading or, without `document_id`, every reading side by side."""
    annotation_set = access.annotation_set
    readings = readings_of(access)
    shown = [reading for reading in readings if document_id in (None, reading.pk)]
    if document_id is not None and not shown:
        raise Http404("This document is not one of the seminar's readings.")
    themes = list(themes_of(annotation_set.seminar_id))
    filters = replace(reader_filters(request, themes), parallel=document_id is None)
    single = replace(filters, parallel=False)
    opened = parse_id(request.GET.get("open", ""))
    if not open_ids and access.can_write and opened is not None:
        open_ids = [opened]
    url = page_url(access, document_id or 0, filters)
    shared_url = _set_page_url(annotation_set.seminar_id, SET_ID, document_id or 0, filters)
    docs = page_documents(
        shown,
        annotation_set,
        themes,
        filters=filters,
        can_write=access.can_write,
        urls=dict.fromkeys((document.pk for document in shown), url),
        shared_urls=dict.fromkeys((document.pk for document in shown), shared_url),
        open_ids=open_ids,
        errors=errors,
    )
    return {
        **common_context(access, themes, filters),
        "documents": docs,
        "doc": docs[0] if docs and document_id else None,
        "document": shown[0] if document_id else None,
        "filter_links": _filter_links(
            filters,
            themes,
            dict(sum((Counter(doc.theme_counts) for doc in docs), Counter())),
            sum(doc.tagged_count for doc in docs),
            url,
        ),
        "reading_links": [
            (
                reading,
                page_url(access, reading.pk, single) + single.query(),
                reading.pk == document_id,
            )
            for reading in readings
        ],
        "parallel_url": page_url(access, 0, replace(filters, parallel=True)) + single.query(),
        "version": tags_version(item.tags for doc in docs for item in doc.items),
        "live": _is_live(access),
        "poll_ms": POLL_MILLISECONDS,
    }


# One passage ------------------------------------------------------------------------------


def render_passage(
    request: HtmxHttpRequest,
    access: SetAccess,
    passage: Passage,
    *,
    themes: list[Theme],
    filters: ReaderFilters,
    panel: bool,
    status: str = "",
    error: str = "",
    refresh_filters: bool = False,
) -> HttpResponse:
    url = page_url(access, passage.document_id, filters)
    context = {**common_context(access, themes, filters), "status": status}
    tags = None
    if refresh_filters:
        around, outline = refreshed(access, passage.document, themes, filters)
        context.update(around)
        if outline is not None:  # it loaded the passage's tags with the reading's
            tags = next((item.tags for item in outline.items if item.passage == passage), [])
    item = reader_item(
        passage,
        access.annotation_set,
        themes,
        filters=filters,
        url=url,
        tags=tags,
        panel_open=panel and access.can_write,
        error=error,
    )
    # The passage a person is working on stays in view, whatever the filters say.
    item.hidden = False
    context["item"] = item
    return render(request, PASSAGE, context)


def refreshed(
    access: SetAccess, document: Document, themes: list[Theme], filters: ReaderFilters
) -> tuple[dict, ReaderDocument | None]:
    """What a tag written or removed changes around the passages, for the page to swap out of
    band: the filters' counts and, on one reading's page, its ribbon (with the outline they
    come from). One query (the set's tags there), the reading's passages being cached."""
    if filters.parallel:
        counts, tagged = _filter_counts(access, None)
        url = page_url(access, 0, filters)
        return {"oob_filter_links": _filter_links(filters, themes, counts, tagged, url)}, None
    url = page_url(access, document.pk, filters)
    outline = page_outline(
        document,
        access.annotation_set,
        themes,
        filters=filters,
        can_write=access.can_write,
        url=url,
        shared_url=_set_page_url(access.annotation_set.seminar_id, SET_ID, document.pk, filters),
    )
    counts, tagged = outline.theme_counts, outline.tagged_count
    return {
        "oob_filter_links": _filter_links(filters, themes, counts, tagged, url),
        "oob_ribbon": outline.ribbon,
    }, outline


def _filter_counts(access: SetAccess, document_ids: list[int] | None) -> tuple[dict[int, int], int]:
    """Passages per theme and tagged passages of the set, in these readings (None: all the
    seminar's), counted as the page counts them; one query."""
    tags = Tag.objects.filter(annotation_set=access.annotation_set).exclude(
        passage__kind=Passage.Kind.FRONT_MATTER
    )
    if document_ids is None:
        readings = SeminarReading.objects.filter(seminar_id=access.annotation_set.seminar_id)
        tags = tags.filter(passage__document_id__in=readings.values("document_id"))
    else:
        tags = tags.filter(passage__document_id__in=document_ids)
    pairs = set(tags.values_list("theme_id", "passage_id"))
    return dict(Counter(theme_id for theme_id, _ in pairs)), len({p for _, p in pairs})


def back_to_passage(
    access: SetAccess, passage: Passage, filters: ReaderFilters, *, panel: bool
) -> str:
    extra: dict[str, Any] = {"open": passage.pk} if panel else {}
    anchor = f"d{passage.document_id}-{passage.anchor}" if filters.parallel else passage.anchor
    return f"{page_url(access, passage.document_id, filters)}{filters.query(**extra)}#{anchor}"
