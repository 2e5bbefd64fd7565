"""Compare and overview in the browser, on the demo seminar: theme tabs by mouse and keyboard,
context on demand, a summary edited in place, the ribbons, and the same pages without
JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from annotations.demo.load import DEMO_PASSWORD
from annotations.models import AnnotationSet, PositionSummary
from readings.models import Seminar
from tests.browser.conftest import axe_violations, log_in, screenshot, settled
from tests.demo_seminar import LoadedDemo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(demo_loaded: LoadedDemo) -> Seminar:
    return demo_loaded.seminar


def theme_heading(page: Page):
    return page.locator("#theme-heading")


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_the_class_switches_themes_by_tab_and_keyboard_and_opens_context(
    page: Page, live_server, demo: Seminar, viewport
) -> None:
    key = AnnotationSet.objects.get(kind=AnnotationSet.Kind.KEY)
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    log_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    base = f"{live_server.url}/seminars/{demo.pk}/compare"
    page.goto(f"{base}/reverse-kissinger/")
    expect(theme_heading(page)).to_have_text("Reverse Kissinger")
    columns = page.locator(".compare-column")
    expect(columns).to_have_count(2)
    expect(columns.nth(0).locator("h3")).to_have_text("McFaul & Medeiros")
    expect(columns.nth(1).locator("h3")).to_have_text("NEST Centre")
    assert axe_violations(page) == []
    # A marker that a full page load would wipe out.
    page.evaluate("() => { window.stillHere = true; }")

    # By tab: only the columns change, and the URL can be bookmarked.
    tabs = page.get_by_role("navigation", name="Themes")
    tabs.get_by_role("link", name=re.compile("^Trade")).click()
    expect(theme_heading(page)).to_have_text("Trade")
    expect(page).to_have_url(f"{base}/trade/?source={key.pk}")
    expect(page).to_have_title("Trade · Compare · Counterpoint")
    expect(tabs.get_by_role("link", name=re.compile("^Trade"))).to_have_attribute(
        "aria-current", "page"
    )
    expect(tabs.locator("[aria-current]")).to_have_count(1)
    assert page.evaluate("() => window.stillHere") is True

    # By keyboard: from a tab, focus stays on the tabs.
    settled(page)
    tabs.get_by_role("link", name=re.compile("^Trade")).focus()
    page.keyboard.press("ArrowRight")
    expect(theme_heading(page)).to_have_text("Taiwan")
    expect(page).to_have_url(f"{base}/taiwan/?source={key.pk}")
    expect(tabs.get_by_role("link", name=re.compile("^Taiwan"))).to_be_focused()
    # Silence is a finding: the essay's column says so.
    expect(columns.nth(0)).to_contain_text("Silent on Taiwan.")
    expect(columns.nth(0).locator(".entry")).to_have_count(0)
    expect(columns.nth(1).locator(".entry")).to_have_count(5)
    settled(page)
    page.keyboard.press("ArrowRight")  # the last tab: nowhere further to go
    expect(page).to_have_url(f"{base}/taiwan/?source={key.pk}")
    page.keyboard.press("ArrowLeft")
    expect(theme_heading(page)).to_have_text("Trade")
    expect(page).to_have_url(f"{base}/trade/?source={key.pk}")
    # From the page itself, the keys move between themes too.
    settled(page)
    page.locator("#theme-heading").click()
    page.keyboard.press("ArrowLeft")
    expect(theme_heading(page)).to_have_text("Ukraine war")
    assert page.evaluate("() => window.stillHere") is True

    # The browser's back button goes back through the themes.
    settled(page)
    page.go_back()
    expect(page).to_have_url(f"{base}/trade/?source={key.pk}")
    expect(theme_heading(page)).to_have_text("Trade")

    # Context on demand: the passage before and after, fetched when opened.
    entry = columns.nth(1).locator(".entry").first
    entry.locator("summary").click()
    context = entry.locator(".context")
    expect(context).to_contain_text("Before ·")
    expect(context).to_contain_text("After ·")
    assert axe_violations(page) == []
    screenshot(page, f"compare-{viewport[0]}")


def test_the_owner_edits_a_summary_in_place(page: Page, live_server, demo: Seminar) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/seminars/{demo.pk}/compare/taiwan/")
    essay = page.locator(".compare-column").first
    expect(essay.locator(".summary-missing")).to_have_text(
        "No summary of this author’s position yet."
    )
    essay.get_by_role("link", name="Write the summary of McFaul & Medeiros on Taiwan").click()
    field = essay.get_by_label("McFaul & Medeiros on Taiwan")
    expect(field).to_be_focused()
    assert axe_violations(page) == []
    field.fill("The essay never mentions Taiwan.")
    essay.get_by_role("button", name="Save the summary").click()
    expect(essay.locator(".summary-text")).to_have_text("The essay never mentions Taiwan.")
    assert PositionSummary.objects.filter(text="The essay never mentions Taiwan.").exists()

    # Cancel puts the summary back as it was.
    essay.get_by_role("link", name=re.compile("^Edit the summary")).click()
    essay.get_by_label("McFaul & Medeiros on Taiwan").fill("Changed my mind")
    essay.get_by_role("link", name="Cancel").click()
    expect(essay.locator(".summary-text")).to_have_text("The essay never mentions Taiwan.")
    expect(page.locator("textarea")).to_have_count(0)


def test_the_overview_shows_the_matrix_and_ribbons_that_open_passages(
    page: Page, live_server, demo: Seminar
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/seminars/{demo.pk}/overview/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Overview: themes across the readings"
    )
    taiwan = page.get_by_role("row", name=re.compile("^Taiwan"))
    expect(taiwan.locator(".overview-verdict")).to_have_text("One-sided")
    expect(taiwan.get_by_role("link").first).to_contain_text("Silent")
    assert axe_violations(page) == []
    screenshot(page, "overview-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page) == []
    screenshot(page, "overview-390")
    page.set_viewport_size({"width": 1280, "height": 800})

    mark = page.get_by_role("link", name=re.compile(r"^Taiwan: NEST Centre, ¶ \d+$")).first
    label = (mark.get_attribute("aria-label") or "").rpartition(", ")[2]
    mark.click()
    expect(page).to_have_url(re.compile(r"/documents/\d+/#p\d+$"))
    expect(page.locator(":target")).to_contain_text(label)

    page.go_back()
    taiwan = page.get_by_role("row", name=re.compile("^Taiwan"))
    taiwan.get_by_role("link", name=re.compile("NEST Centre on Taiwan")).click()
    expect(page.locator("#theme-heading")).to_have_text("Taiwan")


def test_compare_works_without_javascript(browser: Browser, live_server, demo: Seminar) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    log_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/seminars/{demo.pk}/compare/trade/")
    tabs = page.get_by_role("navigation", name="Themes")
    tabs.get_by_role("link", name=re.compile("^Ukraine war")).click()
    expect(page.locator("#theme-heading")).to_have_text("Ukraine war")
    expect(page).to_have_url(re.compile(r"/compare/ukraine-war/\?source=\d+$"))

    expect(page.get_by_label("Tags from").locator("option[value=all]")).to_have_text(
        "All 4 sets you can see, together"
    )
    page.get_by_label("Tags from").select_option("all")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/compare/ukraine-war/\?source=all$"))
    page.get_by_label("Tagged by at least").select_option("3")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/compare/ukraine-war/\?source=all&min=3$"))
    expect(page.locator(".entry-people").first).to_contain_text(re.compile(r"[34] of 4 people"))

    entry = page.locator(".entry").first
    entry.locator("summary").click()
    entry.get_by_role("link", name="Read the passages before and after").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Context of")
    page.get_by_role("link", name="Back to the comparison").click()
    expect(page).to_have_url(re.compile(r"/compare/ukraine-war/\?source=all&min=3#entry-\d+$"))
    context.close()


def test_a_compare_page_prints_as_a_clean_sheet(page: Page, live_server, demo: Seminar) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/seminars/{demo.pk}/compare/ukraine-war/")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".theme-tabs", ".source-form", ".entry-context"):
        expect(page.locator(hidden).first).to_be_hidden()
    boxes = [
        box for box in (c.bounding_box() for c in page.locator(".compare-column").all()) if box
    ]
    assert len(boxes) == 2 and boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]
    screenshot(page, "compare-print")
