"""The whole journeys, end to end in a real browser, on a laptop and on a phone-sized screen:
an instructor prepares a seminar from an empty database, a student joins and tags blind until
the instructor reveals the class's work, and the class discusses and presents.

Every page visited is checked with axe-core and photographed once per step
(test-artifacts/screenshots/journey-<which>-<viewport>-<nn>-<step>.png); the `page` fixture
fails the test on any console error or failed request. The pieces have their own, more
detailed tests in this folder: these only ask whether the whole path works."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from annotations.demo.load import DEMO_PASSWORD
from annotations.models import AnnotationSet, DiscussionPick, PositionSummary, Tag, Theme
from annotations.services import passage_tag, position_summary_save
from readings.models import Document, Membership, Passage, Seminar
from tests.browser.conftest import axe_violations, log_in, screenshot, settled, tab_to
from tests.demo_seminar import LoadedDemo
from tests.factories import (
    PASSWORD,
    AnnotationSetFactory,
    DocumentFactory,
    MembershipFactory,
    SeminarFactory,
    SeminarReadingFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = [pytest.param((1280, 800), id="laptop"), pytest.param((390, 844), id="phone")]

# The instructor's two readings: one uploaded as an HTML file, one pasted as plain text.
PATIENT_HTML = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>The Patient Partner</title>
<meta name="author" content="Helen Lindqvist"></head>
<body><article>
<h1>The Patient Partner</h1>
<p>Trade ties bind rivals together: every container ship is a hostage to peace.</p>
<h2>Alliances</h2>
<p>Security comes from allies who share the burden, not from walls.</p>
<p>An alliance costs money, but isolation costs more.</p>
</article></body>
</html>
"""
HURRIED_TEXT = """The Hurried Rival

Trade makes nobody safe: it only makes the rich richer.

Speed wins where patience stalls. A quick deal beats a slow friendship.

Alliances are slow. By the time allies agree, the moment has passed.
"""
JOIN_CODE = "TRADE123"
TRADE_QUESTION = "Does trade keep the peace?"
SECURITY_QUESTION = "Are alliances worth what they cost?"


@dataclass
class Journey:
    """Numbers the steps of one journey; each step is checked by axe, for sideways scrolling,
    and photographed."""

    page: Page
    which: str
    viewport: tuple[int, int]
    step: int = 0

    @property
    def size(self) -> str:
        return f"{self.viewport[0]}x{self.viewport[1]}"

    def seen(self, name: str) -> None:
        page = self.page
        self.step += 1
        label = f"journey-{self.which}-{self.size}-{self.step:02d}-{name}"
        assert axe_violations(page) == [], f"axe found violations at step {label}"
        # Nothing may push the page sideways: on a phone that means scrolling every line.
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"the page is {width[0]} px wide at step {label}"
        screenshot(page, label)


def start(page: Page, which: str, viewport: tuple[int, int]) -> Journey:
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    return Journey(page, which, viewport)


def main(page: Page):
    return page.locator("main")


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    log_in(page, base, username, password)
    page.wait_for_load_state("load")  # the home page, with its scripts, before going on


def assert_text_fills_the_column(journey: Journey) -> None:
    """The reading gets the room a reader needs: without a table of contents (no headings)
    the text once fell into that narrow column."""
    box = journey.page.locator(".reader-reading").bounding_box()
    assert box is not None
    assert box["width"] >= min(journey.viewport[0] - 80, 560), f"the text is {box['width']} px"


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    # Back on the home page, loaded: a navigation now would not cut the redirect short.
    expect(heading(page)).to_have_text("Read authors against each other")
    page.wait_for_load_state("load")


def download(page: Page, link_name: str, tmp_path: Path) -> tuple[str, bytes]:
    with page.expect_download() as info:
        main(page).get_by_role("link", name=link_name, exact=True).click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    return info.value.suggested_filename, saved.read_bytes()


# 1. The instructor, from an empty database ---------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_an_instructor_prepares_a_seminar_from_an_empty_database(
    page: Page, live_server, tmp_path: Path, viewport
) -> None:
    assert not Document.objects.exists() and not Seminar.objects.exists()
    journey = start(page, "instructor", viewport)
    base = live_server.url

    # Sign up from the home page.
    page.goto(base + "/")
    expect(heading(page)).to_have_text("Read authors against each other")
    journey.seen("home")
    main(page).get_by_role("link", name="Create an account").click()
    expect(heading(page)).to_have_text("Create an account")
    page.get_by_label("Username").fill("helga")
    page.get_by_label("Email").fill("helga@example.org")
    page.get_by_label("Password (required)").fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    journey.seen("signup")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Counterpoint, helga.")
    expect(page.get_by_role("heading", name="Your seminars")).to_be_visible()
    expect(page.get_by_text("You are not in a seminar yet.")).to_be_visible()
    journey.seen("welcome")

    # Create a seminar: it starts empty and says so.
    main(page).get_by_role("link", name="Create a seminar").click()
    expect(heading(page)).to_have_text("New seminar")
    page.get_by_label("Title").fill("Trade and Alliances")
    page.get_by_label("Term").fill("Autumn 2026")
    page.get_by_label("Description").fill("Two authors on what keeps rivals at peace.")
    journey.seen("new-seminar")
    page.get_by_role("button", name="Create the seminar").click()
    expect(heading(page)).to_have_text("Trade and Alliances")
    expect(page.get_by_text("No readings yet.")).to_be_visible()
    expect(page.get_by_text("No annotation sets yet.")).to_be_visible()
    expect(page.locator("#themes")).to_contain_text("No themes yet.")
    journey.seen("empty-seminar")
    seminar = Seminar.objects.get()

    # The first reading, uploaded as an HTML file; the preview shows its passages first.
    page.get_by_role("link", name="Import a new reading into this seminar").click()
    expect(heading(page)).to_have_text("Import a reading")
    expect(main(page)).to_contain_text("It will be added to the readings of “Trade and Alliances”.")
    journey.seen("import-file")
    upload = tmp_path / "patient-partner.html"
    upload.write_text(PATIENT_HTML, encoding="utf-8")
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Preview passages").click()
    expect(page.get_by_role("heading", name="5 passages")).to_be_visible()
    expect(page.get_by_text("2 headings · 3 paragraphs")).to_be_visible()
    expect(page.get_by_label("Title (required)")).to_have_value("The Patient Partner")
    expect(page.get_by_label("Authors")).to_have_value("Helen Lindqvist")
    preview = page.locator(".passage-preview > li")
    expect(preview).to_have_count(5)
    expect(preview.nth(1)).to_contain_text("Trade ties bind rivals together")
    journey.seen("file-preview")
    assert not Document.objects.exists()  # nothing is stored before the preview is saved
    page.get_by_role("button", name="Save the reading").click()
    expect(page.get_by_role("status")).to_contain_text(
        "“The Patient Partner” was imported with 5 passages into Trade and Alliances."
    )
    expect(page.locator(".reading-list > li")).to_have_count(1)
    journey.seen("first-reading")

    # The second reading, pasted.
    page.get_by_role("link", name="Import a new reading into this seminar").click()
    page.get_by_label("Or paste the text").fill(HURRIED_TEXT)
    page.get_by_label("Authors").fill("Omar Castellanos")
    page.get_by_role("button", name="Preview passages").click()
    expect(page.get_by_role("heading", name="4 passages")).to_be_visible()
    expect(page.get_by_text("1 front matter · 3 paragraphs")).to_be_visible()
    expect(page.get_by_label("Title (required)")).to_have_value("The Hurried Rival")
    journey.seen("paste-preview")
    page.get_by_role("button", name="Save the reading").click()
    expect(page.get_by_role("status")).to_contain_text("was imported with 4 passages")
    readings = page.locator(".reading-list > li")
    expect(readings).to_have_count(2)
    expect(readings.nth(0)).to_contain_text("The Patient Partner")
    expect(readings.nth(0)).to_contain_text("Lindqvist · 3 paragraphs")
    expect(readings.nth(1)).to_contain_text("The Hurried Rival")
    expect(readings.nth(1)).to_contain_text("Castellanos · 3 paragraphs")
    journey.seen("two-readings")

    # The codebook: two themes, each with its guiding question.
    page.get_by_role("link", name="Edit the codebook").click()
    expect(heading(page)).to_have_text("Codebook")
    expect(page.get_by_text("No themes yet.")).to_be_visible()
    journey.seen("empty-codebook")
    for name, question in (("Trade", TRADE_QUESTION), ("Security", SECURITY_QUESTION)):
        page.get_by_label("Name (required)").fill(name)
        page.get_by_label("Guiding question").fill(question)
        page.get_by_role("button", name="Add theme").click()
        expect(page.locator(".codebook-messages")).to_have_text(f"Added “{name}” to the codebook.")
        settled(page)
    expect(page.locator("#active-themes .theme-name")).to_have_text(["Trade", "Security"])
    expect(page.locator("#active-themes")).to_contain_text(SECURITY_QUESTION)
    journey.seen("codebook")

    # The instructor's key: a set of kind "Instructor key".
    page.get_by_role("navigation", name="Seminar").get_by_role(
        "link", name="Seminar", exact=True
    ).click()
    expect(page.locator("#themes .chip")).to_have_text(["Trade", "Security"])
    page.get_by_role("link", name="New annotation set").click()
    expect(heading(page)).to_have_text("New annotation set")
    page.get_by_label("Title").fill("Helga's key")
    page.get_by_label("Kind").select_option(label="Instructor key")
    journey.seen("new-key")
    page.get_by_role("button", name="Create the set").click()
    expect(page.get_by_role("status")).to_contain_text("“Helga's key” is ready for tagging.")
    expect(heading(page)).to_have_text("Helga's key")
    expect(main(page)).to_contain_text("Instructor key by helga")
    expect(page.get_by_role("heading", name="0 tags by theme and reading")).to_be_visible()
    journey.seen("key")
    key = AnnotationSet.objects.get(kind=AnnotationSet.Kind.KEY)

    # Tag passages in the first reading, with a stance.
    main(page).locator("p", has_text="Read:").get_by_role("link", name="Lindqvist").click()
    expect(heading(page)).to_have_text("The Patient Partner")
    expect(page.locator(".passage-tags")).to_have_count(0)
    journey.seen("reader-empty")
    tag_with_stance(page, "p1", "Trade", "Supports")
    tag_with_stance(page, "p2", "Security", "Supports")
    journey.seen("reader-tagged")

    # ... and in the second, reached from the reader's own list of readings.
    page.get_by_role("navigation", name="Readings").get_by_role(
        "link", name=re.compile("^Castellanos")
    ).click()
    expect(heading(page)).to_have_text("The Hurried Rival")
    assert_text_fills_the_column(journey)
    tag_with_stance(page, "p1", "Trade", "Opposes")
    journey.seen("reader-second")
    assert Tag.objects.filter(annotation_set=key).count() == 3

    # The overview: Trade divides the authors, only Lindqvist speaks of Security.
    page.get_by_role("navigation", name="Seminar").get_by_role("link", name="Overview").click()
    expect(heading(page)).to_have_text("Overview: themes across the readings")
    trade = page.get_by_role("row", name=re.compile("^Trade"))
    security = page.get_by_role("row", name=re.compile("^Security"))
    expect(trade.locator(".overview-verdict")).to_have_text("Diverge")
    expect(security.locator(".overview-verdict")).to_have_text("One-sided")
    expect(security.locator(".cell-count")).to_have_text(["1 passage", "Silent"])
    journey.seen("overview")

    # Compare Trade and write both position summaries in place.
    trade.get_by_role("link", name=re.compile("Lindqvist on Trade")).click()
    expect(page.locator("#theme-heading")).to_have_text("Trade")
    expect(page.locator(".guiding-question")).to_contain_text(TRADE_QUESTION)
    columns = page.locator(".compare-column")
    expect(columns).to_have_count(2)
    expect(columns.nth(0).locator(".entry")).to_have_count(1)
    expect(columns.nth(0).locator(".entry")).to_contain_text("Lindqvist, ¶ 1")
    expect(columns.nth(1).locator(".entry")).to_contain_text("Castellanos, ¶ 1")
    expect(columns.nth(0).locator(".summary-missing")).to_have_text(
        "No summary of this author’s position yet."
    )
    journey.seen("compare")
    summaries = {
        "Lindqvist": "Trade makes war too expensive to start.",
        "Castellanos": "Trade enriches the few and secures nobody.",
    }
    for index, (author, text) in enumerate(summaries.items()):
        column = columns.nth(index)
        settled(page)
        column.get_by_role("link", name=f"Write the summary of {author} on Trade").click()
        field = column.get_by_label(f"{author} on Trade")
        expect(field).to_be_focused()
        if index == 0:
            journey.seen("summary-form")
        field.fill(text)
        column.get_by_role("button", name="Save the summary").click()
        expect(column.locator(".summary-text")).to_have_text(text)
    journey.seen("summaries")
    assert PositionSummary.objects.filter(annotation_set=key).count() == 2

    # The silence on Security is stated, not left blank.
    settled(page)
    page.get_by_role("navigation", name="Themes").get_by_role(
        "link", name=re.compile("^Security")
    ).click()
    expect(page.locator("#theme-heading")).to_have_text("Security")
    expect(columns.nth(1)).to_contain_text("Silent on Security.")
    journey.seen("compare-silent")

    # The handout, with a question to discuss, downloaded as PDF and Word.
    page.get_by_role("navigation", name="Seminar").get_by_role("link", name="Handout").click()
    expect(heading(page)).to_have_text("Discussion handout")
    handout = page.locator("#handout-preview")
    expect(handout.locator(".handout-theme-heading")).to_have_text(["Trade", "Security"])
    expect(handout).to_contain_text(summaries["Castellanos"])
    page.get_by_label("Questions on Trade").fill("Who pays for peace through trade?")
    page.get_by_label("Questions on Trade").blur()
    expect(page.locator("#handout-preview .handout-questions")).to_contain_text(
        "Who pays for peace through trade?"
    )
    journey.seen("handout")
    settled(page)
    name, pdf = download(page, "PDF", tmp_path)
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("Trade", "Security", summaries["Lindqvist"], "Who pays for peace"):
        assert expected in re.sub(r"\s+", " ", text), f"{expected!r} is not in the PDF"
    name, word = download(page, "Word (DOCX)", tmp_path)
    assert name.endswith(".docx")
    document = docx.Document(io.BytesIO(word))
    headings = [p.text for p in document.paragraphs if p.style and p.style.name.startswith("Head")]
    assert "Trade" in headings and "Security" in headings, headings
    cells = " ".join(c.text for table in document.tables for row in table.rows for c in row.cells)
    assert summaries["Castellanos"] in cells

    # Invite the students: a join code and a link to share.
    page.get_by_role("navigation", name="Seminar").get_by_role(
        "link", name="Seminar", exact=True
    ).click()
    invite = page.get_by_role("region", name="Invite students")
    seminar.refresh_from_db()
    code = seminar.join_code
    assert code
    expect(invite.locator(".join-code")).to_have_text(code)
    expect(invite.get_by_role("link")).to_have_attribute("href", f"{base}/join/{code}/")
    expect(page.locator("#sets")).to_contain_text("Helga's key")
    expect(page.locator("#sets")).to_contain_text("3 tags · blind")
    journey.seen("invite")


def tag_with_stance(page: Page, anchor: str, theme: str, stance: str) -> None:
    """Open a passage's panel with a click, tag it with a theme and give the tag a stance."""
    passage = page.locator(f"#{anchor}")
    settled(page)
    passage.locator(".passage-text").click()
    panel = passage.locator(".tag-panel")
    expect(panel).to_be_visible()
    settled(page)
    panel.get_by_role("button", name=theme).click()
    expect(passage.locator(".passage-tags")).to_contain_text(theme)
    settled(page)
    panel = passage.locator(".tag-panel")
    panel.get_by_role("radio", name=stance).check()
    panel.get_by_role("button", name=re.compile(f"^Save {theme} on")).click()
    expect(page.locator("#reader-status")).to_have_text(re.compile(f"^Saved {theme} on"))
    expect(passage.locator(".passage-tags")).to_contain_text(stance.lower())


# 2. A student ------------------------------------------------------------------------------

PATIENT_TEXT = """The Patient Partner

Trade ties bind rivals together: every container ship is a hostage to peace.

Security comes from allies who share the burden, not from walls.

An alliance costs money, but isolation costs more.
"""


@dataclass
class Class:
    seminar: Seminar
    key: AnnotationSet
    themes: list[Theme]


@pytest.fixture
def prepared() -> Class:
    """The instructor's seminar as the first journey leaves it, and a classmate's blind work."""
    helga = UserFactory(username="helga")
    tara = UserFactory(username="tara")
    seminar = SeminarFactory(title="Trade and Alliances", join_code=JOIN_CODE)
    MembershipFactory(seminar=seminar, user=helga, role=Membership.Role.INSTRUCTOR)
    MembershipFactory(seminar=seminar, user=tara)
    patient = DocumentFactory(
        title="The Patient Partner", authors=["Helen Lindqvist"], owner=helga, source=PATIENT_TEXT
    )
    hurried = DocumentFactory(
        title="The Hurried Rival", authors=["Omar Castellanos"], owner=helga, source=HURRIED_TEXT
    )
    SeminarReadingFactory(seminar=seminar, document=patient, position=0)
    SeminarReadingFactory(seminar=seminar, document=hurried, position=1)
    trade = ThemeFactory(seminar=seminar, name="Trade", guiding_question=TRADE_QUESTION)
    security = ThemeFactory(seminar=seminar, name="Security", guiding_question=SECURITY_QUESTION)
    key = AnnotationSetFactory(
        seminar=seminar, owner=helga, title="Helga's key", kind=AnnotationSet.Kind.KEY
    )
    tara_set = AnnotationSetFactory(seminar=seminar, owner=tara, title="Tara's reading")

    def first(document: Document) -> Passage:
        return document.passages.get(anchor="p1")

    for annotation_set, document, stance, note in (
        (key, patient, "supports", ""),
        (key, hurried, "opposes", ""),
        (tara_set, patient, "qualifies", "Only between rich partners."),
        (tara_set, hurried, "opposes", "The rich get richer, the rest get nothing."),
    ):
        passage_tag(
            annotation_set=annotation_set,
            passage=first(document),
            theme=trade,
            author=annotation_set.owner,
            stance=stance,
            note=note,
        )
    position_summary_save(
        annotation_set=key, theme=trade, document=hurried, text="Trade secures nobody."
    )
    return Class(seminar=seminar, key=key, themes=[trade, security])


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_student_joins_tags_blind_and_sees_the_class_after_the_reveal(
    page: Page, live_server, prepared: Class, problems: list[str], viewport
) -> None:
    journey = start(page, "student", viewport)
    base = live_server.url
    seminar = prepared.seminar

    # The join link from the instructor: a new student makes an account and joins in one
    # step, and lands in the first reading of their own set, blind like everyone's (issue 21).
    page.goto(f"{base}/join/{JOIN_CODE}/")
    expect(heading(page)).to_have_text("Join “Trade and Alliances”")
    journey.seen("join")
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_label("Password (required)").fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account and join").click()
    expect(page.locator(".messages")).to_contain_text("Welcome to “Trade and Alliances”.")
    first_reading = seminar.seminar_readings.order_by("position").first()
    assert first_reading is not None
    expect(heading(page)).to_have_text(first_reading.document.title)
    own = AnnotationSet.objects.get(owner__username="nadia")
    assert (own.kind, own.blind) == ("student", True)
    page.get_by_role("navigation", name="Seminar").get_by_role(
        "link", name="Seminar", exact=True
    ).click()
    expect(heading(page)).to_have_text("Trade and Alliances")
    expect(page.locator(".reading-list > li")).to_have_count(2)
    expect(page.locator("#themes .chip")).to_have_text(["Trade", "Security"])
    # Every other set is blind: the student sees only their own, and no instructor's controls.
    expect(page.locator("#sets li")).to_have_count(1)
    expect(page.locator("#sets li")).to_contain_text("nadia's reading")
    expect(page.get_by_role("region", name="Invite students")).to_have_count(0)
    journey.seen("seminar")

    page.locator("#sets").get_by_role("link", name="nadia's reading").click()
    expect(heading(page)).to_have_text("nadia's reading")
    expect(main(page)).to_contain_text("Student work by nadia")
    expect(main(page)).to_contain_text("blind until revealed")
    journey.seen("own-set")

    # Read, and tag with the keyboard only.
    main(page).locator("p", has_text="Read:").get_by_role("link", name="Lindqvist").click()
    expect(heading(page)).to_have_text("The Patient Partner")
    expect(page.locator(".passage-tags")).to_have_count(0)  # nobody else's tags
    assert_text_fills_the_column(journey)
    journey.seen("reader")
    first = page.locator("#p1")
    page.keyboard.press("j")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(first.get_by_role("region", name="Tag ¶ 1")).to_be_visible()
    settled(page)
    page.keyboard.press("1")
    expect(page.locator("#reader-status")).to_have_text("Tagged ¶ 1 Trade")
    settled(page)
    tag = Tag.objects.get(annotation_set=own)
    tab_to(page, f"p1-stance-{tag.pk}-none")
    page.keyboard.press("ArrowRight")
    expect(first.get_by_role("radio", name="Supports")).to_be_checked()
    page.keyboard.press("Tab")
    expect(first.get_by_label("Note")).to_be_focused()
    page.keyboard.type("Ships as hostages: peace by mutual threat.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#reader-status")).to_have_text("Saved Trade on ¶ 1")
    chips = first.locator(".passage-tags")
    expect(chips).to_contain_text("supports")
    expect(chips).to_contain_text("Ships as hostages: peace by mutual threat.")
    journey.seen("tagged")
    settled(page)
    page.keyboard.press("Escape")
    expect(first.locator(".tag-panel")).to_have_count(0)
    page.keyboard.press("j")
    expect(page.locator("#p2")).to_be_focused()
    page.keyboard.press("2")
    expect(page.locator("#reader-status")).to_have_text("Tagged ¶ 2 Security")
    expect(page.locator("#p2 .passage-tags")).to_contain_text("Security")
    assert Tag.objects.filter(annotation_set=own).count() == 2

    # Compare, with "all sets": only their own work while the others are blind.
    settled(page)
    page.get_by_role("navigation", name="Seminar").get_by_role("link", name="Overview").click()
    expect(heading(page)).to_have_text("Overview: themes across the readings")
    source = page.get_by_label("Tags from")
    expect(source.locator("option")).to_have_text(
        ["nadia's reading (student work, nadia, 2 tags)", "All 1 set you can see, together"]
    )
    source.select_option("all")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/overview/\?source=all$"))
    trade = page.get_by_role("row", name=re.compile("^Trade"))
    expect(trade.locator(".cell-count")).to_have_text(["1 passage", "Silent"])
    journey.seen("overview-blind")
    trade.get_by_role("link", name=re.compile("Lindqvist on Trade")).click()
    expect(page.locator("#theme-heading")).to_have_text("Trade")
    columns = page.locator(".compare-column")
    expect(columns.nth(0).locator(".entry-people")).to_have_text(
        re.compile(r"^1 of 1 person tagged it")
    )
    expect(columns.nth(1)).to_contain_text("Silent on Trade.")
    for hidden in ("tara", "Tara's reading", "Helga's key", "Trade secures nobody."):
        expect(main(page)).not_to_contain_text(hidden)
    journey.seen("compare-blind")

    # The discussion view is the instructor's: a student meets the product's 403.
    response = page.goto(f"{base}/seminars/{seminar.pk}/discussion/?expect-error")
    assert response is not None and response.status == 403
    expect(page.locator(".error-code")).to_have_text("403")
    expect(heading(page)).to_have_text("You cannot do that here")
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    journey.seen("forbidden")
    forbidden = (
        "console error: Failed to load resource: the server responded with a status of 403 "
        "(Forbidden)"
    )
    # The one problem the browser reports is the 403 this step asked for.
    assert problems == [forbidden], problems
    problems.clear()

    # The instructor reveals the class's work ...
    log_out(page)
    sign_in(page, base, "helga")
    page.goto(f"{base}/seminars/{seminar.pk}/")
    expect(page.locator("#sets li")).to_have_count(3)
    page.get_by_role("link", name="Reveal sets to the class…").click()
    students = page.get_by_role("region", name="The students' work")
    expect(students).to_contain_text("The instructor key stays blind.")
    journey.seen("reveal-confirmation")
    students.get_by_role("button", name="Reveal 2 student sets").click()
    expect(page.get_by_role("status")).to_contain_text("Revealed 2 student sets to the class.")
    page.get_by_role("link", name="Reveal sets to the class…").click()
    page.get_by_role("button", name="Reveal the key").click()
    expect(page.get_by_role("status")).to_contain_text("Revealed 1 instructor key to the class.")
    journey.seen("revealed")
    log_out(page)

    # ... and the student sees everyone's, with the key's summary on top.
    sign_in(page, base, "nadia")
    page.goto(f"{base}/seminars/{seminar.pk}/compare/trade/?source=all")
    expect(page.get_by_label("Tags from").locator("option[value=all]")).to_have_text(
        "All 3 sets you can see, together"
    )
    expect(columns.nth(0).locator(".entry-people")).to_have_text(
        re.compile(r"^3 of 3 people tagged it")
    )
    expect(columns.nth(1).locator(".entry-people")).to_have_text(
        re.compile(r"^2 of 3 people tagged it")
    )
    expect(columns.nth(1)).to_contain_text("The rich get richer, the rest get nothing.")
    expect(columns.nth(1).locator(".summary-text")).to_have_text("Trade secures nobody.")
    # The key's summaries are the instructor's to edit, not the student's.
    expect(page.get_by_role("link", name=re.compile("summary"))).to_have_count(0)
    journey.seen("compare-revealed")


# 3. The class ------------------------------------------------------------------------------

DEMO_THEMES = ["Reverse Kissinger", "Ukraine war", "Trade", "Taiwan"]


@pytest.fixture
def demo(demo_loaded: LoadedDemo) -> Seminar:
    return demo_loaded.seminar


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_class_discusses_disputed_passages_and_walks_every_theme_on_the_projector(
    page: Page, live_server, demo: Seminar, viewport
) -> None:
    journey = start(page, "class", viewport)
    base = f"{live_server.url}/seminars/{demo.pk}"
    sign_in(page, live_server.url, "instructor", DEMO_PASSWORD)
    page.goto(f"{base}/")
    expect(heading(page)).to_have_text(demo.title)
    journey.seen("seminar")

    # The discussion view: per theme, the passages that split the class.
    page.get_by_role("navigation", name="Seminar").get_by_role("link", name="Agreement").click()
    expect(heading(page)).to_have_text("Agreement")
    page.get_by_role("link", name="Discuss the disputed passages").click()
    expect(heading(page)).to_have_text("Where the class reads differently")
    sections = main(page).locator("section[aria-labelledby^='discussion-']")
    expect(sections.locator("h2")).to_have_text(DEMO_THEMES)
    trade = page.locator('section[aria-labelledby="discussion-trade"]')
    votes = trade.locator(".vote")
    expect(votes.first).to_contain_text(re.compile(r"\d of 3 tagged it"))
    journey.seen("discussion")

    # One of them goes on the handout.
    cite = votes.first.locator(".entry-cite a").inner_text()  # "NEST Centre, ¶ 22"
    settled(page)
    votes.first.get_by_role("button", name=re.compile("^Add to handout")).click()
    expect(votes.first.locator(".pick-state")).to_have_text("On the handout")
    assert DiscussionPick.objects.count() == 1
    journey.seen("picked")

    # Presentation mode, every theme, by keyboard only: positions, then disputed passages.
    page.get_by_role("link", name="Present to the class").click()
    expect(page).to_have_url(f"{base}/present/reverse-kissinger/")
    total = 2 * len(DEMO_THEMES)
    for number in range(1, total + 1):
        theme = DEMO_THEMES[(number - 1) // 2]
        expect(page.locator(".slide-count")).to_have_text(f"Slide {number} of {total}")
        expect(page.locator("#slide .slide-title")).to_contain_text(theme)
        if number % 2:
            expect(page.locator(".slide-column")).to_have_count(2)
        else:
            expect(page).to_have_url(re.compile(r"/disputed/$"))
            expect(page.locator(".slide-vote").first).to_be_visible()
        kind = "disputed" if number % 2 == 0 else "positions"
        journey.seen(f"slide-{number}-{kind}")
        settled(page)
        page.keyboard.press("ArrowRight")
    # The last slide has nowhere further to go; Escape leaves for the discussion view.
    expect(page.locator(".slide-count")).to_have_text(f"Slide {total} of {total}")
    page.keyboard.press("Escape")
    expect(page).to_have_url(f"{base}/discussion/")
    # The URL changes when the page starts to arrive: a click before it has all arrived
    # cancels it (seen as net::ERR_ABORTED on a busy CI machine).
    expect(heading(page)).to_have_text("Where the class reads differently")
    page.wait_for_load_state()

    # The handout carries the picked passage under "Where the class read it differently".
    page.get_by_role("navigation", name="Seminar").get_by_role("link", name="Handout").click()
    expect(heading(page)).to_have_text("Discussion handout")
    disputed = page.locator("#handout-preview .handout-disputed")
    expect(disputed).to_have_count(1)
    expect(disputed.get_by_role("heading")).to_have_text("Where the class read it differently")
    expect(disputed.locator(".handout-cite")).to_contain_text(cite)
    journey.seen("handout")
