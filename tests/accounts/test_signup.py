from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
SIGNUP = "/accounts/signup/"
NEW_PASSWORD = "a seminar on trade and security"


def sign_up(client: Client, headers: dict[str, str] | None = None, **overrides):
    data = {
        "username": "nadia",
        "email": "nadia@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }
    return client.post(SIGNUP, data, headers=headers or {})


def test_sign_up_page_asks_for_name_email_and_a_new_password_twice(client: Client) -> None:
    response = client.get(SIGNUP, {"next": "/documents/"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'autocomplete="username"' in body
    assert 'autocomplete="email"' in body
    assert body.count('autocomplete="new-password"') == 2
    assert '<label for="id_password2">' in body
    assert '<input type="hidden" name="next" value="/documents/">' in body
    assert 'href="/accounts/login/?next=/documents/"' in body
    # Plain-text help, not Django's <ul> inside the <p> of _field.html.
    assert "at least 8 characters" in body
    assert "<ul" not in body.split('id="id_password1_helptext"')[1].split("</p>")[0]


def test_htmx_request_for_the_sign_up_page_loads_it_in_full(client: Client) -> None:
    response = client.get(SIGNUP, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == SIGNUP
    assert response.content == b""


def test_sign_up_creates_the_account_and_logs_in(client: Client) -> None:
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(username="nadia")
    assert user.email == "nadia@example.org"
    assert user.check_password(NEW_PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)
    home = client.get("/").content.decode()
    assert "Welcome to Counterpoint, nadia. Your account is ready." in home


def test_sign_up_goes_on_to_a_safe_next(client: Client) -> None:
    assert sign_up(client, next="/documents/")["Location"] == "/documents/"


def test_sign_up_ignores_next_to_another_site(client: Client) -> None:
    assert sign_up(client, next="//evil.example/")["Location"] == "/"


def test_htmx_sign_up_redirects_the_whole_page(client: Client) -> None:
    response = sign_up(client, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/"
    assert User.objects.filter(username="nadia").exists()


def test_logged_in_person_is_sent_home_from_sign_up(instructor_client: Client) -> None:
    response = instructor_client.get(SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert instructor_client.post(SIGNUP, {"username": "x"})["Location"] == "/"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "INES@Example.org"}, "email", "An account with this email address already"),
        ({"username": "Ines"}, "username", "A user with that username already exists."),
        ({"password2": "another long password"}, "password2", "didn’t match"),
        ({"password1": "password", "password2": "password"}, "password2", "too common"),
        ({"password1": "84919274", "password2": "84919274"}, "password2", "entirely numeric"),
        ({"password1": "nadia123", "password2": "nadia123"}, "password2", "too similar"),
        ({"email": ""}, "email", "This field is required."),
        ({"email": "not an address"}, "email", "Enter a valid email address."),
    ],
    ids=[
        "duplicate-email",
        "duplicate-username",
        "mismatch",
        "common",
        "numeric",
        "similar",
        "no-email",
        "bad-email",
    ],
)
def test_sign_up_errors_store_nothing(client: Client, overrides, field, message) -> None:
    UserFactory(username="ines", email="ines@example.org")
    response = sign_up(client, **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert message in response.content.decode()
    assert User.objects.count() == 1
    assert SESSION_KEY not in client.session


def test_after_an_error_the_cursor_goes_to_the_first_field_in_error(client: Client) -> None:
    form = sign_up(client, password2="another long password").context["form"]
    assert "autofocus" not in form.fields["username"].widget.attrs
    assert form.fields["password2"].widget.attrs["autofocus"] is True
