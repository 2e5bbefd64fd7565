from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from readings.models import Document
from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.factories import UserFactory
from tests.jobs.worker import WorkerThread

pytestmark = pytest.mark.django_db(transaction=True)

READING = """# Patience in Diplomacy

Patience is underrated in diplomacy. It lets partners learn what the other wants.

## The costs of haste

Haste has costs. It breeds mistakes that outlast the people who made them.

- Treaties signed in a hurry fray.
- Partners courted in a hurry defect.
"""


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_instructor_uploads_a_file_checks_the_passages_and_saves(
    page: Page, live_server, tmp_path: Path, viewport
) -> None:
    UserFactory(username="ines")
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    log_in(page, live_server.url, "ines")
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a reading")
    assert axe_violations(page) == []

    path = tmp_path / "patience.md"
    path.write_text(READING, encoding="utf-8")
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_label("Authors").fill("Ann Author")
    page.get_by_role("button", name="Preview passages").click()

    expect(page.get_by_role("heading", name="6 passages")).to_be_visible()
    expect(page.get_by_role("heading", name="About the reading")).to_be_focused()
    expect(page.get_by_text("2 headings · 2 paragraphs · 2 list items")).to_be_visible()
    expect(page.get_by_label("Title (required)")).to_have_value("Patience in Diplomacy")
    screenshot(page, f"import-preview-{viewport[0]}")
    assert axe_violations(page) == []
    assert Document.objects.count() == 0

    page.get_by_role("button", name="Save the reading").click()
    expect(page.get_by_role("status")).to_contain_text("was imported with 6 passages")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patience in Diplomacy")
    expect(page.get_by_role("heading", name="The costs of haste")).to_be_visible()
    screenshot(page, f"imported-reading-{viewport[0]}")
    assert axe_violations(page) == []
    assert Document.objects.get().authors == ["Ann Author"]


def test_empty_paste_is_refused_in_place_and_nothing_is_stored(page: Page, live_server) -> None:
    UserFactory(username="ines")
    log_in(page, live_server.url, "ines")
    page.goto(live_server.url + "/documents/import/")
    page.get_by_label("Or paste the text").fill("   \n\n  ")
    page.get_by_role("button", name="Preview passages").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("only whitespace")
    expect(alert).to_be_focused()
    # The error arrived as an htmx swap of the form, not a new page: the heading stayed put.
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a reading")
    screenshot(page, "import-error")
    assert axe_violations(page) == []
    assert Document.objects.count() == 0


def _item_3_files(tmp_path: Path) -> dict[str, Path]:
    """The valid files of issue 19 that previewed and could not be saved, made here."""
    from tests.readings.importing.builders import cell_access_tables, text_pdf, word_document

    made = {
        "thesis.pdf": text_pdf([["A thesis\x00 whose text layer holds NUL."]], title="Thesis"),
        "twelve.txt": b"12",
        "numbers.txt": b"1\n\n2\n\n3",
        "tbl-cell-access.docx": word_document(cell_access_tables),
        # Cyrillic: escaped and form-encoded, posting it back took about three times its size.
        "long.txt": "\n\n".join(
            f"{n}. Терпение недооценено в дипломатии, оно помогает партнёрам учиться. " * 6
            for n in range(4000)
        ).encode(),
    }
    paths = {}
    for name, data in made.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    return paths


def test_the_files_that_could_not_be_saved_now_save(
    page: Page, live_server, tmp_path: Path
) -> None:
    UserFactory(username="ines")
    log_in(page, live_server.url, "ines")
    for name, path in _item_3_files(tmp_path).items():
        page.goto(live_server.url + "/documents/import/")
        page.get_by_label("File").set_input_files(str(path))
        page.get_by_role("button", name="Preview passages").click()
        about = page.get_by_role("heading", name="About the reading")
        waiting = page.get_by_role("link", name="Reload to see the progress")
        expect(about.or_(waiting)).to_be_visible()
        if waiting.is_visible():  # over 2 MB: a worker reads it (issue 22); the job's page
            with WorkerThread():  # opens the preview by itself when it is ready
                expect(about).to_be_visible(timeout=60_000)
        expect(page.get_by_role("heading", name="About the reading")).to_be_visible()
        title = page.get_by_label("Title (required)")
        if not title.input_value():
            title.fill(name)
        page.get_by_role("button", name="Save the reading").click()
        expect(page.get_by_role("status")).to_contain_text("was imported with", timeout=20_000)
    assert Document.objects.count() == 5
