from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from annotations.demo.load import DEMO_PASSWORD
from readings.models import Passage, Seminar
from tests.browser.conftest import axe_violations, log_in, screenshot, settled, tab_to
from tests.demo_seminar import LoadedDemo
from tests.factories import TagFactory, seminar_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_instructor_previews_a_handout_and_downloads_the_pdf(page: Page, live_server) -> None:
    world = seminar_world()
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    TagFactory(annotation_set=world.key, passage=passage, theme=world.themes[0], note="Key note")
    log_in(page, live_server.url, "ines")
    page.goto(f"{live_server.url}/seminars/{world.seminar.pk}/")
    page.get_by_role("link", name="Handout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discussion handout")
    preview = page.locator("#handout-preview")
    expect(preview.get_by_role("heading", name="Trade")).to_be_visible()
    # Unticking the notes updates the preview in place.
    expect(preview).to_contain_text("Key note")
    page.get_by_label("Notes", exact=True).uncheck()
    expect(page.locator("#handout-preview")).not_to_contain_text("Key note")
    expect(page).to_have_url(re.compile(r"/handout/\?"))
    screenshot(page, "handout-builder")
    assert axe_violations(page) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF", exact=True).click()
    download = download_info.value
    assert re.fullmatch(r"reading-power-.+\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


# Issue 25: choosing the passages in the preview, by keyboard, with the page count ----------


def _passage(demo: Seminar, author: str, label: str) -> Passage:
    return Passage.objects.get(document__seminars=demo, document__authors__0=author, label=label)


def test_instructor_drops_and_pins_by_keyboard_and_the_pdf_follows(
    page: Page, live_server, demo_loaded: LoadedDemo
) -> None:
    demo = demo_loaded.seminar
    seven = _passage(demo, "Michael McFaul", "¶ 7")
    twenty_four = _passage(demo, "Michael McFaul", "¶ 24")
    log_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    page.goto(
        f"{live_server.url}/seminars/{demo.pk}/handout/"
        "?built=1&theme=ukraine-war&excerpt=whole&limit=2"
    )
    count = page.locator("#handout-pages")
    expect(count).to_have_text("The PDF: 1 page of A4.")  # loaded after the page
    preview = page.locator("#handout-preview")
    expect(preview).to_contain_text("McFaul & Medeiros, ¶ 7")

    # Drop ¶ 7 by keyboard: Tab to its box, Space to tick it.
    tab_to(page, f"drop-ukraine-war-{seven.pk}")
    page.keyboard.press("Space")
    dropped = page.get_by_label("Dropped McFaul & Medeiros, ¶ 7 from Ukraine war")
    expect(dropped).to_be_checked()
    settled(page)
    # The keyboard stays on the box, now among the passages left out, whose next box is the
    # first of those: Tab goes on from there to ¶ 24, which the limit left out.
    expect(dropped).to_be_focused()
    tab_to(page, f"pin-ukraine-war-{twenty_four.pk}", limit=12)
    page.keyboard.press("Space")
    pinned = page.get_by_label("Pin McFaul & Medeiros, ¶ 24 under Ukraine war")
    expect(pinned).to_be_checked()
    settled(page)
    expect(pinned).to_be_focused()
    expect(count).to_have_text("The PDF: 2 pages of A4.")
    expect(page).to_have_url(re.compile(rf"drop-ukraine-war={seven.pk}"))
    expect(page).to_have_url(re.compile(rf"pin-ukraine-war={twenty_four.pk}"))
    settled(page)
    screenshot(page, "handout-choices")
    assert axe_violations(page) == []
    # Printed, the page is the handout alone, with the same choices and no boxes.
    page.emulate_media(media="print")
    expect(preview).to_contain_text(" ".join(twenty_four.text.split()[:8]))
    expect(page.get_by_label("Pin McFaul & Medeiros, ¶ 24 under Ukraine war")).to_be_hidden()
    expect(page.get_by_role("group", name="Passages and length")).to_be_hidden()
    expect(page.locator(".handout-choice").first).to_be_hidden()
    page.emulate_media(media="screen")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF", exact=True).click()
    reader = PdfReader(download_info.value.path())
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert len(reader.pages) == 2
    assert "McFaul & Medeiros, ¶ 24" in text and flat_start(twenty_four.text) in text
    assert "McFaul & Medeiros, ¶ 7 " not in text and flat_start(seven.text) not in text


def flat_start(text: str) -> str:
    return " ".join(text.split()[:8])


def test_without_javascript_the_preview_button_keeps_the_choices_and_a_link_counts_the_pages(
    browser: Browser, live_server, demo_loaded: LoadedDemo
) -> None:
    demo = demo_loaded.seminar
    seven = _passage(demo, "Michael McFaul", "¶ 7")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    log_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    page.goto(
        f"{live_server.url}/seminars/{demo.pk}/handout/"
        "?built=1&theme=ukraine-war&excerpt=whole&limit=2"
    )
    page.get_by_label("Drop McFaul & Medeiros, ¶ 7 from Ukraine war").check()
    page.get_by_label("Fit to at most this many pages").fill("1")
    page.get_by_role("button", name="Preview").click()
    expect(page).to_have_url(re.compile(rf"&fit=1&.*drop-ukraine-war={seven.pk}$"))
    expect(page.get_by_label("Dropped McFaul & Medeiros, ¶ 7 from Ukraine war")).to_be_checked()
    page.get_by_role("link", name="Count the PDF’s pages").click()
    expect(page.locator("#handout-pages")).to_have_text("The PDF: 1 page of A4.")
    expect(page).to_have_url(re.compile(r"count=1"))
    context.close()


def test_on_a_phone_the_builder_fits_the_screen_and_its_boxes_are_big_enough(
    browser: Browser, live_server, demo_loaded: LoadedDemo
) -> None:
    demo = demo_loaded.seminar
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/seminars/{demo.pk}/handout/?built=1&summaries=on&notes=on")
    expect(page.locator("#handout-pages")).to_contain_text("The PDF:")
    expect(page.get_by_label("Drop McFaul & Medeiros, ¶ 3 from Trade")).to_be_visible()
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide"
    box = page.get_by_label("Drop McFaul & Medeiros, ¶ 3 from Trade").bounding_box()
    assert box is not None and box["width"] >= 24 and box["height"] >= 24
    screenshot(page, "handout-phone")
    assert axe_violations(page) == []
    context.close()
