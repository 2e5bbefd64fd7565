from __future__ import annotations

import math
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.exceptions import ValidationError

from accounts.ratelimit import (
    Limit,
    attempt_failed,
    attempt_retry_after,
    attempts_clear,
    client_ip,
)
from config.forms import CleanTextMixin

User = get_user_model()

LOGIN_FAILURES_PER_USERNAME = Limit(attempts=5, window=15 * 60)
LOGIN_FAILURES_PER_IP = Limit(attempts=20, window=15 * 60)
USERNAME_HELP = (
    "Up to 150 letters, digits and @ . + - _ characters. People in your seminars see it."
)


def password_help_text() -> str:
    # Django's own help text is a <ul>, which cannot sit in the <p> of _field.html.
    return " ".join(password_validation.password_validators_help_texts())


def minutes_phrase(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


if TYPE_CHECKING:
    _FormBase = forms.BaseForm  # what the mixin is mixed into, for the type checker only
else:
    _FormBase = object


class FocusFirstErrorMixin(_FormBase):
    """After a failed submission, the cursor goes to the first field in error."""

    def full_clean(self) -> None:
        super().full_clean()
        invalid = [name for name in self.fields if name in self.errors]
        if invalid:
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)
            self.fields[invalid[0]].widget.attrs["autofocus"] = True


class LoginForm(CleanTextMixin, AuthenticationForm):
    """Django's log-in form, refusing attempts for a while after too many failures.

    Failures are counted per username (case-insensitive) and per client address; once either
    limit is reached the password is not even checked. A successful log-in clears the count for
    the username only, so an attacker cannot reset their address's count with an account of
    their own. The address is REMOTE_ADDR; X-Forwarded-For counts only when the setting
    COUNTERPOINT_TRUSTED_PROXY_COUNT says how many proxies of ours add to it (see client_ip).
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "too_many_attempts": "Too many failed log-in attempts. Try again in %(wait)s.",
    }

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.retry_after = 0

    def _limits(self, username: str) -> list[tuple[str, Limit]]:
        limits = [(f"login:username:{username.casefold()}", LOGIN_FAILURES_PER_USERNAME)]
        if self.request is not None:
            ip = client_ip(
                self.request.META,
                trusted_proxies=settings.COUNTERPOINT_TRUSTED_PROXY_COUNT,
            )
            limits.append((f"login:ip:{ip}", LOGIN_FAILURES_PER_IP))
        return limits

    def clean(self) -> dict:
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()  # the missing field says what is wrong; nothing was tried
        limits = self._limits(username)
        self.retry_after = max(attempt_retry_after(key, limit) for key, limit in limits)
        if self.retry_after:
            raise ValidationError(
                self.error_messages["too_many_attempts"],
                code="too_many_attempts",
                params={"wait": minutes_phrase(self.retry_after)},
            )
        try:
            cleaned_data = super().clean()
        except ValidationError as error:
            # "inactive" means the password was right: only wrong passwords count.
            if error.code == "invalid_login":
                for key, limit in limits:
                    attempt_failed(key, limit)
            raise
        attempts_clear(limits[0][0])
        return cleaned_data


class SignUpForm(CleanTextMixin, FocusFirstErrorMixin, UserCreationForm):
    email = forms.EmailField(
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Used only to send you a link if you forget your password.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = USERNAME_HELP
        self.fields["password1"].help_text = password_help_text()

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "An account with this email address already exists. Log in, or reset the "
                "password if you have forgotten it.",
                code="email_taken",
            )
        return email


class NewPasswordForm(CleanTextMixin, FocusFirstErrorMixin, SetPasswordForm):
    """Setting a password after following a reset link."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_help_text()
        self.fields["new_password1"].widget.attrs["autofocus"] = True


class ChangePasswordForm(CleanTextMixin, FocusFirstErrorMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_help_text()


class ResetPasswordForm(CleanTextMixin, PasswordResetForm):
    """Django's reset request, with its address cleaned as every text field is."""
