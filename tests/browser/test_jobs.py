"""Background jobs in the browser (issue 22): a backup started, its page updating itself while
a worker makes the file, the file downloaded; a long job's progress and its cancel."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Page, expect

from jobs.models import Job
from jobs.services import job_start
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.factories import TagFactory, seminar_world
from tests.jobs.worker import WorkerThread

pytestmark = pytest.mark.django_db(transaction=True)


def test_instructor_backs_up_a_seminar_and_downloads_it_when_the_worker_is_done(
    page: Page, live_server
) -> None:
    world = seminar_world()
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    TagFactory(annotation_set=world.key, passage=passage, theme=world.themes[0], note="Key note")
    log_in(page, live_server.url, "ines")
    page.goto(f"{live_server.url}/seminars/{world.seminar.pk}/interchange/")
    page.get_by_role("button", name="Make a backup").click()

    # No worker yet: the page came at once, and says the job waits.
    expect(page.get_by_role("heading", level=1)).to_have_text("Backup of “Reading Power”")
    expect(page.get_by_role("status")).to_contain_text("Waiting for a worker")
    expect(page.get_by_role("link", name="Cancel…")).to_be_visible()
    screenshot(page, "job-waiting")
    assert axe_violations(page) == []

    with WorkerThread():
        # The page polls and shows the end without a reload.
        expect(page.get_by_role("heading", name="Backup of “Reading Power” made")).to_be_visible(
            timeout=15_000
        )
    expect(page.get_by_role("link", name="Cancel…")).to_have_count(0)
    screenshot(page, "job-done")
    assert axe_violations(page) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download").click()
    backup = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert backup["seminar"]["title"] == "Reading Power"
    assert any(tag["note"] == "Key note" for s in backup["sets"] for tag in s["tags"])

    # Restored from that file through the page's form (htmx): the answer is the job's page.
    page.goto(f"{live_server.url}/seminars/{world.seminar.pk}/interchange/")
    restore = page.locator("form", has=page.get_by_role("button", name="Restore as a new seminar"))
    restore.get_by_label("File").set_input_files(download_info.value.path())
    restore.get_by_role("button", name="Restore as a new seminar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Restore of")
    with WorkerThread():
        expect(
            page.get_by_role("heading", name="Backup restored as “Reading Power”")
        ).to_be_visible(timeout=15_000)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Open the restored seminar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reading Power")


def test_a_long_job_shows_its_steps_and_can_be_cancelled(page: Page, live_server, settings):
    settings.COUNTERPOINT_JOB_KINDS = {
        **django_settings.COUNTERPOINT_JOB_KINDS,
        "stepping": "tests.browser.test_jobs.stepping_job",
    }
    world = seminar_world()
    job = job_start(owner=world.instructor, kind="stepping", title="Reading a long book")
    log_in(page, live_server.url, "ines")
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    with WorkerThread():
        expect(page.get_by_role("status")).to_contain_text("Reading page", timeout=15_000)
        expect(page.get_by_role("status")).to_contain_text("of 40")
        screenshot(page, "job-running")
        assert axe_violations(page) == []

        page.get_by_role("link", name="Cancel…").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Cancel “Reading a long book”?")
        assert axe_violations(page) == []
        page.get_by_role("button", name="Cancel the job").click()
        expect(page.get_by_role("status")).to_contain_text("Cancelled", timeout=15_000)
    expect(page.get_by_text("Nothing was changed.")).to_be_visible()
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED and job.steps_done < 40


def stepping_job(job):
    """Forty pages at a tenth of a second each: long enough to watch, and to cancel."""
    import time

    from jobs.runner import Outcome

    for page in range(40):
        job.progress(page, 40, f"Reading page {page + 1} of 40")
        time.sleep(0.1)
    return Outcome(summary="Read")


def test_a_long_handouts_pdf_link_leads_to_its_job_and_the_file(
    page: Page, live_server, monkeypatch
) -> None:
    # Any handout counts as long here (the live server runs in this process).
    monkeypatch.setattr("annotations.handouts.background.HANDOUT_BACKGROUND_PASSAGES", -1)
    world = seminar_world()
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    TagFactory(annotation_set=world.key, passage=passage, theme=world.themes[0])
    log_in(page, live_server.url, "ines")
    page.goto(f"{live_server.url}/seminars/{world.seminar.pk}/handout/")
    # The builder counts the PDF's pages after it has loaded (issue 25): let it finish.
    expect(page.get_by_text(re.compile(r"The PDF: \d+ pages? of A4"))).to_be_visible()
    page.get_by_role("link", name="PDF", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Handout of “Reading Power” (PDF)")
    with WorkerThread():
        expect(page.get_by_role("heading", name="Handout made")).to_be_visible(timeout=30_000)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
