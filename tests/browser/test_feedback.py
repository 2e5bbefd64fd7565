"""Feedback that every page gives, whatever the feature: a thin progress bar while an htmx
request takes a while, and a message at the top when one fails (the reader explains failures
in the passage itself, see test_reader.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from annotations.demo.load import DEMO_PASSWORD
from readings.models import Seminar
from tests.browser.conftest import axe_violations, log_in, screenshot, settled
from tests.demo_seminar import LoadedDemo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(demo_loaded: LoadedDemo) -> Seminar:
    return demo_loaded.seminar


def tab(page: Page, name: str):
    return page.get_by_role("navigation", name="Themes").get_by_role(
        "link", name=re.compile(f"^{name}")
    )


def bar_shown(page: Page) -> bool:
    shown: bool = page.evaluate(
        "() => getComputedStyle(document.body, '::before').content !== 'none'"
        " && getComputedStyle(document.body, '::before').opacity === '1'"
    )
    return shown


def test_a_slow_request_shows_progress_and_a_failed_one_says_so(
    page: Page, live_server, demo: Seminar, problems: list[str]
) -> None:
    log_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/seminars/{demo.pk}/compare/reverse-kissinger/")
    status = page.locator("#request-status")
    expect(status).to_be_hidden()
    assert not bar_shown(page)

    # Slow: the bar appears once the request has taken a moment, and goes when it ends.
    held: list[Route] = []
    page.route("**/compare/trade/**", lambda route: held.append(route))
    settled(page)
    tab(page, "Trade").click()
    page.wait_for_function("() => document.querySelector('.htmx-request') !== null")
    page.wait_for_timeout(400)
    assert bar_shown(page)
    held[0].continue_()
    page.unroute("**/compare/trade/**")
    expect(page.locator("#theme-heading")).to_have_text("Trade")
    settled(page)
    assert not bar_shown(page)

    # Failed on the server: a message at the top; nothing else changes.
    page.route("**/compare/taiwan/**", lambda route: route.fulfill(status=500, body="boom"))
    tab(page, "Taiwan").click()
    expect(status).to_have_text(
        "The server could not do that just now; nothing was changed. Try again in a moment."
    )
    expect(status).to_be_visible()
    expect(page.locator("#theme-heading")).to_have_text("Trade")
    assert axe_violations(page) == []
    screenshot(page, "feedback-request-failed")

    # No connection: said as such.
    page.unroute("**/compare/taiwan/**")
    page.route("**/compare/taiwan/**", lambda route: route.abort("internetdisconnected"))
    settled(page)
    tab(page, "Taiwan").click()
    expect(status).to_have_text(
        "No connection to the server; nothing was changed. Check the connection and try again."
    )

    # The next request that works clears the message.
    page.unroute("**/compare/taiwan/**")
    settled(page)
    tab(page, "Taiwan").click()
    expect(page.locator("#theme-heading")).to_have_text("Taiwan")
    expect(status).to_be_hidden()

    # The failures above were made on purpose (htmx logs each to the console); nothing else
    # may have gone wrong.
    on_purpose = re.compile(
        r"/compare/taiwan/|status of 500|ERR_INTERNET_DISCONNECTED"
        r"|htmx:(responseError|sendError|afterRequest)"
    )
    assert any("/compare/taiwan/" in p for p in problems), problems
    problems[:] = [p for p in problems if not on_purpose.search(p)]
