"""The codebook: a seminar's themes, read by every member and kept by its instructors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from annotations import services
from annotations.access import get_theme_for_user
from annotations.codebook.forms import ThemeForm, ThemeMergeForm, used_colours
from annotations.models import AnnotationSet, Theme
from annotations.palette import next_colour
from config.http import HtmxHttpRequest
from readings.access import get_seminar_for_user
from readings.models import Seminar

TEMPLATE = "annotations/theme_list.html"


def _codebook_themes(seminar: Seminar, user, *, is_instructor: bool) -> list[Theme]:
    """Every theme of the seminar in codebook order, with `tag_count`, in one query.

    Students count only the tags they may read: a blind set's size is not theirs to learn.
    """
    in_view = None
    if not is_instructor:
        visible = AnnotationSet.objects.visible_to(user, seminar, is_instructor=False)
        in_view = Q(tags__annotation_set__in=visible.values("pk"))
    return list(
        Theme.objects.filter(seminar=seminar)
        .select_related("merged_into")
        .annotate(tag_count=Count("tags", filter=in_view))
        .order_by("position", "pk")
    )


def _create_form(themes: list[Theme], data=None) -> ThemeForm:
    used = used_colours(themes)
    return ThemeForm(data, used=used, initial={"colour": next_colour(set(used))})


def _codebook_context(
    request: HtmxHttpRequest,
    seminar: Seminar,
    *,
    is_instructor: bool,
    form: ThemeForm | None = None,
    themes: list[Theme] | None = None,
) -> dict:
    if themes is None:
        themes = _codebook_themes(seminar, request.user, is_instructor=is_instructor)
    if is_instructor and form is None:
        form = _create_form(themes)
    active = [theme for theme in themes if theme.is_active]
    return {
        "seminar": seminar,
        "is_instructor": is_instructor,
        "active": active,
        "retired": [theme for theme in themes if not theme.is_active],
        "form": form,
    }


def _codebook_url(seminar_id: int, theme_id: int | None = None) -> str:
    url = reverse("annotations:theme_list", args=[seminar_id])
    return f"{url}#theme-{theme_id}" if theme_id else url


def _after_write(
    request: HtmxHttpRequest, theme: Theme, *, partial: str = "codebook", anchor: int | None = None
) -> HttpResponse:
    """htmx: the codebook (or its list) in place, showing the message. Otherwise: PRG."""
    if request.htmx:
        context = _codebook_context(request, theme.seminar, is_instructor=True)
        return render(request, f"{TEMPLATE}#{partial}", context)
    return redirect(_codebook_url(theme.seminar_id, anchor or theme.pk))


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def theme_list(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    """The codebook for every member; instructors add themes here too."""
    access = get_seminar_for_user(request.user, seminar_id, manage=request.method == "POST")
    seminar = access.seminar
    template = TEMPLATE + ("#codebook" if request.htmx else "")
    if request.method == "GET":
        context = _codebook_context(request, seminar, is_instructor=access.is_instructor)
        return render(request, template, context)

    themes = _codebook_themes(seminar, request.user, is_instructor=True)
    form = _create_form(themes, request.POST)
    if form.is_valid():
        try:
            theme = services.theme_create(seminar=seminar, **form.cleaned_data)
        except ValidationError as error:
            # The form checked the colour, so what the service refuses is the name.
            form.add_error("name", error)
        else:
            messages.success(request, f"Added “{theme.name}” to the codebook.")
            if request.htmx:
                context = _codebook_context(request, seminar, is_instructor=True)
                return render(request, template, context)
            return redirect(_codebook_url(seminar.pk, theme.pk))
    # Invalid forms come back with 200 and the errors in place, as in the import view.
    context = _codebook_context(request, seminar, is_instructor=True, form=form, themes=themes)
    return render(request, template, context)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def theme_edit(request: HtmxHttpRequest, seminar_id: int, theme_id: int) -> HttpResponse:
    theme = get_theme_for_user(request.user, seminar_id, theme_id, manage=True)
    others = used_colours(list(Theme.objects.filter(seminar_id=theme.seminar_id)), exclude=theme)
    if request.method == "POST":
        form = ThemeForm(request.POST, used=others, current=theme.colour)
        if form.is_valid():
            try:
                services.theme_update(theme=theme, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(request, f"Saved “{theme.name}”.")
                url = _codebook_url(theme.seminar_id, theme.pk)
                if request.htmx:
                    return HttpResponseClientRedirect(url)
                return redirect(url)
    else:
        form = ThemeForm(
            initial={
                "name": theme.name,
                "guiding_question": theme.guiding_question,
                "description": theme.description,
                "colour": theme.colour,
            },
            used=others,
            current=theme.colour,
        )
    template = "annotations/theme_edit.html" + ("#theme-form" if request.htmx else "")
    return render(request, template, {"theme": theme, "seminar": theme.seminar, "form": form})


@login_required
@vary_on_headers("HX-Request")
@require_POST
def theme_move(request: HtmxHttpRequest, seminar_id: int, theme_id: int) -> HttpResponse:
    theme = get_theme_for_user(request.user, seminar_id, theme_id, manage=True)
    offset = {"-1": -1, "1": 1}.get(request.POST.get("offset", ""))
    if offset is None:
        messages.error(request, "Move a theme one place up or down.")
    else:
        try:
            place = services.theme_move(theme=theme, offset=offset)
        except ValidationError as refused:
            messages.error(request, refused.message)
        else:
            if place is None:
                edge = "first" if offset < 0 else "last"
                messages.info(request, f"“{theme.name}” is already {edge}.")
            else:
                count = Theme.objects.active().filter(seminar_id=theme.seminar_id).count()
                direction = "up" if offset < 0 else "down"
                messages.success(
                    request, f"Moved “{theme.name}” {direction}: now {place} of {count}."
                )
    # Only the list is swapped, so the focus stays on the button that was pressed.
    return _after_write(request, theme, partial="moved")


@login_required
@vary_on_headers("HX-Request")
@require_POST
def theme_retire(request: HtmxHttpRequest, seminar_id: int, theme_id: int) -> HttpResponse:
    """Retire an active theme, or restore a retired (or merged) one."""
    theme = get_theme_for_user(request.user, seminar_id, theme_id, manage=True)
    if theme.is_active:
        services.theme_retire(theme=theme)
        count = theme.tags.count()
        kept = f"Its {count} tag{'s' if count != 1 else ''} stay" if count else "It has no tags"
        messages.success(request, f"Retired “{theme.name}”. {kept}; it takes no new ones.")
    else:
        try:
            services.theme_restore(theme=theme)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Restored “{theme.name}”: it takes new tags again.")
    return _after_write(request, theme)


@login_required
@vary_on_headers("HX-Request")
@require_POST
def theme_merge(request: HtmxHttpRequest, seminar_id: int, theme_id: int) -> HttpResponse:
    """Move every tag of this theme to another active theme, then retire this one."""
    theme = get_theme_for_user(request.user, seminar_id, theme_id, manage=True)
    form = ThemeMergeForm(request.POST, source=theme)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return _after_write(request, theme)
    target = form.cleaned_data["target"]
    moved = services.theme_merge(source=theme, target=target)
    messages.success(
        request,
        f"Merged “{theme.name}” into “{target.name}”: "
        f"{moved} tag{'s' if moved != 1 else ''} moved.",
    )
    return _after_write(request, theme, anchor=target.pk)
