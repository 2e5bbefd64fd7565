"""A scanned page uploaded in the browser (issue 22): the preview marks the passage OCR read
with low confidence, in words; the saved reading says it was read by OCR."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from readings.importing.readers.ocr.engine import engine
from readings.models import Document
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.factories import UserFactory
from tests.readings.importing.scans import FIRST, SECOND, encoded, page_image

pytestmark = pytest.mark.django_db(transaction=True)


def test_instructor_uploads_a_scan_sees_the_uncertain_passage_marked_and_saves(
    page: Page, live_server, tmp_path: Path
) -> None:
    UserFactory(username="ines")
    log_in(page, live_server.url, "ines")
    page.goto(live_server.url + "/documents/import/")
    path = tmp_path / "chapter-scan.png"
    path.write_bytes(encoded(page_image([FIRST, SECOND], noise=0.04, noisy=1, seed=1)))
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Preview passages").click()

    expect(page.get_by_role("heading", name="2 passages")).to_be_visible()
    expect(page.get_by_text("2 paragraphs", exact=True)).to_be_visible()
    expect(page.get_by_text("1 passage was read by OCR with low confidence")).to_be_visible()
    marked = page.locator("li.ocr-uncertain")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("Check this passage: read by OCR with low confidence")
    expect(marked).to_contain_text("instructor")
    screenshot(page, "import-preview-ocr")
    assert axe_violations(page) == []

    page.get_by_label("Title (required)").fill("A scanned chapter")
    page.get_by_role("button", name="Save the reading").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A scanned chapter")
    expect(page.get_by_text(f"Read from a scan by OCR with {engine()}:")).to_be_visible()
    screenshot(page, "imported-reading-ocr")
    assert axe_violations(page) == []
    assert Document.objects.get().ocr_engine == engine()
