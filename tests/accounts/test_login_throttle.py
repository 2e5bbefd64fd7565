"""Log-in throttling that an attacker cannot turn against the person (issue 19, item 6).

Failures are counted per account and address (or per account and browser, once a browser has
logged in to the account), with a wait that doubles with each failure past the fifth. An
account's failures from places it never logged in from are counted across addresses, and an
address's failures across accounts (high enough for a class behind one campus NAT); neither
stops the account from its usual address or browser. Every lockout is logged.
"""

from __future__ import annotations

import logging
import time
from types import SimpleNamespace

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory, override_settings

from accounts.models import KnownAddress
from accounts.throttle import login_attempt, login_failed
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
HOME, CAMPUS, ELSEWHERE = "203.0.113.5", "192.0.2.10", "192.0.2.44"
HERE = "Too many failed log-ins to this account from here. Try again in"
UNFAMILIAR = (
    "Too many failed log-ins to this account from places it has not logged in from before. "
    "Try again in"
)
NETWORK = "Too many failed log-ins from your network. Try again in"
LOCKOUT_LOGGER = "accounts.lockout"


def log_in(client: Client, username: str, password: str = PASSWORD, **kwargs):
    return client.post(LOGIN, {"username": username, "password": password}, **kwargs)


def logged_in_as(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


def at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


@pytest.fixture
def clock(monkeypatch):
    """Time the rate limits see, moved on by hand."""
    now = {"t": time.time()}
    monkeypatch.setattr("accounts.ratelimit.time", SimpleNamespace(time=lambda: now["t"]))

    def advance(seconds: float) -> None:
        now["t"] += seconds

    return advance


def _attack(username: str, addresses: int, *, per_address: int = 5) -> list[int]:
    """Wrong passwords from several addresses: tried (200) until the waits refuse them (429)."""
    statuses = []
    for n in range(addresses):
        attacker = at(f"198.51.100.{n + 1}")
        statuses += [log_in(attacker, username, "guess").status_code for _ in range(per_address)]
    assert set(statuses) <= {200, 429}
    return statuses


def test_an_attack_from_elsewhere_does_not_lock_the_person_out_of_their_usual_address() -> None:
    ines = UserFactory(username="ines")
    assert log_in(at(HOME), "ines").status_code == 302  # her usual address from now on
    statuses = _attack("ines", addresses=6)  # 30 tries from six addresses
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429] * 20
    home = at(HOME)  # a new browser, no cookie: the address alone is familiar
    response = log_in(home, "ines")
    assert response.status_code == 302 and logged_in_as(home) == str(ines.pk)


def test_an_unfamiliar_place_waits_while_the_account_is_attacked_but_a_known_browser_does_not(
    clock,
) -> None:
    ines = UserFactory(username="ines")
    laptop = at(HOME)
    assert log_in(laptop, "ines").status_code == 302
    laptop.post("/accounts/logout/")
    _attack("ines", addresses=3)
    refused = log_in(at(ELSEWHERE), "ines")
    body = refused.content.decode()
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert UNFAMILIAR in body and "log in from a device or network you have used before" in body
    # Her own laptop, travelling: the browser she logged in with before vouches for her.
    response = log_in(laptop, "ines", REMOTE_ADDR=ELSEWHERE)
    assert response.status_code == 302 and logged_in_as(laptop) == str(ines.pk)


def test_a_classmate_behind_the_same_address_cannot_lock_out_the_persons_browser() -> None:
    ines = UserFactory(username="ines")
    browser = at(CAMPUS)
    assert log_in(browser, "ines").status_code == 302
    browser.post("/accounts/logout/")
    classmate = at(CAMPUS)
    for _ in range(5):
        log_in(classmate, "ines", "guess")
    refused = log_in(classmate, "ines")
    assert refused.status_code == 429 and HERE in refused.content.decode()
    response = log_in(browser, "ines")
    assert response.status_code == 302 and logged_in_as(browser) == str(ines.pk)


def test_the_wait_doubles_with_each_failure_past_the_fifth_up_to_fifteen_minutes(clock) -> None:
    UserFactory(username="ines")
    client = at(ELSEWHERE)
    for _ in range(5):
        assert log_in(client, "ines", "wrong").status_code == 200
    waits = []
    for _ in range(6):
        refused = log_in(client, "ines", "wrong")
        assert refused.status_code == 429 and HERE in refused.content.decode()
        waits.append(int(refused["Retry-After"]))
        clock(waits[-1] + 1)
        assert log_in(client, "ines", "wrong").status_code == 200  # tried, and wrong again
    assert waits == [60, 120, 240, 480, 900, 900]
    refused = log_in(client, "ines")
    assert "Try again in 15 minutes." in refused.content.decode()


def test_the_right_password_after_the_wait_logs_in_and_clears_the_count(clock) -> None:
    ines = UserFactory(username="ines")
    client = at(ELSEWHERE)
    for _ in range(5):
        log_in(client, "ines", "wrong")
    refused = log_in(client, "ines")
    assert refused.status_code == 429
    assert "Try again in 1 minute." in refused.content.decode()
    clock(61)
    assert log_in(client, "ines").status_code == 302 and logged_in_as(client) == str(ines.pk)
    client.post("/accounts/logout/")
    for _ in range(4):
        log_in(client, "ines", "wrong")
    assert log_in(client, "ines").status_code == 302


def test_twenty_failures_from_one_address_no_longer_block_everyone_behind_it() -> None:
    sam = UserFactory(username="sam")
    nat = at(CAMPUS)
    for n in range(20):
        assert log_in(nat, f"guess{n}", "wrong").status_code == 200
    response = log_in(at(CAMPUS), "sam")
    assert response.status_code == 302
    assert KnownAddress.objects.filter(user=sam).count() == 1


def test_a_class_of_two_hundred_behind_one_address_all_log_in() -> None:
    students = [UserFactory(username=f"student{n}") for n in range(200)]
    request = RequestFactory().post(LOGIN, REMOTE_ADDR=CAMPUS)
    # Each new to the campus address, each mistyping twice: 400 failures, counted as the form
    # counts them (through the page it is the same, only slower).
    for student in students[:-1]:
        attempt = login_attempt(request, student.username)
        login_failed(attempt)
        login_failed(attempt)
    last = at(CAMPUS)
    assert log_in(last, "student199", "typo one").status_code == 200
    assert log_in(last, "student199", "typo two").status_code == 200
    response = log_in(last, "student199")
    assert response.status_code == 302 and logged_in_as(last) == str(students[-1].pk)
    first = at(CAMPUS)
    assert log_in(first, "student0").status_code == 302


@override_settings(COUNTERPOINT_LOGIN_FAILURES_PER_ADDRESS=30)
def test_past_the_address_ceiling_only_accounts_new_to_the_address_wait() -> None:
    sam = UserFactory(username="sam")
    UserFactory(username="nia")
    assert log_in(at(CAMPUS), "sam").status_code == 302
    sprayer = at(CAMPUS)
    for n in range(30):
        log_in(sprayer, f"guess{n}", "wrong")
    refused = log_in(at(CAMPUS), "nia")
    body = refused.content.decode()
    assert refused.status_code == 429 and NETWORK in body
    assert "accounts that have logged in from here before can log in as usual" in body
    known = at(CAMPUS)
    assert log_in(known, "sam").status_code == 302 and logged_in_as(known) == str(sam.pk)


@override_settings(COUNTERPOINT_LOGIN_FAILURES_PER_ADDRESS=30)
def test_signing_up_makes_the_address_familiar_to_the_new_account() -> None:
    signup = at(CAMPUS).post(
        "/accounts/signup/",
        {
            "username": "nia",
            "email": "nia@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert signup.status_code == 302
    sprayer = at(CAMPUS)
    for n in range(30):
        log_in(sprayer, f"guess{n}", "wrong")
    assert log_in(at(CAMPUS), "nia").status_code == 302


def test_the_address_is_remembered_as_a_keyed_digest_not_in_clear() -> None:
    ines = UserFactory(username="ines")
    assert log_in(at(HOME), "ines").status_code == 302
    known = KnownAddress.objects.get(user=ines)
    assert HOME not in known.digest and len(known.digest) == 64


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["plain", "htmx"])
def test_a_refused_log_in_says_how_long_to_wait(headers) -> None:
    UserFactory(username="ines")
    client = at(ELSEWHERE)
    for _ in range(5):
        log_in(client, "ines", "wrong", headers=headers)
    refused = log_in(client, "ines", headers=headers)
    body = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert 'role="alert"' in body and f"{HERE} 1 minute." in body
    assert logged_in_as(client) is None


def test_every_lockout_is_logged_with_the_account_and_the_address(caplog) -> None:
    UserFactory(username="ines")
    caplog.set_level(logging.WARNING, logger=LOCKOUT_LOGGER)
    client = at(ELSEWHERE)
    for _ in range(4):
        log_in(client, "ines", "wrong")
    assert [r for r in caplog.records if r.name == LOCKOUT_LOGGER] == []
    log_in(client, "ines", "wrong")
    records = [r for r in caplog.records if r.name == LOCKOUT_LOGGER]
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    message = records[0].getMessage()
    assert "'ines'" in message and ELSEWHERE in message and "60 s" in message


@override_settings(COUNTERPOINT_LOGIN_FAILURES_PER_ADDRESS=30)
def test_account_and_address_lockouts_are_logged_too(caplog) -> None:
    UserFactory(username="ines")
    caplog.set_level(logging.WARNING, logger=LOCKOUT_LOGGER)
    _attack("ines", addresses=2)  # ten failures from unfamiliar places
    sprayer = at(CAMPUS)
    for n in range(30):
        log_in(sprayer, f"guess{n}", "wrong")
    messages = [r.getMessage() for r in caplog.records if r.name == LOCKOUT_LOGGER]
    assert any("from unfamiliar places" in m and "'ines'" in m for m in messages), messages
    assert any("every account new to it" in m and CAMPUS in m for m in messages), messages


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["plain", "htmx"])
def test_logging_in_or_signing_up_remembers_the_browser(headers) -> None:
    UserFactory(username="ines")
    client = at(HOME)
    logged_in = log_in(client, "ines", headers=headers)
    assert logged_in.status_code == (200 if headers else 302)
    assert (logged_in.get("HX-Redirect") or logged_in["Location"]) == "/"
    assert logged_in.cookies["counterpoint_device"]["httponly"]
    signed_up = at(HOME).post(
        "/accounts/signup/",
        {
            "username": "nia",
            "email": "nia@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        headers=headers,
    )
    assert signed_up.status_code == (200 if headers else 302)
    assert signed_up.cookies["counterpoint_device"].value
