"""Log-in protection beyond the log-in form: join codes and sessions after a password change."""

from __future__ import annotations

import math

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from readings.models import Membership
from readings.services import JOIN_CODE_ALPHABET, seminar_create
from tests.factories import PASSWORD, UserFactory, seminar_world

pytestmark = pytest.mark.django_db


NEW_PASSWORD = "counterpoint against the grain"


def _wrong_codes(client: Client, times: int, *, start: int = 0) -> list[int]:
    return [
        client.post("/join/", {"code": f"WRNG{n:04d}"}).status_code
        for n in range(start, start + times)
    ]


def test_join_codes_are_long_and_random_enough_not_to_be_guessed() -> None:
    instructor = UserFactory(username="ines")
    # A missing code ("") fails the length check below.
    codes = {
        seminar_create(title=f"S{n}", instructor=instructor).join_code or "" for n in range(50)
    }
    assert len(codes) == 50
    for code in codes:
        assert len(code) >= 8 and set(code) <= set(JOIN_CODE_ALPHABET)
    # 8 symbols of 32: 40 bits, a million million codes against ten guesses per quarter hour.
    assert len(min(codes, key=len)) * math.log2(len(set(JOIN_CODE_ALPHABET))) >= 40


def test_wrong_join_codes_are_refused_for_a_while_after_ten_attempts() -> None:
    world = seminar_world()
    client = Client()
    client.force_login(world.outsider)
    assert _wrong_codes(client, 10) == [200] * 10
    refused = client.post("/join/", {"code": world.seminar.join_code})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many wrong join codes. Try again in 15 minutes." in refused.content.decode()
    # Even the right code is not tried while the limit holds, so guessing learns nothing.
    assert not Membership.objects.filter(seminar=world.seminar, user=world.outsider).exists()


def test_the_right_join_code_works_before_the_limit_is_reached() -> None:
    world = seminar_world()
    client = Client()
    client.force_login(world.outsider)
    _wrong_codes(client, 9)
    assert world.seminar.join_code
    response = client.post("/join/", {"code": world.seminar.join_code.lower()})
    assert response.status_code == 302
    assert Membership.objects.filter(seminar=world.seminar, user=world.outsider).exists()


def test_join_attempts_are_also_limited_per_address_across_accounts() -> None:
    world = seminar_world()
    statuses = []
    for n in range(4):  # four fresh accounts, ten guesses each, from one address
        client = Client(REMOTE_ADDR="198.51.100.7")
        client.force_login(UserFactory(username=f"guesser{n}"))
        statuses += _wrong_codes(client, 10, start=10 * n)
    assert statuses[:30] == [200] * 30
    assert set(statuses[30:]) == {429}
    elsewhere = Client(REMOTE_ADDR="203.0.113.8")
    elsewhere.force_login(world.outsider)
    assert elsewhere.post("/join/", {"code": world.seminar.join_code}).status_code == 302


def test_a_password_change_logs_out_the_other_sessions_of_the_account() -> None:
    user = UserFactory(username="ines")
    laptop, phone = Client(), Client()
    for client in (laptop, phone):
        response = client.post("/accounts/login/", {"username": "ines", "password": PASSWORD})
        assert response.status_code == 302
    assert phone.get("/seminars/").status_code == 200

    changed = laptop.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    # The session that changed the password stays in; the other one is sent to log in.
    assert laptop.get("/seminars/").status_code == 200
    stale = phone.get("/seminars/")
    assert stale.status_code == 302 and stale["Location"].startswith("/accounts/login/")
    assert SESSION_KEY not in phone.session
    assert laptop.session[SESSION_KEY] == str(user.pk)


def test_a_password_reset_logs_out_every_session_of_the_account(client: Client) -> None:
    UserFactory(username="ines", email="ines@example.org")
    other = Client()
    other.post("/accounts/login/", {"username": "ines", "password": PASSWORD})
    assert other.get("/seminars/").status_code == 200

    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = get_user_model().objects.get(username="ines")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    landing = client.get(f"/accounts/password/reset/{uid}/{token}/")
    assert landing.status_code == 302  # the token is swapped for a session-held one
    done = client.post(
        landing["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    stale = other.get("/seminars/")
    assert stale.status_code == 302 and stale["Location"].startswith("/accounts/login/")
