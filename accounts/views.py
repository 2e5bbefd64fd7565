"""Sign-up and log-in; the password views are Django's own, wired up in accounts/urls.py.

Account pages are whole pages, never htmx fragments: logging in or out changes the header,
password managers work best with a real form submission, and htmx 2 does not swap the 429 of a
refused log-in. An htmx request that reaches one of them (usually an
expired session sent here by @login_required in the middle of tagging) is told to load the page
in full instead, see `full_page`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.http.response import HttpResponseRedirectBase as Redirect
from django.shortcuts import render, resolve_url
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from accounts import throttle
from accounts.forms import LoginForm, SignUpForm, minutes_phrase
from accounts.services import user_sign_up
from config.http import HtmxHttpRequest

View = Callable[..., HttpResponseBase]


def full_page(view: View) -> View:
    """Answer htmx requests with a full page load (HX-Redirect) instead of a fragment."""

    @wraps(view)
    def wrapped(request: HtmxHttpRequest, *args, **kwargs) -> HttpResponseBase:
        # Boosted links and history restores already expect a whole page.
        htmx = request.htmx
        swap = htmx and not htmx.boosted and not htmx.history_restore_request
        if swap and request.method == "GET":
            response: HttpResponseBase = HttpResponseClientRedirect(_page_url(request))
        else:
            response = view(request, *args, **kwargs)
            if swap and isinstance(response, Redirect):
                redirect = HttpResponseClientRedirect(response["Location"])
                redirect.cookies = response.cookies  # the device cookie of a log-in
                response = redirect
        patch_vary_headers(response, ("HX-Request",))
        return response

    return wrapped


def _page_url(request: HtmxHttpRequest) -> str:
    """This page's URL; coming back to the page the person is on, rather than to the fragment
    URL that @login_required put in `next`."""
    query = request.GET.copy()
    if "next" in query and request.htmx.current_url_abs_path:
        query["next"] = request.htmx.current_url_abs_path
    return request.path + (f"?{query.urlencode(safe='/')}" if query else "")


def reset_link_lifetime() -> str:
    """PASSWORD_RESET_TIMEOUT in words, for the reset e-mail and the pages around it."""
    seconds = settings.PASSWORD_RESET_TIMEOUT
    count, unit = math.ceil(seconds / 60), "minute"
    for size, name in ((86400, "day"), (3600, "hour")):
        if seconds >= size and seconds % size == 0:
            count, unit = seconds // size, name
            break
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _next_url(request: HtmxHttpRequest) -> str:
    """The `next` the request carries, when it is a page of this site; otherwise ''."""
    next_url = request.POST.get("next", request.GET.get("next", ""))
    if next_url == request.path:
        return ""
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return next_url if safe else ""


def _redirect_onwards(request: HtmxHttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(_next_url(request) or resolve_url(settings.LOGIN_REDIRECT_URL))


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
@full_page
def login(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return _redirect_onwards(request)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        auth_login(request, form.get_user())
        onwards = _redirect_onwards(request)
        throttle.remember_login(request, onwards, form.get_user())
        return onwards
    context = {"form": form, "next": _next_url(request)}
    if form.retry_after:
        # 429 tells scripts to back off; people read the message in the form.
        response = render(request, "registration/login.html", context, status=429)
        response["Retry-After"] = str(form.retry_after)
        return response
    return render(request, "registration/login.html", context)


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
@full_page
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return _redirect_onwards(request)
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = user_sign_up(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        auth_login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(
            request, f"Welcome to Counterpoint, {user.get_username()}. Your account is ready."
        )
        response = _redirect_onwards(request)
        throttle.remember_login(request, response, user)
        return response
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request)})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with requests limited per address and per e-mail address typed
    (accounts/throttle.py); a refusal is the form again with how long to wait, and a 429."""

    refusal_messages = {
        "address": "Too many password-reset requests from your network. Try again in {wait}.",
        "account": "A reset link was sent to this address a short while ago: use the newest "
        "e-mail, or ask again in {wait}.",
    }

    def form_valid(self, form):
        refusal = throttle.password_reset_refusal(self.request, form.cleaned_data["email"])
        if refusal is None:
            return super().form_valid(form)
        wait = minutes_phrase(refusal.wait)
        form.add_error("email", self.refusal_messages[refusal.reason].format(wait=wait))
        response = self.form_invalid(form)
        response.status_code = 429
        response["Retry-After"] = str(refusal.wait)
        return response
