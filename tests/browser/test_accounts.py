from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, screenshot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a seminar on trade and security"


def test_visitor_signs_up_from_the_login_page_and_lands_logged_in(page: Page, live_server) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_role("link", name="Forgot your password?")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Create an account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    screenshot(page, "signup-1280")
    assert axe_violations(page) == []

    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_label("Password (required)").fill(NEW_PASSWORD)
    page.get_by_label("Password confirmation").fill("not the same")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("The two password fields didn’t match.")).to_be_visible()
    screenshot(page, "signup-error-1280")
    assert axe_violations(page) == []

    page.get_by_label("Password (required)").fill(NEW_PASSWORD)
    page.get_by_label("Password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("status")).to_contain_text("Welcome to Counterpoint, nadia.")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert get_user_model().objects.filter(username="nadia", email="nadia@example.org").exists()


def test_forgotten_password_is_reset_by_the_mailed_link(page: Page, live_server) -> None:
    UserFactory(username="ines", email="ines@example.org")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/accounts/login/")
    screenshot(page, "login-1280")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert axe_violations(page) == []
    page.get_by_label("Email").fill("ines@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert axe_violations(page) == []

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", str(mail.outbox[0].body))
    assert link
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    screenshot(page, "password-reset-confirm-1280")
    assert axe_violations(page) == []
    page.get_by_label("New password (required)").fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password set")

    page.get_by_role("main").get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
