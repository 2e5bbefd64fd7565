"""Compare one theme across the readings, the overview of every theme, and what they fetch:
a passage's context and a position summary edited in place."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from annotations.access import SetAccess, get_annotation_set_for_user
from annotations.compare.forms import PositionSummaryForm
from annotations.compare.gather import comparison_gather
from annotations.models import PositionSummary, Theme
from annotations.pagecache.fragments import cached_page
from annotations.services import position_summary_save
from annotations.stances import LABELS, NO_STANCE, STANCES
from config.http import HtmxHttpRequest, parse_id, wants_fragment
from readings.access import get_seminar_for_user
from readings.models import Passage, SeminarReading


def _min_people(request: HtmxHttpRequest) -> int:
    value = parse_id(request.GET.get("min", ""))
    return 1 if value is None else value


@login_required
@vary_on_headers("HX-Request")
@require_GET
def compare(request: HtmxHttpRequest, seminar_id: int, theme_slug: str) -> HttpResponse:
    """One theme, one column per reading; with htmx (a theme tab) only the columns.

    Cached under the seminar's revision (annotations/pagecache/fragments.py)."""
    access = get_seminar_for_user(request.user, seminar_id)
    source, min_people = request.GET.get("source"), _min_people(request)
    # A theme tab swaps the columns and refreshes the tabs out of band; a summary's Cancel
    # picks its summary out of the same response and must leave the tabs alone, and so does
    # the columns' own live refresh (its trigger is the region itself): an out-of-band tabs
    # swap reached a page without them (htmx:oobErrorNoTarget in a browser journey).
    swap_tabs = (
        bool(request.htmx)
        and request.htmx.target == "theme-columns"
        and request.htmx.trigger != "theme-columns"
    )
    template = "annotations/compare.html"
    if wants_fragment(request):
        template += "#theme-columns"

    def context() -> dict:
        comparison = comparison_gather(
            access, source=source, min_people=min_people, theme_slug=theme_slug
        )
        summary_set = comparison.source.summary_set
        return {
            "seminar": access.seminar,
            "access": access,
            "comparison": comparison,
            "source": comparison.source,
            "theme": comparison.theme,
            "row": comparison.row,
            "summary_set": summary_set,
            "can_edit": summary_set is not None and SetAccess(access, summary_set).can_write,
            "swap_tabs": swap_tabs,
        }

    parts = (request.path, source, min_people, swap_tabs, bool(request.htmx))
    return cached_page(request, access, parts, template, context)


@login_required
@vary_on_headers("HX-Request")
@require_GET
def overview(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    """Themes by readings: how much each author says, the stance mix, a verdict, ribbons; with
    htmx (the instructor's live refresh) only the matrix and ribbons.

    Cached under the seminar's revision (annotations/pagecache/fragments.py)."""
    access = get_seminar_for_user(request.user, seminar_id)
    source, min_people = request.GET.get("source"), _min_people(request)
    template = "annotations/overview.html"
    if wants_fragment(request):
        template += "#overview-body"

    def context() -> dict:
        comparison = comparison_gather(access, source=source, min_people=min_people)
        return {
            "seminar": access.seminar,
            "access": access,
            "comparison": comparison,
            "source": comparison.source,
            "stance_labels": [(stance, LABELS[stance]) for stance in (*STANCES, NO_STANCE)],
        }

    parts = (request.path, source, min_people, bool(request.htmx))
    return cached_page(request, access, parts, template, context)


def _back_link(request: HtmxHttpRequest, seminar_id: int) -> str:
    """The compare page the reader came from, if ?back= names one of this seminar's."""
    back = request.GET.get("back", "")
    pattern = rf"/seminars/{seminar_id}/compare/[-\w]+/(\?[\w=&]*)?"
    return back if re.fullmatch(pattern, back) else ""


@login_required
@vary_on_headers("HX-Request")
@require_GET
def compare_context(request: HtmxHttpRequest, seminar_id: int, passage_id: int) -> HttpResponse:
    """The passage before and after a passage of one of the seminar's readings."""
    access = get_seminar_for_user(request.user, seminar_id)
    readings = SeminarReading.objects.filter(seminar=access.seminar)
    passage = (
        Passage.objects.select_related("document")
        .defer("document__text")
        .filter(pk=passage_id, document_id__in=readings.values("document_id"))
        .first()
    )
    if passage is None:
        raise Http404("No such passage in this seminar's readings.")
    # Front matter (the title block) is not context; it only ever opens a text.
    nearby = list(
        Passage.objects.filter(
            document_id=passage.document_id,
            position__gte=max(0, passage.position - 8),
            position__lte=passage.position + 1,
        )
        .exclude(pk=passage.pk)
        .exclude(kind__in=[Passage.Kind.FRONT_MATTER, Passage.Kind.NOT_TEXT])
        .order_by("position")
    )
    before = [p for p in nearby if p.position < passage.position]
    after = [p for p in nearby if p.position > passage.position]
    template = "annotations/compare_context.html"
    if wants_fragment(request):
        template += "#context"
    return render(
        request,
        template,
        {
            "seminar": access.seminar,
            "passage": passage,
            "document": passage.document,
            "before": before[-1] if before else None,
            "after": after[0] if after else None,
            "back": _back_link(request, seminar_id),
        },
    )


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def summary_edit(
    request: HtmxHttpRequest, seminar_id: int, set_id: int, theme_id: int, document_id: int
) -> HttpResponse:
    """Write an author's position on a theme, in place on the compare page; only the owner of
    an unlocked set. Without htmx: a page of its own and a redirect back to the columns."""
    annotation_set = get_annotation_set_for_user(
        request.user, seminar_id, set_id, write=True
    ).annotation_set
    theme = Theme.objects.filter(seminar_id=seminar_id, pk=theme_id).first()
    reading = (
        SeminarReading.objects.select_related("document")
        .defer("document__text")
        .filter(seminar_id=seminar_id, document_id=document_id)
        .first()
    )
    if theme is None or reading is None:
        raise Http404("No such theme or reading in this seminar.")
    document = reading.document
    summary = PositionSummary.objects.filter(
        annotation_set=annotation_set, theme=theme, document=document
    ).first()
    form = PositionSummaryForm(
        request.POST or None,
        theme=theme,
        document=document,
        initial={"text": summary.text if summary else ""},
    )
    back = reverse("annotations:compare", args=[seminar_id, theme.slug])
    back += f"?source={annotation_set.pk}"
    context = {
        "seminar": annotation_set.seminar,
        "theme": theme,
        "document": document,
        "summary": summary,
        "summary_set": annotation_set,
        "can_edit": True,
        "form": form,
        "back": back,
    }
    if request.method == "POST" and form.is_valid():
        try:
            summary = position_summary_save(
                annotation_set=annotation_set,
                theme=theme,
                document=document,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            if request.htmx:
                context["summary"] = summary
                return render(request, "annotations/compare.html#summary", context)
            done = "Saved the summary" if summary else "Removed the summary"
            messages.success(request, f"{done} of {document.author_line} on {theme.name}.")
            return redirect(f"{back}#summary-{document.pk}")
    template = "annotations/compare_summary.html"
    if request.htmx:
        template += "#summary-form"
    return render(request, template, context)
