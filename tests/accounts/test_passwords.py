from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.http import HttpResponse
from django.test import Client, override_settings

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CHANGE = "/accounts/password/change/"
RESET = "/accounts/password/reset/"
NEW_PASSWORD = "counterpoint against the grain"


@pytest.fixture
def ines(db):
    return UserFactory(username="ines", email="ines@example.org")


def can_log_in(username: str, password: str) -> bool:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302 and SESSION_KEY in client.session


# Password change


def test_password_change_needs_a_log_in(client: Client) -> None:
    for path in (CHANGE, CHANGE + "done/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={path}"
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": "x", "new_password2": "x"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_change_page_asks_for_the_current_and_a_new_password(ines, client) -> None:
    client.force_login(ines)
    body = client.get(CHANGE).content.decode()
    assert 'autocomplete="current-password"' in body
    assert body.count('autocomplete="new-password"') == 2
    assert 'name="username" value="ines" autocomplete="username" hidden' in body


def test_htmx_request_for_the_password_change_page_loads_it_in_full(ines, client) -> None:
    client.force_login(ines)
    response = client.get(CHANGE, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == CHANGE
    assert response.content == b""


def test_password_change_sets_the_new_password_and_keeps_this_session(ines, client) -> None:
    client.force_login(ines)
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == CHANGE + "done/"
    done = client.get(response["Location"])
    assert "Password changed" in done.content.decode()
    assert client.session[SESSION_KEY] == str(ines.pk)
    assert can_log_in("ines", NEW_PASSWORD)
    assert not can_log_in("ines", PASSWORD)


def test_htmx_password_change_redirects_the_whole_page(ines, client) -> None:
    client.force_login(ines)
    response = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Redirect"] == CHANGE + "done/"
    assert can_log_in("ines", NEW_PASSWORD)


def test_password_change_with_a_wrong_current_password_changes_nothing(ines, client) -> None:
    client.force_login(ines)
    response = client.post(
        CHANGE,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    assert can_log_in("ines", PASSWORD)


def test_password_change_refuses_a_weak_password(ines, client) -> None:
    client.force_login(ines)
    response = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert "This password is too common." in response.content.decode()
    assert can_log_in("ines", PASSWORD)


# Password reset


def test_reset_page_asks_for_the_email(client: Client) -> None:
    response = client.get(RESET)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'type="email"' in body and 'autocomplete="email"' in body
    assert "for 3 days" in body


def test_htmx_request_for_the_reset_page_loads_it_in_full(client: Client) -> None:
    response = client.get(RESET, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == RESET


def reset_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_reset_mails_one_working_link_for_a_known_email(ines, client: Client) -> None:
    response = client.post(RESET, {"email": "Ines@Example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ines@example.org"]
    assert message.subject == "Reset your Counterpoint password"
    assert "Counterpoint is where your seminar reads its texts against each other" in message.body
    assert "expires in 3 days" in message.body
    assert "Your username, in case you have forgotten it: ines" in message.body
    assert "&" not in message.body  # plain text, not HTML-escaped

    # The link swaps its token for a session, then asks for the new password.
    confirm = client.get(reset_link(message))
    assert confirm.status_code == 302
    assert confirm["Location"].endswith("/set-password/")
    form_page = client.get(confirm["Location"]).content.decode()
    assert "Choose a new password" in form_page
    assert form_page.count('autocomplete="new-password"') == 2
    done = client.post(
        confirm["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == "/accounts/password/reset/done/"
    assert "Password set" in client.get(done["Location"]).content.decode()

    assert can_log_in("ines", NEW_PASSWORD)
    assert not can_log_in("ines", PASSWORD)
    # The link works once.
    used = client.get(reset_link(message)).content.decode()
    assert "This reset link no longer works" in used


def main_of(response: HttpResponse) -> str:
    # The rest of the page differs by its CSP nonce and CSRF token alone.
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def test_reset_for_an_unknown_email_sends_nothing_but_looks_the_same(ines, client) -> None:
    known = client.post(RESET, {"email": "ines@example.org"}, follow=True)
    mail.outbox.clear()
    unknown = client.post(RESET, {"email": "nobody@example.org"}, follow=True)
    assert mail.outbox == []
    assert unknown.redirect_chain == known.redirect_chain
    assert main_of(unknown) == main_of(known)
    assert "Check your inbox" in unknown.content.decode()


def test_htmx_reset_redirects_the_whole_page(ines, client: Client) -> None:
    response = client.post(RESET, {"email": "ines@example.org"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/password/reset/sent/", "Check your inbox"),
        ("/accounts/password/reset/done/", "Password set"),
        ("/accounts/password/reset/MQ/not-a-token/", "This reset link no longer works"),
    ],
)
def test_reset_pages_with_and_without_htmx(client: Client, path: str, heading: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()
    htmx = client.get(path, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"] == path


@override_settings(PASSWORD_RESET_TIMEOUT=3600)
def test_reset_mail_states_the_configured_lifetime(ines, client: Client) -> None:
    client.post(RESET, {"email": "ines@example.org"})
    assert "expires in 1 hour." in mail.outbox[0].body


def test_password_change_done_page_with_and_without_htmx(ines, client: Client) -> None:
    client.force_login(ines)
    assert "<h1>Password changed</h1>" in client.get(CHANGE + "done/").content.decode()
    response = client.get(CHANGE + "done/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == CHANGE + "done/"
