"""Seminars: create and run them, their readings, their members and how students join."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import throttle
from accounts.forms import SignUpForm, minutes_phrase
from accounts.ratelimit import Limit, attempt_failed, attempt_retry_after, client_ip
from accounts.services import user_sign_up
from config.http import HtmxHttpRequest, parse_id
from readings import services
from readings.access import SeminarAccess, get_seminar_for_user
from readings.forms import DueDateForm, JoinForm, SeminarForm
from readings.models import Document, Membership, Seminar, SeminarReading
from readings.selectors import (
    documents_addable_by,
    seminar_members,
    seminar_readings,
    seminars_for_user,
)
from readings.services import JoinRefused

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@login_required
@require_GET
def seminar_list(request: HtmxHttpRequest) -> HttpResponse:
    seminars = list(seminars_for_user(request.user))
    return render(
        request,
        "readings/seminar_list.html",
        {
            "seminars": [s for s in seminars if s.archived_at is None],
            "archived": [s for s in seminars if s.archived_at is not None],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def seminar_create(request: HtmxHttpRequest) -> HttpResponse:
    form = SeminarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        seminar = services.seminar_create(instructor=request.user, **form.cleaned_data)
        messages.success(request, f"“{seminar.title}” is ready. Add its readings, then its themes.")
        return redirect(seminar)
    return render(request, "readings/seminar_form.html", {"form": form, "seminar": None})


@login_required
@vary_on_headers("HX-Request")
@require_GET
def seminar_detail(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    return _render_seminar(request, get_seminar_for_user(request.user, seminar_id))


def _render_seminar(request: HtmxHttpRequest, access: SeminarAccess) -> HttpResponse:
    """The seminar page, or with htmx only its readings panel (after a change to them)."""
    seminar = access.seminar
    readings = list(seminar_readings(seminar))
    context = {
        "seminar": seminar,
        "access": access,
        "readings": readings,
    }
    for panels in settings.COUNTERPOINT_SEMINAR_PAGE_PANELS:
        context.update(import_string(panels)(access))
    if access.is_instructor:
        in_seminar = {reading.document_id for reading in readings}
        context["members"] = list(seminar_members(seminar))
        context["library"] = [
            d for d in documents_addable_by(request.user) if d.pk not in in_seminar
        ]
        if seminar.join_code:
            context["join_url"] = request.build_absolute_uri(
                reverse("readings:join_code", args=[seminar.join_code])
            )
    template = "readings/seminar_detail.html"
    if request.htmx:
        template += "#seminar-readings"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def seminar_edit(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    seminar = get_seminar_for_user(request.user, seminar_id, manage=True).seminar
    initial = {"title": seminar.title, "term": seminar.term, "description": seminar.description}
    form = SeminarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.seminar_update(seminar=seminar, **form.cleaned_data)
        messages.success(request, "The seminar was updated.")
        return redirect(seminar)
    return render(request, "readings/seminar_form.html", {"form": form, "seminar": seminar})


def _back_to_readings(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    """htmx gets the fresh readings panel; a plain form post is redirected to it."""
    if request.htmx:
        return _render_seminar(request, get_seminar_for_user(request.user, seminar_id))
    return redirect(reverse("readings:seminar", args=[seminar_id]) + "#readings")


@login_required
@require_POST
def seminar_reading_add(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    seminar = get_seminar_for_user(request.user, seminar_id, manage=True).seminar
    document_id = parse_id(request.POST.get("document", ""))
    # Any document that exists: the service decides, and one rule answers them all alike.
    document = Document.objects.filter(pk=document_id).first() if document_id is not None else None
    try:
        if document is None:
            raise services.NotYourReading()
        services.seminar_reading_add(seminar=seminar, document=document, by=request.user)
    except services.NotYourReading as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"“{document.title}” was added to the readings.")
    return _back_to_readings(request, seminar_id)


def _reading_of(request: HtmxHttpRequest, seminar_id: int, reading_id: int) -> SeminarReading:
    seminar = get_seminar_for_user(request.user, seminar_id, manage=True).seminar
    return get_object_or_404(
        SeminarReading.objects.select_related("document"), seminar=seminar, pk=reading_id
    )


@login_required
@require_POST
def seminar_reading_move(
    request: HtmxHttpRequest, seminar_id: int, reading_id: int
) -> HttpResponse:
    reading = _reading_of(request, seminar_id, reading_id)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.seminar_reading_move(reading=reading, offset=offset)
    return _back_to_readings(request, seminar_id)


@login_required
@require_POST
def seminar_reading_due(request: HtmxHttpRequest, seminar_id: int, reading_id: int) -> HttpResponse:
    """Set or clear (an empty date) when the class should have read a reading."""
    reading = _reading_of(request, seminar_id, reading_id)
    form = DueDateForm(request.POST)
    if form.is_valid():
        services.seminar_reading_due(reading=reading, due_date=form.cleaned_data["due_date"])
        due = form.cleaned_data["due_date"]
        messages.success(
            request,
            f"“{reading.document.title}” is due {due:%A %-d %B %Y}."
            if due
            else f"“{reading.document.title}” has no due date now.",
        )
    else:
        messages.error(request, "Nothing was changed: give the date as year-month-day.")
    return _back_to_readings(request, seminar_id)


@login_required
@require_POST
def seminar_reading_remove(
    request: HtmxHttpRequest, seminar_id: int, reading_id: int
) -> HttpResponse:
    reading = _reading_of(request, seminar_id, reading_id)
    services.seminar_reading_remove(reading=reading)
    messages.success(
        request,
        f"“{reading.document.title}” was removed from the readings; it stays in your library.",
    )
    return _back_to_readings(request, seminar_id)


@login_required
@require_POST
def seminar_join_code(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    seminar = get_seminar_for_user(request.user, seminar_id, manage=True).seminar
    if request.POST.get("action") == "close":
        services.seminar_join_close(seminar=seminar)
        messages.success(request, "Joining is closed. Members keep their access.")
    else:
        code = services.seminar_join_code_rotate(seminar=seminar)
        messages.success(request, f"The new join code is {code}. The old one no longer works.")
    return redirect(reverse("readings:seminar", args=[seminar_id]) + "#invite")


@login_required
@require_POST
def member_remove(request: HtmxHttpRequest, seminar_id: int, membership_id: int) -> HttpResponse:
    seminar = get_seminar_for_user(request.user, seminar_id, manage=True).seminar
    membership = get_object_or_404(
        Membership.objects.select_related("user"), seminar=seminar, pk=membership_id
    )
    try:
        removed = services.membership_remove(membership=membership, by=request.user)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        name = membership.user.get_username()
        if removed:
            messages.success(request, f"{name} left the seminar.")
        else:
            messages.info(request, f"{name} had already left the seminar.")
    return redirect(reverse("readings:seminar", args=[seminar_id]) + "#members")


# Wrong join codes, per account and per address: enough for typos, far too few to guess one of
# 32^8 codes (readings.services). Never cleared by a success, so joining one's own seminar
# does not buy another round of guesses.
JOIN_FAILURES_PER_USER = Limit(attempts=10, window=15 * 60)
JOIN_FAILURES_PER_IP = Limit(attempts=30, window=15 * 60)


def _join_limits(request: HtmxHttpRequest) -> list[tuple[str, Limit]]:
    ip = client_ip(request.META, trusted_proxies=settings.COUNTERPOINT_TRUSTED_PROXY_COUNT)
    limits = [(f"join:ip:{ip}", JOIN_FAILURES_PER_IP)]
    if request.user.is_authenticated:
        limits.append((f"join:user:{request.user.pk}", JOIN_FAILURES_PER_USER))
    return limits


def _arrive(request: HtmxHttpRequest, seminar: Seminar, joined: bool) -> HttpResponse:
    """Into the seminar: a student lands in the first reading of their own set, made now."""
    membership = Membership.objects.select_related("seminar", "user").get(
        seminar=seminar, user=cast("User", request.user)
    )
    if joined:
        messages.success(request, f"Welcome to “{seminar.title}”.")
    else:
        messages.info(request, f"You are already a member of “{seminar.title}”.")
    return redirect(import_string(settings.COUNTERPOINT_MEMBER_ARRIVAL)(membership))


def _too_many(request: HtmxHttpRequest, limits: list[tuple[str, Limit]]) -> int:
    return max(attempt_retry_after(key, limit) for key, limit in limits)


@require_http_methods(["GET", "POST"])
def join(request: HtmxHttpRequest, code: str = "") -> HttpResponse:
    """Joining in one step. With a code in the link, a visitor creates an account and joins in
    the same form (or logs in and comes back here); a member of the site presses Join. Either
    way a student lands in the first reading, ready to tag."""
    if not request.user.is_authenticated:
        if not code:
            return redirect_to_login(request.get_full_path())
        return _join_as_visitor(request, code)
    form = JoinForm(request.POST or None, initial={"code": code})
    seminar = services.seminar_for_code(code) if code else None
    if request.method == "POST" and form.is_valid():
        limits = _join_limits(request)
        retry_after = _too_many(request, limits)
        if retry_after:
            form.add_error(
                "code",
                f"Too many wrong join codes. Try again in {minutes_phrase(retry_after)}.",
            )
            response = render(request, "readings/join.html", {"form": form}, status=429)
            response["Retry-After"] = str(retry_after)
            return response
        try:
            seminar, joined = services.seminar_join(
                code=form.cleaned_data["code"], user=request.user
            )
        except JoinRefused as refused:
            for key, limit in limits:
                attempt_failed(key, limit)
            form.add_error("code", refused.message)
        else:
            return _arrive(request, seminar, joined)
    return render(request, "readings/join.html", {"form": form, "invited_to": seminar})


def _join_as_visitor(request: HtmxHttpRequest, code: str) -> HttpResponse:
    limits = _join_limits(request)
    seminar = services.seminar_for_code(code)
    if seminar is None:
        if request.method == "POST":
            for key, limit in limits:
                attempt_failed(key, limit)
        context = {"code": code, "refused": True, "next": request.path}
        return render(request, "readings/join_visitor.html", context, status=404)
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = user_sign_up(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        auth_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        seminar, joined = services.seminar_join(code=code, user=user)
        response = _arrive(request, seminar, joined)
        throttle.remember_login(request, response, user)
        return response
    context = {"seminar": seminar, "form": form, "code": code, "next": request.path}
    return render(request, "readings/join_visitor.html", context)
