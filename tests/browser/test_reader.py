"""The reader in a browser: keyboard-only tagging, quote spans, live updates, no JavaScript."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from annotations.demo.load import demo_load
from annotations.models import AnnotationSet, Tag
from annotations.services import passage_tag, tag_remove
from readings.models import Document, Note, Passage
from tests.browser.conftest import ROOT, axe_violations, screenshot, settled, tab_to
from tests.factories import DocumentFactory, SeminarReadingFactory, seminar_world

pytestmark = pytest.mark.django_db(transaction=True)

# COUNTERPOINT_DOCS_SCREENSHOTS=1 bin/test -k screenshots refreshes the README's screenshots.
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
# An astral character before the quote: JS counts it twice (UTF-16), the server once.
ASTRAL = "Astral\n\nThe clef 𝄞 opens the line, and then the quoted words close it for good.\n"


def log_in(page: Page, base: str, username: str) -> None:
    """Log in with a session cookie: the log-in form has its own tests, and a page left right
    after it loaded can abort its icon request, which the problems fixture would report."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def reader_path(annotation_set: AnnotationSet, document: Document) -> str:
    return f"/seminars/{annotation_set.seminar_id}/sets/{annotation_set.pk}/read/{document.pk}/"


def test_student_tags_with_the_keyboard_only_and_finds_it_after_a_reload(
    page: Page, live_server
) -> None:
    world = seminar_world()
    trade = world.themes[0]
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + reader_path(world.student_set, world.documents[0]))
    expect(page.get_by_role("heading", level=1)).to_have_text("First Reading")
    assert axe_violations(page) == []

    passage = page.locator("#p1")
    page.keyboard.press("j")
    expect(passage).to_be_focused()
    expect(passage).to_have_class(re.compile(r"\bis-selected\b"))
    page.keyboard.press("Enter")
    expect(passage.get_by_role("region", name="Tag ¶ 1")).to_be_visible()
    settled(page)
    page.keyboard.press("1")
    expect(passage.locator(".passage-tags")).to_have_text(re.compile("Trade"))
    expect(page.locator("#reader-status")).to_have_text("Tagged ¶ 1 Trade")
    expect(page.locator(f"#p1-theme-{trade.pk}")).to_have_attribute("aria-pressed", "true")
    settled(page)
    tag = Tag.objects.get()
    assert (tag.passage.anchor, tag.theme, tag.span_end) == ("p1", trade, 0)
    assert axe_violations(page) == []  # with the panel open

    tab_to(page, f"p1-stance-{tag.pk}-none")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="Opposes")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Note")).to_be_focused()
    page.keyboard.type("Trade is the lever here, not the glue.")
    page.keyboard.press("Tab")
    save = page.locator(f"#p1-save-{tag.pk}")
    expect(save).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#reader-status")).to_have_text("Saved Trade on ¶ 1")
    expect(save).to_be_focused()  # the passage was swapped; the focus stayed on its button
    tag.refresh_from_db()
    assert (tag.stance, tag.note) == ("opposes", "Trade is the lever here, not the glue.")

    page.reload()
    chips = page.locator("#p1 .passage-tags")
    expect(chips).to_contain_text("Trade")
    expect(chips).to_contain_text("opposes")
    expect(chips).to_contain_text("Trade is the lever here, not the glue.")

    # The same number key removes the tag again, without opening the panel.
    page.keyboard.press("j")
    expect(passage).to_be_focused()
    page.keyboard.press("1")
    expect(page.locator("#reader-status")).to_have_text("Removed Trade from ¶ 1")
    expect(passage.locator(".passage-tags")).to_have_count(0)
    expect(passage).to_be_focused()
    assert not Tag.objects.exists()


def test_the_ribbon_follows_tagging_and_the_contents_fold_above_the_text(
    page: Page, live_server
) -> None:
    world = seminar_world()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + reader_path(world.student_set, world.documents[0]))
    contents = page.locator("details[data-toc]")
    expect(contents).to_have_attribute("open", "")  # in its own column: open
    expect(page.get_by_role("link", name="FIRST PART")).to_be_visible()
    ribbon = page.get_by_role("navigation", name="Where themes occur")
    expect(ribbon.get_by_role("group", name="Trade: 0 passages")).to_be_visible()

    page.keyboard.press("j")
    page.keyboard.press("1")
    expect(page.locator("#reader-status")).to_have_text("Tagged ¶ 1 Trade")
    expect(ribbon.get_by_role("group", name="Trade: 1 passage")).to_be_visible()
    expect(ribbon.get_by_role("link", name="Trade, ¶ 1")).to_have_attribute("href", "#p1")
    expect(page.get_by_role("link", name="Trade 1 passage")).to_be_visible()  # the filter
    settled(page)
    page.keyboard.press("1")
    expect(page.locator("#reader-status")).to_have_text("Removed Trade from ¶ 1")
    expect(ribbon.get_by_role("group", name="Trade: 0 passages")).to_be_attached()

    # On a phone the contents sit above the text: folded, one tap away.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(contents).not_to_have_attribute("open", "")
    expect(page.get_by_role("link", name="FIRST PART")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
    contents.locator("summary").click()
    expect(page.get_by_role("link", name="FIRST PART")).to_be_visible()
    assert axe_violations(page) == []


def test_keyboard_help_opens_with_a_question_mark(page: Page, live_server) -> None:
    world = seminar_world()
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + reader_path(world.student_set, world.documents[0]))
    help_panel = page.locator("#reader-help")
    page.keyboard.press("?")
    expect(help_panel).to_have_attribute("open", "")
    expect(help_panel).to_contain_text("the same key again removes the tag")
    expect(help_panel.locator("summary")).to_be_focused()
    page.keyboard.press("Escape")
    expect(help_panel).not_to_have_attribute("open", "")


def test_a_click_opens_the_panel_and_escape_closes_it(page: Page, live_server) -> None:
    world = seminar_world()
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + reader_path(world.student_set, world.documents[0]))
    second = page.locator("#p2")
    second.locator(".passage-text").click()
    expect(second.locator(".tag-panel")).to_be_visible()
    expect(second).to_be_focused()
    settled(page)
    # Opening another passage closes this one (it holds nothing unsaved).
    page.locator("#p3 .passage-text").click()
    expect(page.locator("#p3 .tag-panel")).to_be_visible()
    expect(second.locator(".tag-panel")).to_have_count(0)
    settled(page)
    page.keyboard.press("Escape")
    expect(page.locator("#p3 .tag-panel")).to_have_count(0)
    expect(page.locator("#p3")).to_be_focused()
    expect(page.locator("#p3").get_by_role("link", name="Tag ¶ 3")).to_be_visible()


def test_refusals_and_lost_connections_show_in_the_passage(
    page: Page, live_server, problems: list[str]
) -> None:
    world = seminar_world()
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + reader_path(world.student_set, world.documents[0]))
    passage = page.locator("#p1")
    page.keyboard.press("j")
    expect(passage).to_be_focused()
    page.context.set_offline(True)
    page.keyboard.press("1")
    alert = passage.get_by_role("alert")
    expect(alert).to_have_text(
        "Not saved: no connection. What you entered is still here; try again."
    )
    page.context.set_offline(False)
    # Meanwhile the instructor locks the set.
    AnnotationSet.objects.filter(pk=world.student_set.pk).update(locked=True)
    page.keyboard.press("1")
    expect(alert).to_have_text("Not saved: this set is locked, or it is not yours to change.")
    expect(page.locator("#reader-status")).to_have_text(re.compile("locked"))
    assert not Tag.objects.exists()
    # Both failures were provoked: they are not the page's problems.
    assert any(problem.startswith("failed:") for problem in problems)
    assert any(problem.startswith("HTTP 403") for problem in problems)
    problems.clear()


def test_filters_swap_the_passages_and_keep_a_url(page: Page, live_server) -> None:
    world = seminar_world()
    first = Passage.objects.filter(document=world.documents[0], kind=Passage.Kind.PARAGRAPH)[0]
    passage_tag(
        annotation_set=world.student_set, passage=first, theme=world.themes[0], author=world.student
    )
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + reader_path(world.student_set, world.documents[0]))
    page.get_by_role("link", name=re.compile(r"^Tagged")).click()
    expect(page).to_have_url(re.compile(r"\?only=tagged$"))
    expect(page.locator("#filter-tagged")).to_be_focused()
    expect(page.locator("#filter-tagged")).to_have_attribute("aria-current", "true")
    expect(page.locator("#p1")).to_be_visible()
    expect(page.locator("#p2")).to_be_hidden()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/read/\d+/$"))
    expect(page.locator("#p2")).to_be_visible()


def test_selected_words_become_a_quote_tag(page: Page, live_server) -> None:
    world = seminar_world()
    document = DocumentFactory(title="Astral", source=ASTRAL)
    SeminarReadingFactory(seminar=world.seminar, document=document, position=9)
    passage = Passage.objects.get(document=document, kind=Passage.Kind.PARAGRAPH)
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + reader_path(world.student_set, document))
    article = page.locator("#p1")
    article.get_by_role("link", name="Tag ¶ 1").click()
    expect(article.locator(".tag-panel")).to_be_visible()
    settled(page)
    # Select "quoted words" with the mouse: press before "quoted", release after "words".
    box = page.evaluate(
        """() => {
          const node = document.querySelector('#p1 .passage-text').firstChild;
          const at = node.data.indexOf('quoted words');
          const range = document.createRange();
          range.setStart(node, at); range.setEnd(node, at + 1);
          const first = range.getBoundingClientRect();
          range.setStart(node, at + 11); range.setEnd(node, at + 12);
          const last = range.getBoundingClientRect();
          return {x1: first.left + 1, y: first.top + first.height / 2, x2: last.right - 0.5};
        }"""
    )
    page.mouse.move(box["x1"], box["y"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y"], steps=5)
    page.mouse.up()
    choice = article.locator(".span-choice")
    expect(choice).to_be_visible()
    expect(choice.locator("q")).to_have_text("quoted words")
    article.get_by_role("button", name="Security").click()
    expect(article.locator("mark.quote")).to_have_text("quoted words")
    expect(page.locator("#reader-status")).to_have_text("Tagged a quote in ¶ 1 Security")
    tag = Tag.objects.get()
    assert passage.text[tag.span_start : tag.span_end] == "quoted words"


def test_other_members_tags_appear_without_a_reload(page: Page, live_server) -> None:
    world = seminar_world()
    AnnotationSet.objects.filter(pk=world.key.pk).update(blind=False)
    first = Passage.objects.filter(document=world.documents[0], kind=Passage.Kind.PARAGRAPH)[1]
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + reader_path(world.key, world.documents[0]))
    chips = page.locator(f"#{first.anchor} .passage-tags")
    expect(chips).to_have_count(0)
    tag, _ = passage_tag(
        annotation_set=world.key, passage=first, theme=world.themes[1], author=world.instructor
    )
    expect(chips).to_contain_text("Security", timeout=10_000)
    tag_remove(tag=tag)
    expect(chips).to_have_count(0, timeout=10_000)


def test_tagging_works_without_javascript(browser: Browser, live_server) -> None:
    world = seminar_world()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + reader_path(world.student_set, world.documents[0]))
    page.get_by_role("link", name="Tag ¶ 2").click()
    panel = page.get_by_role("region", name="Tag ¶ 2")
    panel.get_by_role("button", name="Security").click()
    expect(page).to_have_url(re.compile(r"\?open=\d+#p2$"))
    expect(page.locator("#p2 .passage-tags")).to_contain_text("Security")
    page.get_by_role("region", name="Tag ¶ 2").get_by_role("radio", name="Supports").check()
    page.get_by_role("button", name="Save Security on ¶ 2").click()
    expect(page.locator("#p2 .passage-tags")).to_contain_text("supports")
    page.get_by_role("button", name="Remove Security from ¶ 2").click()
    expect(page.locator("#p2 .passage-tags")).to_have_count(0)
    assert not Tag.objects.exists()
    context.close()


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_side_by_side_has_no_accessibility_violations(page: Page, live_server, viewport) -> None:
    world = seminar_world()
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    log_in(page, live_server.url, "sam")
    page.goto(
        f"{live_server.url}/seminars/{world.seminar.pk}/sets/{world.student_set.pk}/parallel/"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("The readings side by side")
    expect(page.locator(".parallel-column")).to_have_count(2)
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("^Trade")).click()
    expect(page).to_have_url(re.compile(r"parallel/\?theme=trade$"))
    expect(page.locator(f"#filter-theme-{world.themes[0].pk}")).to_be_focused()
    screenshot(page, f"parallel-{viewport[0]}")


def _demo_reader(page: Page, live_server) -> None:
    demo_load()
    amara = AnnotationSet.objects.get(owner__username="amara")
    essay = Document.objects.get(title__startswith="China and Russia")
    # The demo tags whole passages; one quote shows how a highlighted span looks.
    third = essay.passages.get(anchor="p3")
    start = third.text.index("the idea is a bad one")
    passage_tag(
        annotation_set=amara,
        passage=third,
        theme=amara.seminar.themes.get(name="Reverse Kissinger"),
        author=amara.owner,
        span=(start, start + len("the idea is a bad one")),
        stance="opposes",
    )
    log_in(page, live_server.url, "amara")
    page.goto(live_server.url + reader_path(amara, essay) + "#p2")


@pytest.mark.parametrize(
    "scheme",
    [
        pytest.param("light", marks=pytest.mark.browser_context_args(color_scheme="light")),
        pytest.param("dark", marks=pytest.mark.browser_context_args(color_scheme="dark")),
    ],
)
@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_reader_screenshots_light_and_dark(page: Page, live_server, scheme, viewport) -> None:
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    _demo_reader(page, live_server)
    passage = page.locator("#p3")
    passage.locator(".passage-text").click()
    expect(passage.locator(".tag-panel")).to_be_visible()
    settled(page)
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(passage).to_be_focused()
    assert axe_violations(page) == []
    # The passage with its chips, its highlighted quote and its open panel, at the top.
    page.evaluate(
        """() => window.scrollTo({behavior: "instant",
             top: document.querySelector("#p3").getBoundingClientRect().top + scrollY - 100})"""
    )
    page.mouse.move(1, 1)
    name = f"reader-{scheme}" + ("" if viewport[0] == 1280 else f"-{viewport[0]}")
    path = ROOT / "test-artifacts" / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), caret="initial")
    if viewport[0] == 1280 and os.environ.get("COUNTERPOINT_DOCS_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS_SCREENSHOTS / f"reader-{scheme}.png")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_footnote_opens_from_the_keyboard_with_or_without_javascript(
    browser: Browser, live_server, javascript: bool
) -> None:
    world = seminar_world()
    passage = Passage.objects.get(document=world.documents[0], anchor="p1")
    Note.objects.create(
        document=passage.document, passage=passage, number=1, text="Ames, The Haste, p. 4."
    )
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, live_server.url, "sam")
    page.goto(live_server.url + reader_path(world.student_set, world.documents[0]))
    note = page.locator("#p1").get_by_text("Ames, The Haste, p. 4.")
    expect(note).to_be_hidden()
    summary = page.locator("#p1 summary", has_text="Note 1")
    summary.focus()
    page.keyboard.press("Enter")
    expect(note).to_be_visible()
    if javascript:
        assert axe_violations(page) == []
    context.close()
