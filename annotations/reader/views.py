"""The reader's views: a reading, or every reading side by side, with one annotation set's
tags; one passage; live updates; and tagging (add, change and remove tags, one passage at a
time).

Every action is a plain link or form first: tagging is a POST answered by a redirect to the
passage's anchor; htmx then swaps just the passage, with its outcome for the page's live region,
and static/js/reader.js adds the keyboard, quote spans and live updates. The page and fragment
contexts are built in annotations/reader/page.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from annotations import services
from annotations.access import SetAccess, get_annotation_set_for_user
from annotations.models import Tag, Theme
from annotations.reader.changes import change_summary, changed_passage_ids, set_version
from annotations.reader.documents import reader_documents
from annotations.reader.filters import ReaderFilters
from annotations.reader.forms import TagAddForm, TagUpdateForm
from annotations.reader.page import (
    CHANGES,
    PARALLEL,
    READER,
    back_to_passage,
    common_context,
    page_context,
    page_url,
    passage_for,
    reader_filters,
    readings_of,
    refreshed,
    render_passage,
)
from annotations.selectors import themes_of
from config.http import HtmxHttpRequest, parse_id, wants_fragment
from readings.models import Document, Passage, SeminarReading

# Pages ------------------------------------------------------------------------------------


@login_required
@vary_on_headers("HX-Request")
@require_GET
def reader(
    request: HtmxHttpRequest, seminar_id: int, set_id: int, document_id: int
) -> HttpResponse:
    """One reading with the set's tags; `?only=tagged`, `?theme=<slug>`, `?open=<passage>`."""
    access = get_annotation_set_for_user(request.user, seminar_id, set_id)
    context = page_context(request, access, document_id)
    template = READER + ("#reader-body" if wants_fragment(request) else "")
    return render(request, template, context)


@login_required
@vary_on_headers("HX-Request")
@require_GET
def parallel(request: HtmxHttpRequest, seminar_id: int, set_id: int) -> HttpResponse:
    """Every reading of the seminar in its own column, with the same filters and chips."""
    access = get_annotation_set_for_user(request.user, seminar_id, set_id)
    context = page_context(request, access, None)
    template = PARALLEL + ("#reader-body" if wants_fragment(request) else "")
    return render(request, template, context)


# One passage ------------------------------------------------------------------------------


@login_required
@vary_on_headers("HX-Request")
@require_GET
def reader_passage(
    request: HtmxHttpRequest, seminar_id: int, set_id: int, passage_id: int
) -> HttpResponse:
    """One passage, with its tag panel open when `?panel=1` (and the set is the user's)."""
    access = get_annotation_set_for_user(request.user, seminar_id, set_id)
    passage = passage_for(access, passage_id)
    themes = list(themes_of(seminar_id))
    filters = reader_filters(request, themes)
    panel = request.GET.get("panel") == "1"
    if not request.htmx:
        return redirect(back_to_passage(access, passage, filters, panel=panel))
    return render_passage(request, access, passage, themes=themes, filters=filters, panel=panel)


# Live updates -----------------------------------------------------------------------------


def _signatures(raw: str) -> dict[int, str]:
    """`12:3.1700000000000000,15:1.17...` → {12: "3.17...", 15: "1.17..."}; junk is skipped."""
    seen = {}
    for pair in raw.split(","):
        pk, _, signature = pair.partition(":")
        passage_id = parse_id(pk)
        if passage_id is not None and signature:
            seen[passage_id] = signature[:40]
    return seen


@login_required
@vary_on_headers("HX-Request")
@require_POST
def reader_changes(request: HtmxHttpRequest, seminar_id: int, set_id: int) -> HttpResponse:
    """What changed in the set since the page's version `v`: 204 when nothing did (three
    queries of its own), else the changed passages as out-of-band swaps and the new version.

    A POST, though it writes nothing: the page sends the signature of every tagged passage it
    shows (`sig`), which can outgrow a URL. Without htmx it leads to the reader.
    """
    access = get_annotation_set_for_user(request.user, seminar_id, set_id)
    documents = [d for d in map(parse_id, request.POST.getlist("d")) if d is not None]
    if not request.htmx:
        readings = readings_of(access)
        document = next(
            (r for r in readings if r.pk in documents), readings[0] if readings else None
        )
        if document is None:
            return redirect(access.annotation_set)
        return redirect("annotations:reader", seminar_id, set_id, document.pk)
    version = set_version(access.annotation_set, documents)
    if version == request.POST.get("v"):
        return HttpResponse(status=204)
    changed = changed_passage_ids(
        access.annotation_set, documents, _signatures(request.POST.get("sig", ""))
    )
    themes = list(themes_of(seminar_id))
    filters = reader_filters(request, themes)
    context = {
        **common_context(access, themes, filters),
        "items": [],
        "version": version,
        "announcement": change_summary(request.POST.get("v", ""), version) if changed else "",
    }
    if changed:
        in_seminar = SeminarReading.objects.filter(seminar_id=seminar_id, document_id__in=documents)
        shown = list(Document.objects.filter(pk__in=in_seminar.values("document_id")).defer("text"))
        urls = {document.pk: page_url(access, document.pk, filters) for document in shown}
        docs = reader_documents(
            shown, access.annotation_set, themes, filters=filters, urls=urls, passage_ids=changed
        )
        context["items"] = [item for doc in docs for item in doc.items]
        if shown and (filters.parallel or len(shown) == 1):
            context.update(refreshed(access, shown[0], themes, filters)[0])
    return render(request, CHANGES, context)


# Tagging -----------------------------------------------------------------------------------


@dataclass
class _Write:
    """What every tagging view starts from (the set, writable; the passage; the codebook; the
    page's filters) and how it answers: the passage in place with htmx, else a redirect to its
    anchor, or the page with the error in place when the write was refused."""

    request: HtmxHttpRequest
    access: SetAccess
    passage: Passage
    themes: list[Theme]
    filters: ReaderFilters

    @classmethod
    def start(
        cls, request: HtmxHttpRequest, seminar_id: int, set_id: int, passage_id: int
    ) -> _Write:
        access = get_annotation_set_for_user(request.user, seminar_id, set_id, write=True)
        themes = list(themes_of(seminar_id))
        filters = reader_filters(request, themes)
        return cls(request, access, passage_for(access, passage_id), themes, filters)

    @property
    def name(self) -> str:
        return self.passage.citation if self.filters.parallel else self.passage.label

    def theme_name(self, theme_id: int) -> str:
        return next(theme.name for theme in self.themes if theme.pk == theme_id)

    def answer(self, *, status: str = "", error: str = "") -> HttpResponse:
        request, passage = self.request, self.passage
        if request.htmx:
            # A key pressed on a passage with its panel closed keeps it closed (panel=0).
            panel = request.POST.get("panel", "1") == "1" or bool(error)
            return render_passage(
                request,
                self.access,
                passage,
                themes=self.themes,
                filters=self.filters,
                panel=panel,
                status=status,
                error=error,
                refresh_filters=not error,
            )
        if error:
            parallel = self.filters.parallel
            context = page_context(
                request,
                self.access,
                None if parallel else passage.document_id,
                open_ids=[passage.pk],
                errors={passage.pk: error},
            )
            return render(request, PARALLEL if parallel else READER, context)
        messages.success(request, status)
        return redirect(back_to_passage(self.access, passage, self.filters, panel=True))


@login_required
@vary_on_headers("HX-Request")
@require_POST
def tag_add(
    request: HtmxHttpRequest, seminar_id: int, set_id: int, passage_id: int
) -> HttpResponse:
    """Tag the passage (or a quote span in it) with a theme; sending it twice gives one tag."""
    write = _Write.start(request, seminar_id, set_id, passage_id)
    form = TagAddForm(request.POST, themes=write.themes)
    if not form.is_valid():
        return write.answer(error=form.error_text())
    if not write.filters.is_taggable(write.passage):
        return write.answer(error="Pull quotes repeat the text: tag the passage they quote.")
    theme, span = form.cleaned_data["theme"], form.cleaned_data["span"]
    try:
        _, created = services.passage_tag(
            annotation_set=write.access.annotation_set,
            passage=write.passage,
            theme=theme,
            author=request.user,
            span=span,
            stance=form.cleaned_data["stance"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as refused:
        return write.answer(error=" ".join(refused.messages))
    if not created:
        return write.answer(status=f"{write.name} was already tagged {theme.name}")
    what = "a quote in " if span else ""
    return write.answer(status=f"Tagged {what}{write.name} {theme.name}")


def _tag(write: _Write, tag_id: int) -> Tag | None:
    tags = Tag.objects.filter(annotation_set=write.access.annotation_set, passage=write.passage)
    return tags.filter(pk=tag_id).first()


@login_required
@vary_on_headers("HX-Request")
@require_POST
def tag_update(
    request: HtmxHttpRequest, seminar_id: int, set_id: int, passage_id: int, tag_id: int
) -> HttpResponse:
    """Change a tag's stance and note."""
    write = _Write.start(request, seminar_id, set_id, passage_id)
    tag = _tag(write, tag_id)
    if tag is None:
        return write.answer(error="This tag was removed meanwhile, so there is nothing to save.")
    form = TagUpdateForm(request.POST)
    if not form.is_valid():
        return write.answer(error=form.error_text())
    try:
        services.tag_update(
            tag=tag, stance=form.cleaned_data["stance"], note=form.cleaned_data["note"]
        )
    except ValidationError as refused:
        return write.answer(error=" ".join(refused.messages))
    return write.answer(status=f"Saved {write.theme_name(tag.theme_id)} on {write.name}")


@login_required
@vary_on_headers("HX-Request")
@require_POST
def tag_remove(
    request: HtmxHttpRequest, seminar_id: int, set_id: int, passage_id: int, tag_id: int
) -> HttpResponse:
    """Remove a tag. Removing one that is already gone (a double submit) is not an error."""
    write = _Write.start(request, seminar_id, set_id, passage_id)
    tag = _tag(write, tag_id)
    if tag is None:
        return write.answer(status=f"Already removed from {write.name}")
    tag.annotation_set = write.access.annotation_set  # tag_remove checks its lock: no query
    services.tag_remove(tag=tag)
    what = "a quote of " if tag.is_span else ""
    return write.answer(status=f"Removed {what}{write.theme_name(tag.theme_id)} from {write.name}")
