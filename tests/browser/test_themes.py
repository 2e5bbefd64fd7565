from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Theme
from tests.browser.conftest import axe_violations, log_in, screenshot, settled, tab_to
from tests.factories import seminar_world

pytestmark = pytest.mark.django_db(transaction=True)


def theme_order(page: Page) -> list[str]:
    return page.locator("#active-themes .theme-name").all_inner_texts()


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_instructor_adds_a_theme_and_moves_it_up_with_the_keyboard_only(
    page: Page, live_server, viewport
) -> None:
    world = seminar_world()
    # Blue and Orange taken, so the form suggests Green, the next unused colour.
    for theme, colour in zip(world.themes, ["#1f77b4", "#b35900"], strict=True):
        Theme.objects.filter(pk=theme.pk).update(colour=colour)
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    log_in(page, live_server.url, "ines")
    page.goto(f"{live_server.url}/seminars/{world.seminar.pk}/themes/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Codebook")
    assert theme_order(page) == ["Trade", "Security"]
    assert axe_violations(page) == []

    tab_to(page, "id_name")
    page.keyboard.type("Energy")
    page.keyboard.press("Tab")
    page.keyboard.type("Who pays for the pipeline?")
    page.keyboard.press("Tab")
    page.keyboard.type("Oil, gas and the sanctions on both.")
    page.keyboard.press("Tab")  # into the colour group, on the suggested (checked) colour
    expect(page.get_by_role("radio", name="Green")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="Magenta")).to_be_checked()
    tab_to(page, "Add theme")
    page.keyboard.press("Enter")

    alert = page.locator(".codebook-messages")
    expect(alert).to_have_text("Added “Energy” to the codebook.")
    expect(alert).to_be_focused()
    expect(page.locator("#active-themes .theme-name")).to_have_text(["Trade", "Security", "Energy"])
    expect(page.get_by_label("Name (required)")).to_have_value("")
    energy = Theme.objects.get(name="Energy")
    assert (energy.colour, energy.guiding_question) == ("#a8326e", "Who pays for the pipeline?")

    tab_to(page, f"move-up-{energy.pk}")
    page.keyboard.press("Enter")
    expect(page.locator("#active-themes .theme-name")).to_have_text(["Trade", "Energy", "Security"])
    # Only the list was swapped: the focus stayed on the button, so Enter moves it again.
    expect(page.locator(f"#move-up-{energy.pk}")).to_be_focused()
    expect(page.locator("#codebook-status")).to_have_text("Moved “Energy” up: now 2 of 3.")
    settled(page)
    page.keyboard.press("Enter")
    expect(page.locator("#active-themes .theme-name")).to_have_text(["Energy", "Trade", "Security"])
    expect(page.locator(f"#move-up-{energy.pk}")).to_be_focused()
    expect(page.locator(f"#move-up-{energy.pk}")).to_have_attribute("aria-disabled", "true")
    assert axe_violations(page) == []
    screenshot(page, f"codebook-instructor-{viewport[0]}")

    page.reload()
    assert theme_order(page) == ["Energy", "Trade", "Security"]


def test_instructor_merges_and_restores_a_theme(page: Page, live_server) -> None:
    world = seminar_world()
    trade, security = world.themes
    log_in(page, live_server.url, "ines")
    page.goto(f"{live_server.url}/seminars/{world.seminar.pk}/themes/")

    card = page.locator(f"#theme-{trade.pk}")
    card.get_by_text("Merge into another theme").click()
    card.get_by_label("Merge “Trade” into").select_option(label="Security")
    card.get_by_role("button", name="Merge").click()
    # The browser will not send the merge until the confirmation is ticked.
    assert Theme.objects.get(pk=trade.pk).is_active
    card.get_by_role("checkbox").check()
    card.get_by_role("button", name="Merge").click()

    expect(page.locator(".codebook-messages")).to_have_text(
        "Merged “Trade” into “Security”: 0 tags moved."
    )
    retired = page.get_by_role("region", name="Retired themes")
    expect(retired).to_contain_text("Merged into Security")
    assert theme_order(page) == ["Security"]
    assert axe_violations(page) == []

    retired.get_by_role("button", name=re.compile(r"^Restore\W+Trade$")).click()
    expect(page.locator(".codebook-messages")).to_have_text(
        "Restored “Trade”: it takes new tags again."
    )
    expect(page.locator("#active-themes .theme-name")).to_have_text(["Trade", "Security"])
    # Last: Playwright hides the caret with style="" on inputs, which htmx would copy on its
    # next settle, and the CSP would refuse.
    screenshot(page, "codebook-restored")


def test_instructor_renames_a_theme_and_a_clash_is_explained_in_place(
    page: Page, live_server
) -> None:
    world = seminar_world()
    trade = world.themes[0]
    log_in(page, live_server.url, "ines")
    page.goto(f"{live_server.url}/seminars/{world.seminar.pk}/themes/")
    page.get_by_role("link", name=re.compile(r"^Edit\W+Trade$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit “Trade”")
    assert axe_violations(page) == []

    page.get_by_label("Name (required)").fill("security")
    page.get_by_role("button", name="Save changes").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The codebook already has a theme called “security”.")
    expect(alert).to_be_focused()
    assert axe_violations(page) == []

    page.get_by_label("Name (required)").fill("Trade and sanctions")
    page.get_by_role("radio", name="Teal").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".messages")).to_contain_text("Saved “Trade and sanctions”.")
    expect(page.locator(f"#theme-{trade.pk}")).to_have_class(re.compile("chip-0f7c8c"))
    assert theme_order(page) == ["Trade and sanctions", "Security"]


def test_student_reads_the_codebook_without_controls(page: Page, live_server) -> None:
    world = seminar_world()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/seminars/{world.seminar.pk}/themes/")
    expect(page.locator("#active-themes .theme-name")).to_have_text(["Trade", "Security"])
    for control in ("Edit", "Move up", "Move down", "Retire", "Merge"):
        expect(page.get_by_role("button", name=re.compile(control))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Edit"))).to_have_count(0)
    expect(page.get_by_role("heading", name="Add a theme")).to_have_count(0)
    assert axe_violations(page) == []
    screenshot(page, "codebook-student-390")
