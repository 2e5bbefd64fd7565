from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
REFUSED = "Too many failed log-ins to this account from here. Try again in 1 minute."


@pytest.fixture
def ines(db):
    return UserFactory(username="ines")


def log_in(client: Client, username: str, password: str = PASSWORD, **kwargs):
    return client.post(LOGIN, {"username": username, "password": password}, **kwargs)


def logged_in_as(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("login", "/accounts/login/"),
        ("logout", "/accounts/logout/"),
        ("signup", "/accounts/signup/"),
        ("password_change", "/accounts/password/change/"),
        ("password_change_done", "/accounts/password/change/done/"),
        ("password_reset", "/accounts/password/reset/"),
        ("password_reset_done", "/accounts/password/reset/sent/"),
        ("password_reset_complete", "/accounts/password/reset/done/"),
    ],
)
def test_account_pages_use_djangos_url_names(name: str, path: str) -> None:
    assert reverse(name) == path


def test_reset_link_url_name() -> None:
    url = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-123"})
    assert url == "/accounts/password/reset/MQ/abc-123/"


def test_login_page_links_to_sign_up_and_reset_and_keeps_next(client: Client) -> None:
    response = client.get(LOGIN, {"next": "/documents/"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'autocomplete="username"' in body
    assert 'autocomplete="current-password"' in body
    assert '<input type="hidden" name="next" value="/documents/">' in body
    assert 'href="/accounts/signup/?next=/documents/"' in body
    assert 'href="/accounts/password/reset/">Forgot your password?</a>' in body


def test_htmx_request_for_the_login_page_loads_it_in_full_returning_to_the_current_page(
    client: Client,
) -> None:
    # What @login_required does to an htmx request once the session has expired.
    response = client.get(
        LOGIN,
        {"next": "/sets/3/tags/"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/documents/7/"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/documents/7/"
    assert response.content == b""
    assert "HX-Request" in response["Vary"]


def test_htmx_request_from_another_site_keeps_its_next(client: Client) -> None:
    response = client.get(
        LOGIN,
        {"next": "/documents/"},
        headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/"},
    )
    assert response["HX-Redirect"] == "/accounts/login/?next=/documents/"


def test_good_password_logs_in_and_goes_to_next(ines, client: Client) -> None:
    response = client.post(LOGIN, {"username": "ines", "password": PASSWORD, "next": "/documents/"})
    assert response.status_code == 302
    assert response["Location"] == "/documents/"
    assert logged_in_as(client) == str(ines.pk)


def test_next_to_another_site_is_ignored(ines, client: Client) -> None:
    response = client.post(
        LOGIN, {"username": "ines", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert logged_in_as(client) == str(ines.pk)


def test_htmx_log_in_redirects_the_whole_page(ines, client: Client) -> None:
    response = log_in(client, "ines", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/"
    assert logged_in_as(client) == str(ines.pk)


def test_bad_password_is_refused_with_the_form_again(ines, client: Client) -> None:
    response = log_in(client, "ines", "not the password")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password." in body
    assert 'value="ines"' in body
    assert logged_in_as(client) is None


def test_logged_in_person_is_sent_on_from_the_login_page(instructor_client: Client) -> None:
    response = instructor_client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logout_is_post_only_and_ends_the_session(ines, client: Client) -> None:
    client.force_login(ines)
    assert client.get("/accounts/logout/").status_code == 405
    assert logged_in_as(client) == str(ines.pk)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client) is None


def test_htmx_logout_redirects_the_whole_page(ines, client: Client) -> None:
    client.force_login(ines)
    response = client.post("/accounts/logout/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/"
    assert logged_in_as(client) is None


# Rate limit


def test_sixth_attempt_is_refused_even_with_the_right_password(ines, client: Client) -> None:
    for _ in range(5):
        assert log_in(client, "ines", "wrong").status_code == 200
    response = log_in(client, "ines")
    body = response.content.decode()
    assert response.status_code == 429
    assert REFUSED in body
    assert 55 <= int(response["Retry-After"]) <= 60
    assert 'role="alert"' in body
    assert logged_in_as(client) is None


def test_username_count_ignores_case(ines, client: Client) -> None:
    for username in ["ines", "INES", "Ines", "iNes", "inES"]:
        log_in(client, username, "wrong")
    assert log_in(client, "ines").status_code == 429


def test_htmx_refused_attempt_is_also_429(ines, client: Client) -> None:
    for _ in range(5):
        log_in(client, "ines", "wrong")
    response = log_in(client, "ines", headers={"HX-Request": "true"})
    assert response.status_code == 429
    assert logged_in_as(client) is None


def test_other_usernames_are_not_affected(ines, client: Client) -> None:
    sam = UserFactory(username="sam")
    for _ in range(5):
        log_in(client, "ines", "wrong")
    assert log_in(client, "sam").status_code == 302
    assert logged_in_as(client) == str(sam.pk)


def test_successful_log_in_clears_the_username_count(ines, client: Client) -> None:
    for _ in range(4):
        log_in(client, "ines", "wrong")
    assert log_in(client, "ines").status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "ines", "wrong")
    assert log_in(client, "ines").status_code == 302


def test_attempts_are_allowed_again_once_the_wait_is_over(
    ines, client: Client, monkeypatch
) -> None:
    for _ in range(5):
        log_in(client, "ines", "wrong")
    assert log_in(client, "ines").status_code == 429
    later = time.time() + 60 + 1
    monkeypatch.setattr("accounts.ratelimit.time", SimpleNamespace(time=lambda: later))
    assert log_in(client, "ines").status_code == 302


# Failures from one address across accounts: tests/accounts/test_login_throttle.py (issue 19:
# twenty of them no longer lock out everyone behind the address).


def test_forwarded_for_header_does_not_escape_the_account_and_address_limit(ines) -> None:
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(5):
        log_in(attacker, "ines", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    response = log_in(attacker, "ines", HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert response.status_code == 429
    assert REFUSED in response.content.decode()


@override_settings(COUNTERPOINT_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(ines) -> None:
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(5):
        log_in(proxy, "ines", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.7")
    refused = log_in(proxy, "ines", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert refused.status_code == 429 and REFUSED in refused.content.decode()
    assert log_in(proxy, "ines", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 302


def test_boosted_request_gets_the_page_itself(client: Client) -> None:
    response = client.get(LOGIN, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert response.status_code == 200
    assert "HX-Redirect" not in response
    assert '<h1 id="login-heading">Log in</h1>' in response.content.decode()
