"""Agreement in the browser, on the demo seminar: the instructor's figures, the discussion view
with a passage added to the handout in one click, and presentation mode walked by keyboard
(arrow keys and a clicker's page up / page down). A student sees only their own figures."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from annotations.demo.load import DEMO_PASSWORD
from annotations.models import DiscussionPick
from readings.models import Seminar
from tests.browser.conftest import axe_violations, log_in, screenshot, settled
from tests.demo_seminar import LoadedDemo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(demo_loaded: LoadedDemo) -> Seminar:
    return demo_loaded.seminar


def slide_title(page: Page):
    return page.locator("#slide .slide-title")


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_the_instructor_discusses_disputed_passages_and_presents_them_by_keyboard(
    page: Page, live_server, demo: Seminar, viewport
) -> None:
    size = f"{viewport[0]}x{viewport[1]}"
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    log_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    base = f"{live_server.url}/seminars/{demo.pk}"

    # The figures: alpha per theme and the three students.
    page.goto(f"{base}/agreement/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreement")
    table = page.locator(".agreement-table tbody tr")
    expect(table).to_have_count(4)
    expect(page.locator(".student-table tbody tr")).to_have_count(3)
    expect(page.locator(".student-table")).to_contain_text("Amara")
    assert axe_violations(page) == []
    screenshot(page, f"agreement-{size}-1-figures")

    # The discussion view: the passages that split the class, per theme.
    page.get_by_role("link", name="Discuss the disputed passages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where the class reads differently")
    first = page.locator('section[aria-labelledby="discussion-reverse-kissinger"] .vote').first
    expect(first).to_contain_text("NEST Centre, ¶ 55")
    expect(first).to_contain_text("2 of 3 tagged it")
    assert axe_violations(page) == []
    screenshot(page, f"agreement-{size}-2-discussion")

    # One click puts it on the handout; focus stays on the control, the change is announced.
    settled(page)
    first.get_by_role("button", name=re.compile("^Add to handout")).click()
    expect(first.locator(".pick-state")).to_have_text("On the handout")
    expect(first.get_by_role("button", name=re.compile("^Remove"))).to_be_focused()
    expect(page.locator("#pick-status")).to_have_text(
        "¶ 55 is on the handout under Reverse Kissinger."
    )
    assert DiscussionPick.objects.count() == 1
    screenshot(page, f"agreement-{size}-3-picked")

    # Presentation mode, from the first theme, by keyboard only.
    page.get_by_role("link", name="Present to the class").click()
    expect(page).to_have_url(f"{base}/present/reverse-kissinger/")
    expect(slide_title(page)).to_contain_text("Reverse Kissinger")
    expect(page.locator(".slide-count")).to_have_text("Slide 1 of 8")
    expect(page.locator(".slide-column")).to_have_count(2)
    expect(page.locator(".site-header")).to_have_count(0)
    assert axe_violations(page) == []
    screenshot(page, f"agreement-{size}-4-present-positions")
    page.evaluate("() => { window.stillHere = true; }")  # a full page load would wipe it

    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(f"{base}/present/reverse-kissinger/disputed/")
    expect(page.locator(".slide-count")).to_have_text("Slide 2 of 8")
    expect(page.locator(".slide-vote")).to_have_count(3)
    expect(page.locator(".slide-vote").first).to_contain_text("NEST Centre, ¶ 55")
    expect(slide_title(page)).to_be_focused()
    assert page.evaluate("() => window.stillHere") is True
    assert axe_violations(page) == []
    screenshot(page, f"agreement-{size}-5-present-disputed")

    settled(page)
    page.keyboard.press("PageDown")  # what a clicker sends
    expect(slide_title(page)).to_contain_text("Ukraine war")
    expect(page.locator(".slide-count")).to_have_text("Slide 3 of 8")
    settled(page)
    page.keyboard.press("PageUp")
    expect(page.locator(".slide-count")).to_have_text("Slide 2 of 8")
    settled(page)
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".slide-count")).to_have_text("Slide 1 of 8")
    settled(page)
    page.keyboard.press("ArrowLeft")  # the first slide: nowhere further back
    expect(page.locator(".slide-count")).to_have_text("Slide 1 of 8")
    expect(page).to_have_url(f"{base}/present/reverse-kissinger/")

    # The browser's back button walks the slides too (each one has its own URL).
    settled(page)
    page.keyboard.press("ArrowRight")
    expect(page.locator(".slide-count")).to_have_text("Slide 2 of 8")
    page.go_back()
    expect(page).to_have_url(f"{base}/present/reverse-kissinger/")

    # Escape leaves for the discussion view.
    page.keyboard.press("Escape")
    expect(page).to_have_url(f"{base}/discussion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where the class reads differently")


def test_presentation_works_without_javascript(browser, live_server, demo: Seminar) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/seminars/{demo.pk}/present/trade/")
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"/present/trade/disputed/$"))
    expect(page.locator(".slide-vote").first).to_contain_text("NEST Centre, ¶ 22")
    page.get_by_role("link", name="Previous").click()
    expect(page).to_have_url(re.compile(r"/present/trade/$"))
    context.close()


def test_a_student_sees_only_their_own_figures(page: Page, live_server, demo: Seminar) -> None:
    log_in(page, live_server.url, "ben", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/seminars/{demo.pk}/agreement/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your figures")
    expect(page.get_by_role("heading", name="Ben's reading")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Amara")
    expect(page.locator("main")).not_to_contain_text("Chen")
    assert axe_violations(page) == []
    screenshot(page, "agreement-student-figures")
