"""A server that cannot send e-mail says so on the password-reset pages, instead of "sent", and
sends people to their instructor."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client, override_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
ROOT = Path(__file__).resolve().parents[2]
NO_SMTP_HOST = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}}
DUMMY = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


@override_settings(MAILERS=NO_SMTP_HOST)
def test_the_reset_page_says_no_mail_can_be_sent_and_to_ask_the_instructor(client: Client) -> None:
    response = client.get(RESET)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This server cannot send e-mail" in page
    assert "Ask your instructor to reset your password" in page
    assert 'type="email"' not in page  # no form that would pretend to send a link


@override_settings(MAILERS=DUMMY)
def test_asking_anyway_lands_on_a_page_that_says_nothing_was_sent(client: Client) -> None:
    UserFactory(username="ines", email="ines@example.org")
    response = client.post(RESET, {"email": "ines@example.org"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "No e-mail was sent" in page and "Check your inbox" not in page
    assert "Ask your instructor to reset your password" in page
    assert mail.outbox == []


def test_with_a_mailer_the_reset_page_offers_the_link(client: Client) -> None:
    response = client.get(RESET)
    assert response.status_code == 200
    assert 'type="email"' in response.content.decode()
    assert "cannot send e-mail" not in response.content.decode()


def _can_mail_in_production(**extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_ALLOW"))}
    env.update(
        DEBUG="0",
        SECRET_KEY="production-like-" + "s3cret" * 10,
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="config.settings",
        **extra,
    )
    code = (
        "import django; django.setup(); "
        "from accounts.mail import reset_mail_can_be_sent; print(reset_mail_can_be_sent())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_production_without_an_smtp_host_knows_it_cannot_send_mail() -> None:
    assert _can_mail_in_production() == "False"
    assert _can_mail_in_production(EMAIL_HOST="smtp.example.org") == "True"
    assert (
        _can_mail_in_production(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
        == "True"
    )
