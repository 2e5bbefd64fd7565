from __future__ import annotations

import math
from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.exceptions import ValidationError

from accounts import throttle
from config.forms import CleanTextMixin

User = get_user_model()

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

    accounts/throttle.py decides: per account and address (or browser), with a wait that
    doubles; per account from unfamiliar places; per address for accounts new to it. While a
    wait holds, the password is not even checked. The address is REMOTE_ADDR; X-Forwarded-For
    counts only when COUNTERPOINT_TRUSTED_PROXY_COUNT says how many proxies of ours add to it.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "too_many_attempts": "Too many failed log-ins to this account from here. "
        "Try again in %(wait)s.",
        "too_many_unfamiliar": "Too many failed log-ins to this account from places it has "
        "not logged in from before. Try again in %(wait)s, or log in from a device or network "
        "you have used before.",
        "too_many_from_address": "Too many failed log-ins from your network. Try again in "
        "%(wait)s; accounts that have logged in from here before can log in as usual.",
    }
    refusal_codes = {
        "source": "too_many_attempts",
        "unfamiliar": "too_many_unfamiliar",
        "address": "too_many_from_address",
    }

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.retry_after = 0

    def clean(self) -> dict:
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password") or self.request is None:
            return super().clean()  # the missing field says what is wrong; nothing was tried
        attempt = throttle.login_attempt(self.request, username)
        refusal = throttle.login_refusal(attempt)
        if refusal is not None:
            self.retry_after = refusal.wait
            code = self.refusal_codes[refusal.reason]
            raise ValidationError(
                self.error_messages[code],
                code=code,
                params={"wait": minutes_phrase(refusal.wait)},
            )
        try:
            cleaned_data = super().clean()
        except ValidationError as error:
            # "inactive" means the password was right: only wrong passwords count.
            if error.code == "invalid_login":
                throttle.login_failed(attempt)
            raise
        throttle.login_succeeded(attempt)
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
