"""The discussion handout (issue 7): a builder whose form is the query string, a live preview,
and downloads as PDF, Word and Markdown of the same handout model. Issue 25: the passages the
preview pins and drops are fields of the same form, and the PDF's page count comes after the
page (`?count=1`, the `#page-count` partial for htmx, else the whole page with the count)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from annotations.excerpts import AUTO, SENTENCES, WHOLE
from annotations.handouts.background import handout_in_background
from annotations.handouts.budget import handout_fit, page_count
from annotations.handouts.contents import PAPERS, Handout
from annotations.handouts.docx import handout_docx
from annotations.handouts.markdown import handout_markdown
from annotations.handouts.model import handout_build
from annotations.handouts.options import handout_options
from annotations.handouts.pdf import handout_pdf
from annotations.models import Theme
from config.http import HtmxHttpRequest, wants_fragment
from readings.access import get_seminar_for_user

logger = logging.getLogger(__name__)

FORMATS = {
    "pdf": ("application/pdf", handout_pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        handout_docx,
    ),
    "md": ("text/markdown; charset=utf-8", handout_markdown),
}


EXCERPTS = [
    (AUTO, "Tagged quote, else first sentences"),
    (SENTENCES, "First sentences"),
    (WHOLE, "Whole passages"),
]


@dataclass(frozen=True)
class ThemeRow:
    """One theme in the builder form: ticked or not, its place, its questions."""

    theme: Theme
    checked: bool
    order: int
    questions: str


def _download(handout: Handout, fmt: str) -> HttpResponse:
    content_type, render_format = FORMATS[fmt]
    started = time.perf_counter()
    data = render_format(handout)
    # Rendering is synchronous; the log shows when a handout gets slow enough to matter.
    logger.info("handout %s rendered in %.2f s", fmt, time.perf_counter() - started)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{handout.filename(fmt)}"'
    return response


@login_required
@vary_on_headers("HX-Request")
@require_GET
def handout(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    """Build a handout from the sets the member may read: the builder and its preview, or with
    ?format=pdf|docx|md the download. With htmx (a changed choice) only the preview."""
    access = get_seminar_for_user(request.user, seminar_id)
    options = handout_options(request.GET)
    built, comparison = handout_build(access, options)
    built = handout_fit(access, built)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        # A long PDF or Word file is made by a worker (issue 22): the answer is its job's page.
        return handout_in_background(request, access.seminar, built, fmt) or _download(built, fmt)
    counting = "count" in request.GET
    pages = None
    if counting:
        pages = built.fitted.pages if built.fitted else page_count(access, built)

    chosen = set(options.themes)
    order = {slug: index for index, slug in enumerate(options.themes, 1)}
    theme_rows = [
        ThemeRow(
            theme=theme,
            checked=not chosen or theme.slug in chosen,
            order=order.get(theme.slug, len(order) + index),
            questions="\n".join(options.questions.get(theme.slug, ())),
        )
        for index, theme in enumerate(comparison.themes, 1)
    ]
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("count", None)
    template = "annotations/handout.html"
    if wants_fragment(request):
        template += "#page-count" if counting else "#preview"
    return render(
        request,
        template,
        {
            "seminar": access.seminar,
            "access": access,
            "comparison": comparison,
            "source": comparison.source,
            "handout": built,
            "options": options,
            "theme_rows": theme_rows,
            "chosen_readings": set(options.readings)
            or {r.document_id for r in comparison.readings},
            "papers": list(PAPERS.items()),
            "paper_label": PAPERS[built.paper],
            "handout_url": reverse("annotations:handout", args=[seminar_id]),
            "excerpts": EXCERPTS,
            "pages": pages,
            "choosing": True,
            "query": query.urlencode() + "&" if query else "",
        },
    )
