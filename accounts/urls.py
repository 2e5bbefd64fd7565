from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.functional import lazy

from accounts import views
from accounts.forms import ChangePasswordForm, NewPasswordForm, ResetPasswordForm

# Lazy: read from settings each time a page or mail is rendered, not once at import.
lifetime = {"reset_link_lifetime": lazy(views.reset_link_lifetime, str)()}

# Django's own names (`login`, `password_reset_confirm`, ...), not namespaced, so that
# @login_required, LOGIN_URL and the password-reset machinery find them.
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.full_page(auth_views.LogoutView.as_view()), name="logout"),
    path("signup/", views.signup, name="signup"),
    path(
        "password/change/",
        views.full_page(auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm)),
        name="password_change",
    ),
    path(
        "password/change/done/",
        views.full_page(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        views.full_page(
            views.PasswordResetView.as_view(
                form_class=ResetPasswordForm,
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
                extra_email_context=lifetime,
                extra_context=lifetime,
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        views.full_page(auth_views.PasswordResetDoneView.as_view(extra_context=lifetime)),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.full_page(
            auth_views.PasswordResetConfirmView.as_view(
                form_class=NewPasswordForm, extra_context=lifetime
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views.full_page(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
