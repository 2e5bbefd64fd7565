from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, screenshot
from tests.factories import PASSWORD, DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = [pytest.param((1280, 800), id="laptop"), pytest.param((390, 844), id="phone")]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_home_page_is_accessible(page: Page, live_server, viewport) -> None:
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Read authors against each other")
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    screenshot(page, f"home-{viewport[0]}")
    assert axe_violations(page) == []


def test_logged_in_reader_sees_their_readings_and_opens_one(page: Page, live_server) -> None:
    user = UserFactory(username="ines")
    DocumentFactory(title="On Balance", owner=user)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("ines")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your readings")).to_be_visible()
    page.get_by_role("link", name="On Balance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("On Balance")
    expect(page.get_by_role("navigation", name="Contents")).to_be_visible()
    screenshot(page, "reading")
    assert axe_violations(page) == []


def test_not_found_page_is_styled_and_accessible(page: Page, live_server, problems) -> None:
    response = page.goto(live_server.url + "/no-such-page?expect-error")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    assert axe_violations(page) == []
    # The one problem the browser reports is the 404 this test asked for.
    assert problems == [
        "console error: Failed to load resource: the server responded with a status of 404 "
        "(Not Found)"
    ]
    problems.clear()
