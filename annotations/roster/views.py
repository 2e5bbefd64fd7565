"""The roster (instructors and teaching assistants): who is in the seminar and how far each
has got; adding people by name or from a roster file, one-time set-password links, roles,
removal, and the progress CSV for grading. Plus the page a set-password link opens."""

from __future__ import annotations

import smtplib
from datetime import date
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.forms import NewPasswordForm
from accounts.mail import reset_mail_can_be_sent
from annotations.roster import services
from annotations.roster.forms import AddPeopleForm, RemoveMemberForm, RoleForm, RosterImportForm
from annotations.roster.progress import progress_csv, roster_progress
from annotations.roster.rosterfile import parse_roster
from config.http import HtmxHttpRequest
from readings.access import SeminarAccess, get_seminar_for_user
from readings.importing.errors import ImportRejected
from readings.models import Membership, Seminar
from readings.selectors import seminar_readings

TEMPLATE = "annotations/roster.html"


def _member(access: SeminarAccess, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"), seminar=access.seminar, pk=membership_id
    )


def _render(
    request: HtmxHttpRequest, access: SeminarAccess, *, status: int = 200, **extra
) -> HttpResponse:
    readings = list(seminar_readings(access.seminar))
    context = {
        "seminar": access.seminar,
        "access": access,
        "readings": readings,
        "members": roster_progress(access.seminar, readings),
        "add_form": extra.pop("add_form", None) or AddPeopleForm(),
        "import_form": extra.pop("import_form", None) or RosterImportForm(),
        "role_choices": RoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
        "mail_configured": reset_mail_can_be_sent(),
        **extra,
    }
    template = TEMPLATE + ("#roster-result" if request.htmx and "links" in extra else "")
    if request.htmx and "links" not in extra:
        template = TEMPLATE + "#roster-table"
    return render(request, template, context, status=status)


@login_required
@vary_on_headers("HX-Request")
@require_GET
def roster(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    return _render(request, get_seminar_for_user(request.user, seminar_id, manage=True))


@login_required
@require_GET
def roster_csv(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    readings = list(seminar_readings(access.seminar))
    data = progress_csv(roster_progress(access.seminar, readings), readings)
    name = f"{slugify(access.seminar.title) or 'seminar'}-progress-{date.today():%Y-%m-%d}.csv"
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _links(request: HtmxHttpRequest, seminar: Seminar, people: list[User]) -> list[dict]:
    """A one-time link per person, e-mailed to them where this server can send mail."""
    mail = reset_mail_can_be_sent()
    links = []
    for user in people:
        url = request.build_absolute_uri(services.set_password_path(seminar=seminar, user=user))
        sent = False
        if mail and user.email:
            try:
                sent = bool(
                    send_mail(
                        f"Your account for “{seminar.title}”",
                        f"Hello {user.get_full_name() or user.get_username()},\n\n"
                        f"Your instructor added you to “{seminar.title}” on Counterpoint. Your "
                        f"username is {user.get_username()}. Choose your password here (the "
                        f"link works once):\n\n{url}\n",
                        None,
                        [user.email],
                    )
                )
            except (OSError, smtplib.SMTPException):
                # The link is on the page either way; the table says it was not mailed.
                sent = False
        links.append({"user": user, "url": url, "mailed": sent})
    return links


@login_required
@require_POST
def roster_add(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    form = AddPeopleForm(request.POST)
    if not form.is_valid():
        return _render(request, access, add_form=form)
    report = services.roster_add_people(seminar=access.seminar, names=form.cleaned_data["names"])
    if report.added:
        names = ", ".join(u.get_username() for u in report.added)
        messages.success(request, f"Added {len(report.added)}: {names}.")
    if report.already:
        names = ", ".join(u.get_username() for u in report.already)
        messages.info(request, f"Already members: {names}.")
    if report.unknown:
        messages.error(
            request,
            "No account has these names or addresses (import a roster file to create "
            f"accounts): {', '.join(report.unknown[:50])}.",
        )
    return redirect(reverse("annotations:roster", args=[seminar_id]) + "#members")


@login_required
@vary_on_headers("HX-Request")
@require_POST
def roster_import(request: HtmxHttpRequest, seminar_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    form = RosterImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, access, import_form=form, links=[])
    try:
        parsed = parse_roster(form.cleaned_data["file"].read())
    except ImportRejected as error:
        form.add_error("file", error.message)
        return _render(request, access, import_form=form, links=[])
    report = services.roster_import(seminar=access.seminar, rows=parsed.rows)
    # The links are shown once, in this answer, never stored: reloading does not show them again.
    return _render(
        request,
        access,
        links=_links(request, access.seminar, report.created),
        report=report,
        problems=[*parsed.problems, *report.problems],
    )


@login_required
@vary_on_headers("HX-Request")
@require_POST
def member_password(request: HtmxHttpRequest, seminar_id: int, membership_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    membership = _member(access, membership_id)
    user = membership.user
    if not services.may_set_password_of(user=user, by=cast("User", request.user)):
        messages.error(
            request,
            f"{user.get_username()}'s password cannot be reset here: they teach a seminar or "
            "belong to one you do not teach. They can reset it themselves, or ask the "
            "server's administrator.",
        )
        return redirect(reverse("annotations:roster", args=[seminar_id]) + "#members")
    services.member_password_reset(user=user)
    return _render(request, access, links=_links(request, access.seminar, [user]), reset=True)


@login_required
@require_POST
def member_role(request: HtmxHttpRequest, seminar_id: int, membership_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, lead=True)
    membership = _member(access, membership_id)
    form = RoleForm(request.POST)
    try:
        if not form.is_valid():
            raise PermissionDenied("Choose student or teaching assistant.")
        services.member_role_set(
            membership=membership, role=form.cleaned_data["role"], by=cast("User", request.user)
        )
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            f"{membership.user.get_username()} is now a {membership.get_role_display().lower()}.",
        )
    return redirect(reverse("annotations:roster", args=[seminar_id]) + "#members")


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HtmxHttpRequest, seminar_id: int, membership_id: int) -> HttpResponse:
    access = get_seminar_for_user(request.user, seminar_id, manage=True)
    membership = _member(access, membership_id)
    form = RemoveMemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            removed, deleted = services.member_remove(
                membership=membership,
                by=cast("User", request.user),
                delete_sets=form.cleaned_data["sets"] == "delete",
            )
        except PermissionDenied as refused:
            messages.error(request, str(refused))
        else:
            name = membership.user.get_username()
            if not removed:
                messages.info(request, f"{name} had already left the seminar.")
            elif form.cleaned_data["sets"] == "delete":
                messages.success(
                    request, f"{name} left the seminar; their sets and {deleted} tags were deleted."
                )
            else:
                messages.success(request, f"{name} left the seminar; their sets are kept.")
        return redirect(reverse("annotations:roster", args=[seminar_id]) + "#members")
    return render(
        request,
        "annotations/roster_remove.html",
        {
            "seminar": access.seminar,
            "access": access,
            "membership": membership,
            "sets": services.member_sets(membership),
            "form": form,
        },
    )


class WelcomeView(auth_views.PasswordResetConfirmView):
    """A set-password link from the roster: choose a password, and land in the seminar's first
    reading in one's own set, logged in. The link works once (Django's reset token)."""

    form_class = NewPasswordForm
    post_reset_login = True
    post_reset_login_backend = settings.AUTHENTICATION_BACKENDS[0]
    template_name = "annotations/roster_welcome.html"

    def get_success_url(self) -> str:
        membership = Membership.objects.filter(
            seminar_id=self.kwargs["seminar_id"], user=self.user
        ).first()
        if membership is None:
            return reverse("readings:seminar_list")
        return services.arrival_url(membership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["seminar"] = Seminar.objects.filter(pk=self.kwargs["seminar_id"]).first()
        return context


welcome = WelcomeView.as_view()
