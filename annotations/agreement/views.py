"""Agreement (issue 9): the figures, the discussion view of disputed passages, the handout
picks made from it, and the presentation mode for class.

The instructor sees everything. A student sees only their own figures, and their agreement
with the key only when the key is open to them: the class's numbers would tell them about sets
that are still blind.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from annotations.agreement.gather import (
    Agreement,
    ThemeAgreement,
    Vote,
    agreement_csv,
    agreement_gather,
)
from annotations.compare.gather import comparison_gather
from annotations.models import AnnotationSet, DiscussionPick, Theme
from annotations.pagecache.fragments import cached_page
from annotations.selectors import sets_for_member
from annotations.services import discussion_pick_add, discussion_pick_remove
from config.http import HtmxHttpRequest, parse_id, wants_fragment
from readings.access import SeminarAccess, get_seminar_for_user
from readings.models import Passage, SeminarReading

# The discussion view shows this many passages per theme until asked for all of them; a
# presentation slide shows fewer, in large type.
DISCUSSION_TOP = 5
SLIDE_TOP = 3


@login_required
@vary_on_headers("HX-Request")
@require_GET
def agreement(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    """The agreement table (instructor) or the student's own figures; ?format=csv downloads
    the instructor's table."""
    access = get_seminar_for_user(request.user, seminar_id)
    if not access.is_instructor:
        return _own_figures(request, access)
    if request.GET.get("format") == "csv":
        gathered = agreement_gather(access)
        response = HttpResponse(agreement_csv(gathered), content_type="text/csv; charset=utf-8")
        name = f"agreement-seminar-{access.seminar.pk}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    template = "annotations/agreement.html"
    if wants_fragment(request):
        template += "#agreement-body"

    def context() -> dict:
        return {"seminar": access.seminar, "access": access, "agreement": agreement_gather(access)}

    return cached_page(request, access, _parts(request), template, context)


def _parts(request: HtmxHttpRequest, *more: object) -> tuple[object, ...]:
    """What the agreement pages read besides the data: the URL, htmx, and the day (the
    activity chart ends today)."""
    return (request.path, bool(request.htmx), timezone.localdate(), *more)


def _own_figures(request: HtmxHttpRequest, access: SeminarAccess) -> HttpResponse:
    user_id = access.membership.user_id

    def context() -> dict:
        gathered = agreement_gather(access)
        readable = {s.pk for s in sets_for_member(access)}
        key_open = gathered.key is not None and gathered.key.set_id in readable
        mine = [s for s in gathered.students if s.coder.owner_id == user_id]
        if not key_open:
            for figures in mine:
                for row in figures.themes:
                    row.with_key, row.found, row.key_total = None, 0, 0
        own_sets = AnnotationSet.objects.filter(seminar=access.seminar, owner_id=user_id)
        return {
            "seminar": access.seminar,
            "access": access,
            "figures": mine,
            "key_open": key_open,
            "has_key": gathered.key is not None,
            "has_sets": own_sets.exists(),
        }

    template = "annotations/agreement_own.html"
    if wants_fragment(request):
        template += "#agreement-body"
    return cached_page(request, access, _parts(request), template, context)


def _picked(seminar_id: int) -> set[tuple[int, int]]:
    return set(
        DiscussionPick.objects.filter(theme__seminar_id=seminar_id).values_list(
            "theme_id", "passage_id"
        )
    )


@dataclass(frozen=True)
class Listing:
    """One theme on the discussion page: its figures and the passages shown."""

    row: ThemeAgreement
    votes: list[tuple[Vote, bool]]  # the passages shown, and whether each is on the handout
    more: int  # disputed passages not shown


@login_required
@vary_on_headers("HX-Request")
@require_GET
def discussion(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    """Per theme, the passages that split the class most, ready to project. ?theme= shows
    one theme with all of its disputed passages; with htmx only that part of the page."""
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    slug = request.GET.get("theme", "")

    def context() -> dict:
        gathered = agreement_gather(access, students=False)
        chosen = gathered.row_for(slug) if slug else None
        if slug and chosen is None:
            raise Http404("No such theme.")
        picked = _picked(access.seminar.pk)
        listings = []
        for row in [chosen] if chosen else gathered.rows:
            disputed = row.disputed
            shown = disputed if chosen else disputed[:DISCUSSION_TOP]
            votes = [(vote, (row.theme.pk, vote.unit.pk) in picked) for vote in shown]
            listings.append(Listing(row, votes, len(disputed) - len(shown)))
        return {
            "seminar": access.seminar,
            "access": access,
            "agreement": gathered,
            "listings": listings,
            "chosen": chosen,
        }

    template = "annotations/discussion.html"
    if wants_fragment(request):
        template += "#discussion-body"
    return cached_page(request, access, _parts(request, slug), template, context)


@login_required
@require_POST
def discussion_pick(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    """Add a passage to the handout under a theme (or, with remove, take it off)."""
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    theme_id = parse_id(request.POST.get("theme", ""))
    passage_id = parse_id(request.POST.get("passage", ""))
    if theme_id is None or passage_id is None:
        messages.error(request, "Choose a passage and a theme to add to the handout.")
        return redirect("annotations:discussion", access.seminar.pk)
    theme = Theme.objects.filter(seminar=access.seminar, pk=theme_id).first()
    readings = SeminarReading.objects.filter(seminar=access.seminar).values("document_id")
    passage = Passage.objects.filter(pk=passage_id, document_id__in=readings).first()
    if theme is None or passage is None:
        raise Http404("No such theme or passage in this seminar.")
    removing = "remove" in request.POST
    error = ""
    try:
        if removing:
            discussion_pick_remove(theme=theme, passage=passage)
        else:
            discussion_pick_add(theme=theme, passage=passage, user=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    picked = (theme.pk, passage.pk) in _picked(access.seminar.pk)
    if request.htmx:
        return render(
            request,
            "annotations/_pick_form.html",
            {
                "seminar": access.seminar,
                "theme": theme,
                "passage_id": passage.pk,
                "label": passage.label,
                "is_picked": picked,
                "error": error,
                "announce": True,
            },
        )
    if error:
        messages.error(request, error)
    elif removing:
        messages.success(request, f"{passage.label} is off the handout.")
    else:
        messages.success(request, f"{passage.label} is on the handout under {theme.name}.")
    url = reverse("annotations:discussion", args=[access.seminar.pk])
    return redirect(f"{url}#vote-{theme.pk}-{passage.pk}")


@dataclass(frozen=True)
class Slide:
    theme: Theme
    part: str  # "positions" or "disputed"

    @property
    def url(self) -> str:
        name = "present_disputed" if self.part == "disputed" else "present"
        return reverse(f"annotations:{name}", args=[self.theme.seminar_id, self.theme.slug])


@login_required
@require_GET
def present_start(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    """The first slide: the first theme's positions."""
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    theme = Theme.objects.active().filter(seminar=access.seminar).order_by("position", "pk")
    first = theme.first()
    if first is None:
        messages.info(request, "Add a theme to the codebook before presenting.")
        return redirect("annotations:discussion", access.seminar.pk)
    return redirect("annotations:present", access.seminar.pk, first.slug)


@login_required
@vary_on_headers("HX-Request")
@require_GET
def present(
    request: HtmxHttpRequest, seminar_id: int, theme_slug: str, part: str = "positions"
) -> HttpResponse:
    """Presentation mode: per theme, a slide with the readings' positions side by side and a
    slide with the passages that split the class. Arrow keys and page up/down (a clicker)
    move between slides; with htmx only the slide is swapped."""
    access = get_seminar_for_user(request.user, seminar_id, manage=True)

    def context() -> dict:
        comparison = comparison_gather(access, theme_slug=theme_slug)
        slides = [Slide(t, p) for t in comparison.themes for p in ("positions", "disputed")]
        index = next(
            i for i, s in enumerate(slides) if s.theme.slug == theme_slug and s.part == part
        )
        context = {
            "seminar": access.seminar,
            "access": access,
            "comparison": comparison,
            "theme": comparison.theme,
            "row": comparison.row,
            "slide": slides[index],
            "number": index + 1,
            "total": len(slides),
            "previous": slides[index - 1] if index else None,
            "next": slides[index + 1] if index + 1 < len(slides) else None,
        }
        if part == "disputed":
            gathered: Agreement = agreement_gather(access, students=False)
            row = gathered.row_for(theme_slug)
            context["agreement_row"] = row
            context["votes"] = row.disputed[:SLIDE_TOP] if row else []
        return context

    template = "annotations/present.html"
    if wants_fragment(request):
        template += "#slide"
    return cached_page(request, access, _parts(request), template, context)  # path names the part
