"""A seminar's end of term: archive or restore it, delete it, copy it for a new term.
Archiving and deleting are an instructor's (a teaching assistant runs the seminar, but does not
end it); anyone who teaches it may copy it, taking only the readings they may add."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from annotations.lifecycle import services
from annotations.lifecycle.forms import SeminarCopyForm
from config.http import HtmxHttpRequest
from readings.access import get_seminar_for_user
from readings.services import seminar_delete as delete_seminar


@login_required
@require_POST
def seminar_archive(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, lead=True)
    archive = request.POST.get("archive", "1") != "0"
    services.seminar_archive(seminar=access.seminar, archived=archive)
    if archive:
        messages.success(
            request,
            f"“{access.seminar.title}” is archived: read-only and off your list of seminars. "
            "Restore it from its page.",
        )
        return redirect("readings:seminar_list")
    messages.success(request, f"“{access.seminar.title}” is restored.")
    return redirect(access.seminar)


@login_required
@require_http_methods(["GET", "POST"])
def seminar_delete(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, lead=True)
    seminar = access.seminar
    if request.method == "POST":
        if request.POST.get("confirm") == str(seminar.pk):
            title = seminar.title
            delete_seminar(seminar=seminar)
            messages.success(
                request, f"“{title}” was deleted. Its readings stay in their owners' libraries."
            )
            return redirect("readings:seminar_list")
        messages.error(request, "Nothing was deleted: confirm with the button on this page.")
    return render(
        request,
        "annotations/seminar_delete.html",
        {"seminar": seminar, "access": access, "contents": services.seminar_contents(seminar)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def seminar_copy(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    seminar = access.seminar
    form = SeminarCopyForm(
        request.POST if request.method == "POST" else None,
        initial={"title": seminar.title, "term": ""},
    )
    if request.method == "POST" and form.is_valid():
        copy, plan = services.seminar_copy(
            seminar=seminar,
            by=request.user,
            title=form.cleaned_data["title"],
            term=form.cleaned_data["term"],
        )
        messages.success(
            request,
            f"“{copy.title}” is ready with {len(plan.readings)} reading"
            f"{'s' if len(plan.readings) != 1 else ''} and {len(plan.themes)} theme"
            f"{'s' if len(plan.themes) != 1 else ''}. Share its join link with the new class.",
        )
        return redirect(reverse("readings:seminar", args=[copy.pk]))
    return render(
        request,
        "annotations/seminar_copy.html",
        {
            "seminar": seminar,
            "access": access,
            "form": form,
            "plan": services.seminar_copy_plan(seminar=seminar, by=request.user),
        },
    )
