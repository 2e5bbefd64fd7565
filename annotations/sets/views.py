"""Annotation sets: create (empty or as a copy), look at, change settings, reveal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from annotations.access import get_annotation_set_for_user
from annotations.models import AnnotationSet
from annotations.selectors import sets_for_member, tag_counts, themes_of
from annotations.services import (
    annotation_set_create,
    annotation_set_reveal,
    annotation_set_update,
    seminar_sets_reveal,
)
from annotations.sets.forms import AnnotationSetCreateForm, AnnotationSetSettingsForm
from config.http import HtmxHttpRequest
from readings.access import get_seminar_for_user
from readings.selectors import seminar_readings


@login_required
@require_http_methods(["GET", "POST"])
def set_create(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id)
    copyable = list(sets_for_member(access))
    initial = {"title": f"{request.user.get_username()}'s reading"}
    if access.is_instructor and not any(s.kind == AnnotationSet.Kind.KEY for s in copyable):
        # An instructor's first set in a seminar is almost always the key.
        initial = {"title": "Instructor key", "kind": AnnotationSet.Kind.KEY}
    form = AnnotationSetCreateForm(
        request.POST or None,
        copyable=copyable,
        is_instructor=access.is_instructor,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data.get("kind") or AnnotationSet.Kind.STUDENT
        annotation_set = annotation_set_create(
            seminar=access.seminar,
            owner=request.user,
            title=form.cleaned_data["title"],
            kind=kind,
            visibility=form.cleaned_data["visibility"],
            # Students work blind by default; an instructor's key is blind until revealed too.
            blind=True,
            copy_of=form.cleaned_data["start_from"],
        )
        messages.success(request, f"“{annotation_set.title}” is ready for tagging.")
        return redirect(annotation_set)
    return render(
        request,
        "annotations/set_create.html",
        {"form": form, "seminar": access.seminar, "access": access},
    )


@login_required
@vary_on_headers("HX-Request")
@require_GET
def set_detail(request: HtmxHttpRequest, seminar_id: int, set_id: int) -> HttpResponse:
    set_access = get_annotation_set_for_user(request.user, seminar_id, set_id)
    annotation_set = set_access.annotation_set
    readings = list(seminar_readings(annotation_set.seminar))
    themes = list(themes_of(seminar_id))
    counts = tag_counts(annotation_set)
    rows = [
        (theme, [counts.get((theme.pk, r.document_id), 0) for r in readings]) for theme in themes
    ]
    template = "annotations/set_detail.html"
    if request.htmx:
        template += "#set-summary"
    return render(
        request,
        template,
        {
            "annotation_set": annotation_set,
            "seminar": annotation_set.seminar,
            "set_access": set_access,
            "readings": readings,
            "rows": rows,
            "total": sum(counts.values()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def set_settings(request: HtmxHttpRequest, seminar_id: int, set_id: int) -> HttpResponse:
    set_access = get_annotation_set_for_user(request.user, seminar_id, set_id, manage=True)
    annotation_set = set_access.annotation_set
    is_instructor = set_access.access.is_instructor
    form = AnnotationSetSettingsForm(
        request.POST or None,
        is_instructor=is_instructor,
        initial={
            "title": annotation_set.title,
            "visibility": annotation_set.visibility,
            "blind": annotation_set.blind,
            "locked": annotation_set.locked,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        annotation_set_update(
            annotation_set=annotation_set,
            title=data["title"],
            visibility=data["visibility"],
            blind=data["blind"] if is_instructor else annotation_set.blind,
            locked=data["locked"] if is_instructor else annotation_set.locked,
        )
        messages.success(request, "The set's settings were saved.")
        return redirect(annotation_set)
    return render(
        request,
        "annotations/set_settings.html",
        {"form": form, "annotation_set": annotation_set, "seminar": annotation_set.seminar},
    )


@login_required
@require_POST
def set_reveal(request: HtmxHttpRequest, seminar_id: int, set_id: int) -> HttpResponse:
    get_seminar_for_user(request.user, seminar_id, manage=True)
    annotation_set = get_annotation_set_for_user(request.user, seminar_id, set_id).annotation_set
    reveal = request.POST.get("reveal", "1") != "0"
    annotation_set_reveal(annotation_set=annotation_set, revealed=reveal)
    if reveal:
        messages.success(request, f"“{annotation_set.title}” is now visible to the class.")
    else:
        messages.success(request, f"“{annotation_set.title}” is blind again.")
    return redirect(annotation_set)


@login_required
@require_POST
def seminar_reveal(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    seminar = get_seminar_for_user(request.user, seminar_id, manage=True).seminar
    count = seminar_sets_reveal(seminar=seminar)
    messages.success(
        request, f"Revealed {count} blind set{'s' if count != 1 else ''} to the class."
    )
    return redirect(reverse("readings:seminar", args=[seminar_id]) + "#sets")
