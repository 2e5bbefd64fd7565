from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.factories import TagFactory, seminar_world

pytestmark = pytest.mark.django_db(transaction=True)

HYPOTHESIS_SAMPLE = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "standards"
    / "hypothesis"
    / "client"
    / "wikipedia-regression-testing.json"
)


def test_instructor_exports_a_set_and_imports_hypothesis_annotations(
    page: Page, live_server
) -> None:
    world = seminar_world()
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    TagFactory(annotation_set=world.key, passage=passage, theme=world.themes[0], note="Key note")
    log_in(page, live_server.url, "ines")
    page.goto(f"{live_server.url}/seminars/{world.seminar.pk}/")
    page.get_by_role("link", name="Export and import").click()
    expect(page.get_by_role("heading", name="Export an annotation set")).to_be_visible()
    assert axe_violations(page) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="W3C Web Annotation of Key").click()
    collection = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == 1

    assert HYPOTHESIS_SAMPLE.exists(), f"missing standards sample {HYPOTHESIS_SAMPLE}"
    form = page.locator("form", has=page.get_by_role("button", name="Import", exact=True))
    form.get_by_label("File").set_input_files(str(HYPOTHESIS_SAMPLE))
    form.get_by_role("button", name="Import", exact=True).click()
    result = page.locator("#interchange-result")
    expect(result.get_by_role("heading", level=2)).to_contain_text("Imported 0 tags")
    expect(result).to_contain_text("not found")
    screenshot(page, "interchange-import-result")
    assert axe_violations(page) == []
