"""Correcting a reading with the keyboard only: title, merge, split at the caret, kind."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from readings.models import Document
from tests.browser.conftest import axe_violations, focused, log_in, screenshot, settled, tab_to
from tests.factories import DocumentFactory
from tests.readings.corrections.world import assert_laid_out, passage, quotes, tagged_reading

pytestmark = pytest.mark.django_db(transaction=True)


def _focus_is_visible(page: Page) -> bool:
    style: str = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    return style not in ("", "none")


def test_owner_corrects_a_reading_with_the_keyboard_only(page: Page, live_server) -> None:
    reading = tagged_reading()
    document = reading.document
    before = {pk: words for pk, (_, words) in quotes(document).items()}
    p1 = passage(document, "¶ 1")
    heading = passage(document, "§ 1")
    log_in(page, live_server.url, "ines")
    page.goto(live_server.url + document.get_absolute_url())

    tab_to(page, "Correct this reading")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct “Trade Ties”")
    assert axe_violations(page) == []
    screenshot(page, "correct-reading")

    # Title block: the field, then Enter submits it.
    tab_to(page, "id_title")
    assert _focus_is_visible(page)
    page.keyboard.press("Control+A")
    page.keyboard.type("Trade and Its Ties")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct “Trade and Its Ties”")
    expect(page.get_by_role("status").first).to_contain_text("was saved")

    # Merge ¶ 1 with ¶ 2: the list is swapped, focus stays on the merged passage.
    tab_to(page, "Merge with next (¶ 1)")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    settled(page)
    status = page.locator("#correction-status")
    expect(status).to_contain_text("¶ 1 and ¶ 2 are now one passage, ¶ 1.")
    expect(status).to_contain_text("¶ 3 is now ¶ 2.")
    assert focused(page).startswith("¶ 1")

    # Split it again where "Tariffs" starts: the caret, moved with the arrow keys, picks it.
    tab_to(page, "Split… ¶ 1")
    page.keyboard.press("Enter")
    settled(page)
    assert focused(page) == f"caret-{p1.pk}"
    page.keyboard.press("Home")
    merged = passage(document, "¶ 1").text
    for _ in range(merged.index("Tariffs")):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Split before")).to_have_value(str(merged.index("Tariffs")))
    screenshot(page, "correct-reading-split")
    tab_to(page, "Split here")
    page.keyboard.press("Enter")
    settled(page)
    expect(status).to_contain_text("¶ 1 is now two passages, ¶ 1 and ¶ 2.")
    assert axe_violations(page) == []

    # The stray heading is not part of the text: typed into the select, set with its button.
    tab_to(page, f"kind-{heading.pk}")
    page.keyboard.type("Not")
    tab_to(page, "Set kind of § 1")
    page.keyboard.press("Enter")
    settled(page)
    expect(status).to_contain_text("§ 1 is now not part of the text, Not text 1.")
    screenshot(page, "correct-reading-after")

    document = Document.objects.get(pk=document.pk)
    assert document.title == "Trade and Its Ties"
    assert_laid_out(document)
    assert passage(document, "Not text 1").text == "Security"
    assert passage(document, "¶ 2").text.startswith("Tariffs are a tax on friends.")
    after = {pk: words for pk, (_, words) in quotes(document).items()}
    assert after == before  # every tag still quotes its words


def test_replacing_and_deleting_ask_first_and_pass_axe(page: Page, live_server, tmp_path) -> None:
    from tests.readings.corrections.world import SOURCE

    reading = tagged_reading()
    document = reading.document
    log_in(page, live_server.url, "ines")
    page.goto(live_server.url + f"/documents/{document.pk}/correct/")
    better = tmp_path / "better.txt"
    better.write_text(SOURCE.replace("distant quarrels", "far quarrels"), encoding="utf-8")
    page.get_by_label("New file").set_input_files(str(better))
    page.get_by_role("button", name="Check the new file").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Replace the text of")
    expect(page.get_by_role("status")).to_contain_text("Nothing has changed yet.")
    assert axe_violations(page) == []
    screenshot(page, "correct-reading-replace")
    page.get_by_role("button", name="Replace the text").click()
    expect(page.get_by_role("status").first).to_contain_text("The text was replaced")

    page.get_by_role("link", name="Delete this reading…").click()
    expect(page.get_by_text("5 tags", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "correct-reading-delete")
    page.get_by_role("button", name="Delete the reading and its 5 tags").click()
    expect(page.get_by_role("status").first).to_contain_text("was deleted, with its 5 tags")
    assert not Document.objects.filter(pk=document.pk).exists()


def test_a_reading_without_headings_keeps_the_width_of_one_with_them(
    page: Page, live_server
) -> None:
    """A reading without headings has no contents list beside it; its text still takes the
    reading column (it had fallen into the contents' 14rem column, six words a line)."""
    with_headings = tagged_reading().document
    plain = DocumentFactory(
        owner=with_headings.owner,
        source="First paragraph, long enough to wrap.\n\nSecond paragraph.",
    )
    log_in(page, live_server.url, "ines")
    widths = []
    for document in (with_headings, plain):
        page.goto(live_server.url + document.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text(document.title)
        box = page.locator("article.reading").bounding_box()
        assert box is not None
        widths.append(box["width"])
    assert page.locator("nav.toc").count() == 0
    assert widths[1] == widths[0] and widths[1] > 500
    assert axe_violations(page) == []
