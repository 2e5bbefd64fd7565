from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_instructor_sets_up_a_seminar_and_a_student_joins_it(
    page: Page, live_server, browser, viewport
) -> None:
    ines = UserFactory(username="ines")
    UserFactory(username="sam")
    DocumentFactory(title="On Balance", owner=ines)
    DocumentFactory(title="Against Balance", owner=ines)
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    log_in(page, live_server.url, "ines")

    expect(page.get_by_text("You are not in a seminar yet.")).to_be_visible()
    page.get_by_role("link", name="Create a seminar").click()
    page.get_by_label("Title").fill("Reading Power")
    page.get_by_label("Term").fill("Spring 2026")
    page.get_by_role("button", name="Create the seminar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading Power")
    expect(page.get_by_text("No readings yet.")).to_be_visible()

    for title in ("On Balance", "Against Balance"):
        page.get_by_label("Add from your library").select_option(label=title)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator("#readings").get_by_role("link", name=title)).to_be_visible()
    readings = page.locator(".reading-list > li")
    expect(readings).to_have_count(2)
    page.get_by_role("button", name="Move up Against Balance").click()
    expect(readings.first).to_contain_text("Against Balance")
    screenshot(page, f"seminar-{viewport[0]}")
    assert axe_violations(page) == []

    code = page.locator(".join-code").inner_text()
    student_page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    log_in(student_page, live_server.url, "sam")
    student_page.goto(live_server.url + "/join/")
    student_page.get_by_label("Join code").fill(code.lower())
    student_page.get_by_role("button", name="Join").click()
    expect(student_page.locator(".messages")).to_contain_text("Welcome to “Reading Power”")
    # Issue 21: joining lands in the first reading of the student's own set, ready to tag.
    expect(student_page.get_by_role("heading", level=1)).to_have_text("Against Balance")
    expect(student_page.get_by_role("link", name="Tag ¶ 1")).to_be_visible()
    student_page.get_by_role("navigation", name="Seminar").get_by_role(
        "link", name="Seminar", exact=True
    ).click()
    expect(student_page.locator(".reading-list > li").first).to_contain_text("Against Balance")
    expect(student_page.get_by_role("button", name="Move up Against Balance")).to_have_count(0)
    assert axe_violations(student_page) == []
    student_page.close()
