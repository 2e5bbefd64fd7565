"""Annotation sets: create (empty or as a copy), look at, change settings, reveal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from annotations.access import get_annotation_set_for_user
from annotations.models import AnnotationSet
from annotations.selectors import sets_for_member, tag_counts, themes_of
from annotations.services import (
    annotation_set_archive,
    annotation_set_create,
    annotation_set_delete,
    annotation_set_reveal,
    annotation_set_update,
    seminar_sets_reveal,
)
from annotations.sets.forms import AnnotationSetCreateForm, AnnotationSetSettingsForm
from config.http import HtmxHttpRequest
from readings.access import get_seminar_for_user
from readings.models import Membership
from readings.selectors import seminar_readings


@login_required
@require_http_methods(["GET", "POST"])
def set_create(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id)
    copyable = list(sets_for_member(access))
    has_student_work = AnnotationSet.objects.filter(
        seminar=access.seminar, owner_id=request.user.pk, kind=AnnotationSet.Kind.STUDENT
    ).exists()
    initial = {"title": f"{request.user.get_username()}'s reading"}
    if access.is_instructor and not any(s.kind == AnnotationSet.Kind.KEY for s in copyable):
        # An instructor's first set in a seminar is almost always the key.
        initial = {"title": "Instructor key", "kind": AnnotationSet.Kind.KEY}
    form = AnnotationSetCreateForm(
        request.POST or None,
        copyable=copyable,
        is_instructor=access.is_instructor,
        has_student_work=has_student_work,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data.get("kind")
        if kind is None:
            # A student's first empty set is their work; a copy, or a second set, a reference.
            fresh = not has_student_work and form.cleaned_data["start_from"] is None
            kind = AnnotationSet.Kind.STUDENT if fresh else AnnotationSet.Kind.REFERENCE
        try:
            annotation_set = annotation_set_create(
                seminar=access.seminar,
                owner=request.user,
                title=form.cleaned_data["title"],
                kind=kind,
                visibility=form.cleaned_data["visibility"],
                # Students work blind by default; an instructor's key is blind until revealed.
                blind=True,
                copy_of=form.cleaned_data["start_from"],
            )
        except IntegrityError:
            # The set made on joining, by a request that ran meanwhile.
            form.add_error(None, "You have a student-work set in this seminar already.")
        else:
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
        student_work_taken=AnnotationSet.objects.filter(
            seminar_id=seminar_id, owner_id=annotation_set.owner_id, kind=AnnotationSet.Kind.STUDENT
        )
        .exclude(pk=annotation_set.pk)
        .exists(),
        initial={
            "title": annotation_set.title,
            "visibility": annotation_set.visibility,
            "blind": annotation_set.blind,
            "locked": annotation_set.locked,
            "kind": annotation_set.kind,
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
            kind=(data["kind"] or annotation_set.kind) if is_instructor else annotation_set.kind,
        )
        messages.success(request, "The set's settings were saved.")
        return redirect(annotation_set)
    return render(
        request,
        "annotations/set_settings.html",
        {
            "form": form,
            "annotation_set": annotation_set,
            "seminar": annotation_set.seminar,
            "set_access": set_access,
            "tag_count": annotation_set.tags.count(),
        },
    )


@login_required
@require_POST
def set_archive(request: HtmxHttpRequest, seminar_id: int, set_id: int) -> HttpResponse:
    """Archive a set (off the lists and out of every count, read-only) or bring it back."""
    get_seminar_for_user(request.user, seminar_id, manage=True)
    annotation_set = get_annotation_set_for_user(request.user, seminar_id, set_id).annotation_set
    archive = request.POST.get("archive", "1") != "0"
    annotation_set_archive(annotation_set=annotation_set, archived=archive)
    if archive:
        messages.success(
            request,
            f"“{annotation_set.title}” is archived: it is out of the lists and counts, and "
            "its tags are kept.",
        )
    else:
        messages.success(request, f"“{annotation_set.title}” is back.")
    return redirect(annotation_set)


@login_required
@require_http_methods(["GET", "POST"])
def set_delete(request: HtmxHttpRequest, seminar_id: int, set_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    annotation_set = get_annotation_set_for_user(request.user, seminar_id, set_id).annotation_set
    tag_count = annotation_set.tags.count()
    if request.method == "POST":
        if request.POST.get("confirm") == str(annotation_set.pk):
            deleted = annotation_set_delete(annotation_set=annotation_set)
            messages.success(
                request,
                f"“{annotation_set.title}” was deleted with its {deleted} "
                f"tag{'s' if deleted != 1 else ''}.",
            )
            return redirect(reverse("readings:seminar", args=[seminar_id]) + "#sets")
        messages.error(request, "Nothing was deleted: confirm with the button on this page.")
    return render(
        request,
        "annotations/set_delete.html",
        {
            "annotation_set": annotation_set,
            "seminar": access.seminar,
            "access": access,
            "tag_count": tag_count,
            "summary_count": annotation_set.summaries.count(),
        },
    )


def _reveal_facts(access) -> dict:
    seminar = access.seminar
    blind = AnnotationSet.objects.filter(
        seminar=seminar, blind=True, revealed_at__isnull=True, archived_at__isnull=True
    )
    students = Membership.objects.filter(seminar=seminar, role=Membership.Role.STUDENT).count()
    return {
        "seminar": seminar,
        "access": access,
        "student_sets": blind.filter(kind=AnnotationSet.Kind.STUDENT).select_related("owner"),
        "key_sets": blind.filter(kind=AnnotationSet.Kind.KEY),
        "reference_sets": blind.filter(kind=AnnotationSet.Kind.REFERENCE),
        "student_count": students,
    }


@login_required
@require_http_methods(["GET", "POST"])
def set_reveal(request: HtmxHttpRequest, seminar_id: int, set_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    annotation_set = get_annotation_set_for_user(request.user, seminar_id, set_id).annotation_set
    if request.method == "GET":
        students = Membership.objects.filter(
            seminar=access.seminar, role=Membership.Role.STUDENT
        ).count()
        return render(
            request,
            "annotations/set_reveal.html",
            {
                "annotation_set": annotation_set,
                "seminar": access.seminar,
                "access": access,
                "student_count": students,
            },
        )
    reveal = request.POST.get("reveal", "1") != "0"
    annotation_set_reveal(annotation_set=annotation_set, revealed=reveal)
    if reveal:
        messages.success(request, f"“{annotation_set.title}” is now visible to the class.")
    else:
        messages.success(request, f"“{annotation_set.title}” is blind again.")
    return redirect(annotation_set)


@login_required
@require_http_methods(["GET", "POST"])
def seminar_reveal(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    """What revealing shows to whom, then the reveal: the students' work, or the key, each on
    its own (the key never goes with the students' work)."""
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    if request.method == "GET":
        return render(request, "annotations/seminar_reveal.html", _reveal_facts(access))
    what = request.POST.get("what", "")
    if what not in ("students", "key"):
        messages.error(request, "Nothing was revealed: choose the students' work or the key.")
        return redirect(reverse("annotations:seminar_reveal", args=[seminar_id]))
    kind = AnnotationSet.Kind.KEY if what == "key" else AnnotationSet.Kind.STUDENT
    count = seminar_sets_reveal(seminar=access.seminar, kind=kind)
    noun = "instructor key" if what == "key" else "student set"
    messages.success(request, f"Revealed {count} {noun}{'s' if count != 1 else ''} to the class.")
    return redirect(reverse("readings:seminar", args=[seminar_id]) + "#sets")
