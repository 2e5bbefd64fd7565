"""The instructor's live pages in a browser: a student's tag arrives without a reload, and the
instructor's focus and scroll stay where they were."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in, screenshot, settled
from tests.factories import seminar_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_students_tag_appears_on_the_instructors_overview_within_5_s(
    page: Page, browser: Browser, live_server
) -> None:
    world = seminar_world()
    page.set_viewport_size({"width": 1280, "height": 500})
    log_in(page, live_server.url, "ines")
    page.goto(f"{live_server.url}/seminars/{world.seminar.pk}/overview/?source=all")
    trade = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Trade"))
    first_cell = trade.get_by_role("link").first
    expect(first_cell).to_contain_text("Silent")
    # The instructor is reading further down, with the focus on a cell of another row.
    security = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Security"))
    security.get_by_role("link").last.focus()
    page.evaluate("() => { window.scrollTo(0, 120); window.notReloaded = true; }")
    settled(page)
    focus_before = page.evaluate("() => document.activeElement.getAttribute('href')")
    scroll_before = page.evaluate("() => window.scrollY")
    assert scroll_before > 0

    # A second session: Sam tags the first passage with Trade in his own (blind) set.
    student = browser.new_context()
    sam = student.new_page()
    log_in(sam, live_server.url, "sam")
    reader = f"/seminars/{world.seminar.pk}/sets/{world.student_set.pk}/read/"
    sam.goto(f"{live_server.url}{reader}{world.documents[0].pk}/")
    sam.keyboard.press("j")
    sam.keyboard.press("Enter")
    settled(sam)
    sam.keyboard.press("1")
    expect(sam.locator("#reader-status")).to_have_text("Tagged ¶ 1 Trade")
    tagged_at = time.monotonic()

    expect(first_cell).to_contain_text("1 passage", timeout=5_000)
    assert time.monotonic() - tagged_at < 5
    expect(page.locator("#live-status")).to_have_text("1 new tag")
    settled(page)
    assert page.evaluate("() => window.notReloaded") is True
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == focus_before
    assert page.evaluate("() => document.activeElement.closest('#overview-body') !== null")
    assert page.evaluate("() => window.scrollY") == scroll_before
    screenshot(page, "live-overview-after-a-students-tag")
    student.close()


def test_the_instructor_sees_a_blind_set_fill_in_without_a_reload(page: Page, live_server) -> None:
    from annotations.services import passage_tag
    from readings.models import Passage

    world = seminar_world()
    log_in(page, live_server.url, "ines")
    reader = f"/seminars/{world.seminar.pk}/sets/{world.student_set.pk}/read/"
    page.goto(f"{live_server.url}{reader}{world.documents[0].pk}/")
    expect(page.locator(".badge")).to_have_text("Read only")
    passage = Passage.objects.filter(document=world.documents[0], kind="paragraph")[1]
    chips = page.locator(f"#{passage.anchor} .passage-tags")
    expect(chips).to_have_count(0)
    passage_tag(
        annotation_set=world.student_set,
        passage=passage,
        theme=world.themes[1],
        author=world.student,
    )
    expect(chips).to_contain_text("Security", timeout=5_000)
    expect(page.locator("#reader-status")).to_have_text(re.compile("1 new tag"))


def test_a_summary_being_written_is_not_swapped_away_by_a_live_update(
    page: Page, live_server
) -> None:
    from annotations.services import passage_tag
    from readings.models import Passage

    world = seminar_world()
    log_in(page, live_server.url, "ines")
    theme, document = world.themes[0], world.documents[0]
    page.goto(
        f"{live_server.url}/seminars/{world.seminar.pk}/compare/{theme.slug}/?source={world.key.pk}"
    )
    page.get_by_role("link", name=re.compile("Write the summary")).first.click()
    text = page.locator(f"#summary-{document.pk} textarea")
    expect(text).to_be_visible()
    text.fill("The first author half-agrees")
    expect(text).to_be_focused()
    passage = Passage.objects.filter(document=document, kind="paragraph")[0]
    passage_tag(annotation_set=world.key, passage=passage, theme=theme, author=world.instructor)
    # The poll hears of it; the columns, with the summary being written, stay as they are.
    expect(page.locator("#live-status")).to_have_text("1 new tag", timeout=5_000)
    settled(page)
    expect(text).to_have_value("The first author half-agrees")
    expect(text).to_be_focused()
