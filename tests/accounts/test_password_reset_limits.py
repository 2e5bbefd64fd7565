"""Password-reset requests are limited per address and per account (issue 19, item 6).

Per account, so nobody can fill a person's inbox; per address, so nobody can send mail to
every address they can think of. Known and unknown e-mail addresses count alike, so the
limit says nothing about which accounts exist. A refusal says how long to wait, and is logged.
"""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.test import Client, override_settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
SENT = "/accounts/password/reset/sent/"
ACCOUNT_WAIT = "A reset link was sent to this address a short while ago"
NETWORK_WAIT = "Too many password-reset requests from your network. Try again in"
HEADERS = [pytest.param({}, id="plain"), pytest.param({"HX-Request": "true"}, id="htmx")]


def ask(address: str, email: str, **kwargs):
    return Client(REMOTE_ADDR=address).post(RESET, {"email": email}, **kwargs)


@pytest.mark.parametrize("headers", HEADERS)
def test_a_fourth_reset_for_one_account_within_the_hour_is_refused(headers) -> None:
    UserFactory(username="ines", email="ines@example.org")
    for n in range(3):
        sent = ask(f"198.51.100.{n + 1}", "ines@example.org", headers=headers)
        assert sent.status_code in {200, 302}
        assert (sent.get("Location") or sent.get("HX-Redirect")) == SENT
    refused = ask("198.51.100.9", "INES@example.org", headers=headers)
    body = refused.content.decode()
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert ACCOUNT_WAIT in body and "use the newest e-mail, or ask again in" in body
    assert len(mail.outbox) == 3


def test_unknown_addresses_count_alike_so_the_limit_reveals_no_account() -> None:
    for n in range(3):
        assert ask(f"198.51.100.{n + 1}", "nobody@example.org").status_code == 302
    refused = ask("198.51.100.9", "nobody@example.org")
    assert refused.status_code == 429 and ACCOUNT_WAIT in refused.content.decode()
    assert mail.outbox == []


@override_settings(COUNTERPOINT_PASSWORD_RESETS_PER_ADDRESS=5)
@pytest.mark.parametrize("headers", HEADERS)
def test_reset_requests_from_one_address_are_limited_across_accounts(headers) -> None:
    UserFactory(username="sam", email="sam@example.org")
    for n in range(5):
        assert ask("192.0.2.10", f"someone{n}@example.org", headers=headers).status_code in {
            200,
            302,
        }
    refused = ask("192.0.2.10", "sam@example.org", headers=headers)
    assert refused.status_code == 429
    assert NETWORK_WAIT in refused.content.decode()
    assert mail.outbox == []
    elsewhere = ask("203.0.113.5", "sam@example.org")
    assert elsewhere.status_code == 302 and elsewhere["Location"] == SENT
    assert len(mail.outbox) == 1


def test_the_address_limit_is_high_enough_for_a_class_behind_one_address() -> None:
    for n in range(30):
        UserFactory(username=f"student{n}", email=f"student{n}@example.org")
        assert ask("192.0.2.10", f"student{n}@example.org").status_code == 302
    assert len(mail.outbox) == 30


def test_refused_reset_requests_are_logged_with_account_and_address(caplog) -> None:
    caplog.set_level(logging.WARNING, logger="accounts.lockout")
    for n in range(4):
        ask(f"198.51.100.{n + 1}", "ines@example.org")
    messages = [r.getMessage() for r in caplog.records if r.name == "accounts.lockout"]
    assert len(messages) == 1, messages
    assert "password reset" in messages[0] and "'ines@example.org'" in messages[0]
    assert "198.51.100.4" in messages[0]
