"""A scan uploaded in the browser (issue 22): a worker reads it by OCR while its job's page shows
the pages read, the preview then marks the passage OCR read with low confidence, in words; the
saved reading says it was read by OCR."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from jobs.runner import JobRun
from readings.importing.readers.ocr.engine import engine
from readings.models import Document
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.factories import UserFactory
from tests.jobs.worker import WorkerThread
from tests.readings.importing.scans import FIRST, SECOND, page_image, scanned_pdf

pytestmark = pytest.mark.django_db(transaction=True)


def test_instructor_uploads_a_scan_watches_its_pages_read_and_sees_the_uncertain_passage(
    page: Page, live_server, tmp_path: Path, monkeypatch
) -> None:
    # Two small pages take a worker a second or two: each page read here takes two seconds
    # more, as a long scan's would, so that the job's page is seen between them.
    progress = JobRun.progress

    def slow_progress(self: JobRun, done: int, total: int, label: str = "") -> None:
        progress(self, done, total, label)
        if "pages read" in label:
            time.sleep(2)

    monkeypatch.setattr(JobRun, "progress", slow_progress)
    UserFactory(username="ines")
    log_in(page, live_server.url, "ines")
    page.goto(live_server.url + "/documents/import/")
    path = tmp_path / "chapter-scan.pdf"
    # A scanned page, specks over its second paragraph, then a blank page.
    path.write_bytes(scanned_pdf([page_image([FIRST, SECOND], noise=0.04, noisy=1, seed=1), None]))
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_role("button", name="Preview passages").click()

    # No request reads a scan: the answer is the job's page, waiting for a worker.
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    expect(page.get_by_role("progressbar")).to_be_visible()
    assert Document.objects.count() == 0
    with WorkerThread():
        expect(
            page.get_by_text(re.compile(r"chapter-scan.pdf: [12] of 2 pages read"))
        ).to_be_visible(timeout=20_000)
        screenshot(page, "import-ocr-progress")
        assert axe_violations(page) == []
        # Done, the job's page opens the preview by itself.
        expect(page.get_by_role("heading", name="2 passages")).to_be_visible(timeout=60_000)
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
