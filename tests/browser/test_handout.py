from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, log_in, screenshot
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
