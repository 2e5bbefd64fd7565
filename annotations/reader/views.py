"""Tagging in the reader: add, change and remove tags, one passage at a time.

Each view is a plain POST answered by a redirect to the passage's anchor; with htmx the
passage comes back in place, with its outcome for the page's live region. The pages and the
fragments they are rendered with live in annotations/views/reader.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from annotations.access import SetAccess, get_annotation_set_for_user
from annotations.models import Tag, Theme
from annotations.reader.filters import ReaderFilters
from annotations.selectors import themes_of
from annotations.services import passage_tag, tag_remove, tag_update
from annotations.tag_forms import TagAddForm, TagUpdateForm
from annotations.views.reader import (
    PARALLEL,
    READER,
    back_to_passage,
    page_context,
    passage_for,
    reader_filters,
    render_passage,
)
from config.http import HtmxHttpRequest
from readings.models import Passage


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
        _, created = passage_tag(
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
def tag_change(
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
        tag_update(tag=tag, stance=form.cleaned_data["stance"], note=form.cleaned_data["note"])
    except ValidationError as refused:
        return write.answer(error=" ".join(refused.messages))
    return write.answer(status=f"Saved {write.theme_name(tag.theme_id)} on {write.name}")


@login_required
@vary_on_headers("HX-Request")
@require_POST
def tag_delete(
    request: HtmxHttpRequest, seminar_id: int, set_id: int, passage_id: int, tag_id: int
) -> HttpResponse:
    """Remove a tag. Removing one that is already gone (a double submit) is not an error."""
    write = _Write.start(request, seminar_id, set_id, passage_id)
    tag = _tag(write, tag_id)
    if tag is None:
        return write.answer(status=f"Already removed from {write.name}")
    tag.annotation_set = write.access.annotation_set  # tag_remove checks its lock: no query
    tag_remove(tag=tag)
    what = "a quote of " if tag.is_span else ""
    return write.answer(status=f"Removed {what}{write.theme_name(tag.theme_id)} from {write.name}")
