"""Agreement (issue 9): the figures, who may see which, the discussion view and its handout
picks, the CSV, presentation mode, and queries that do not grow with the data."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import dateformat, timezone
from docx import Document as read_docx

from annotations.agreement.gather import agreement_gather
from annotations.models import AnnotationSet, DiscussionPick, Tag, Theme
from readings.access import get_seminar_for_user
from readings.models import Passage
from tests.annotations.pages import body, bulk_tags, plain, tag
from tests.clients import client_for
from tests.factories import (
    AnnotationSetFactory,
    DocumentFactory,
    MembershipFactory,
    SeminarFactory,
    SeminarReadingFactory,
    ThemeFactory,
    UserFactory,
    seminar_world,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def url(world, name: str, query: str = "") -> str:
    return f"/seminars/{world.seminar.pk}/{name}/{query}"


def text(response) -> str:
    return plain(response.content.decode())


def split_world():
    """Sam and Tara read the first reading; the key too. On Trade, passage 0 splits them
    (Sam supports, Tara opposes), passage 1 they both tag alike, passage 2 only Sam tags.
    Nobody has tagged anything in the second reading yet."""
    world = seminar_world()
    trade = world.themes[0]
    p = body(world)
    tag(world.student_set, trade, p[0], stance="supports")
    tag(world.other_student_set, trade, p[0], stance="opposes")
    tag(world.student_set, trade, p[1], stance="supports")
    tag(world.other_student_set, trade, p[1], stance="supports")
    tag(world.student_set, trade, p[2])
    tag(world.key, trade, p[0], stance="supports")
    tag(world.key, trade, p[2])
    return world, p


def gather(world):
    return agreement_gather(get_seminar_for_user(world.instructor, world.seminar.pk))


# What is counted --------------------------------------------------------------------------


def test_units_are_taggable_passages_of_readings_each_coder_has_reached() -> None:
    world, p = split_world()
    gathered = gather(world)
    trade = gathered.row_for("trade")
    first_reading_units = Passage.objects.filter(
        document=world.documents[0], kind=Passage.Kind.PARAGRAPH
    ).count()
    # Both students have answers for the first reading only; headings are not units.
    assert trade.tagged.coders == 2
    assert trade.tagged.units == first_reading_units
    assert [c.name for c in gathered.coders] == ["sam", "tara"]
    assert gathered.key is not None and gathered.key.set_id == world.key.pk


def test_the_most_divided_passage_comes_first_with_its_votes_and_stances() -> None:
    world, p = split_world()
    trade = gather(world).row_for("trade")
    votes = trade.disputed
    assert [v.unit.pk for v in votes] == [p[0].pk, p[2].pk]
    # The table's count is made without the votes, and says the same.
    assert trade.disputed_count == 2
    first = votes[0]
    assert first.summary == "2 of 2 tagged it: 1 supports, 1 opposes"
    assert first.key_tagged is True
    assert votes[1].summary == "1 of 2 tagged it: 1 no stance"
    # The passage both tagged alike is a vote, not a dispute.
    alike = next(v for v in gather(world).row_for("trade").votes if v.unit.pk == p[1].pk)
    assert alike.split == 0


def test_each_students_coverage_and_agreement_with_the_key() -> None:
    world, p = split_world()
    sam, tara = gather(world).students
    sam_trade, tara_trade = sam.themes[0], tara.themes[0]
    assert (sam_trade.tagged, sam_trade.found, sam_trade.key_total) == (3, 2, 2)
    assert (tara_trade.tagged, tara_trade.found, tara_trade.key_total) == (2, 1, 2)
    # Sam files exactly what the key files, plus one more passage; Tara misses one and adds one.
    assert sam_trade.with_key.value > tara_trade.with_key.value
    assert sam.tags == 3 and sam.last == timezone.localdate()
    assert sum(count for _, count in sam.recent) == 3


# The agreement page -------------------------------------------------------------------------


def test_the_instructor_sees_alpha_per_theme_and_every_students_figures() -> None:
    world, _ = split_world()
    response = client_for(world.instructor).get(url(world, "agreement"))
    assert response.status_code == 200
    page = text(response)
    assert "The class, theme by theme" in page
    alpha = gather(world).row_for("trade").tagged
    assert f"{alpha.label} {alpha.reading}" in page
    assert "sam Sam's reading" in page and "tara Tara's reading" in page
    assert "3 tagged 2 of 2 key" in page
    with_key = gather(world).students[0].themes[0].with_key
    assert with_key is not None and with_key.value is not None
    assert f"3 tagged 2 of 2 key α {with_key.label} {with_key.reading}" in page
    assert "Download the table (CSV)" in page


def test_each_student_has_a_chart_of_the_last_four_weeks_and_it_in_words() -> None:
    world, _ = split_world()
    response = client_for(world.instructor).get(url(world, "agreement"))
    assert response.status_code == 200
    markup = response.content.decode()
    sam = gather(world).students[0]
    today = dateformat.format(timezone.localdate(), "j M")
    assert sam.tags == 3
    # All of Sam's tags were made today: one bar, at the chart's right edge, full height.
    assert 'aria-label="3 tags in the last four weeks"' in markup
    assert (
        '<rect x="108" y="2" width="3" height="22" class="activity-bar">'
        f"<title>{today}: 3 tags</title></rect>" in markup
    )
    assert f"3 tags, {today}" in text(response)


def test_htmx_gets_only_the_figures() -> None:
    world, _ = split_world()
    response = client_for(world.instructor).get(url(world, "agreement"), headers=HTMX)
    markup = response.content.decode()
    assert response.status_code == 200
    assert markup.lstrip().startswith('<div id="agreement-body"')
    assert "<html" not in markup and "The class, theme by theme" in markup


def test_a_student_sees_only_their_own_figures() -> None:
    world, _ = split_world()
    response = client_for(world.student).get(url(world, "agreement"))
    page = text(response)
    assert response.status_code == 200
    assert "Your figures" in page and "Sam's reading" in page
    assert "Tara" not in page and "tara" not in page
    assert "The class, theme by theme" not in page and "α" not in page.replace("(α)", "")
    # The key is blind and not revealed: no agreement with it, and the page says why.
    assert "has not opened the key" in page
    assert "The key's passages you found" not in page


def test_a_student_sees_agreement_with_the_key_once_it_is_open_to_them() -> None:
    world, _ = split_world()
    AnnotationSet.objects.filter(pk=world.key.pk).update(revealed_at=timezone.now())
    response = client_for(world.student).get(url(world, "agreement"))
    assert response.status_code == 200
    page = text(response)
    assert "The key's passages you found" in page
    assert "Trade 3 2 of 2" in page
    assert "tara" not in page


def test_a_student_asking_for_the_csv_gets_their_own_page_not_the_class_table() -> None:
    world, _ = split_world()
    response = client_for(world.student).get(url(world, "agreement", "?format=csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Your figures" in text(response) and "Sam's reading" in text(response)
    assert "tara" not in text(response)


def test_outsiders_learn_nothing() -> None:
    world, _ = split_world()
    outsider = client_for(world.outsider)
    for path in ("agreement/", "agreement/?format=csv", "discussion/", "present/trade/"):
        assert outsider.get(f"/seminars/{world.seminar.pk}/{path}").status_code == 404


def test_a_seminar_with_one_student_set_explains_what_alpha_needs() -> None:
    world = seminar_world()
    world.other_student_set.delete()
    page = text(client_for(world.instructor).get(url(world, "agreement")))
    assert "Agreement needs at least two student sets; the seminar has 1." in page
    page = text(client_for(world.instructor).get(url(world, "discussion")))
    assert "Disagreement needs at least two student sets; the seminar has one so far" in page


def test_a_seminar_without_themes_says_so() -> None:
    world = seminar_world()
    Theme.objects.filter(seminar=world.seminar).delete()
    page = text(client_for(world.instructor).get(url(world, "agreement")))
    assert "The codebook has no themes yet." in page


# The CSV -------------------------------------------------------------------------------------


def test_the_csv_has_a_row_per_theme_and_columns_per_student() -> None:
    world, _ = split_world()
    response = client_for(world.instructor).get(url(world, "agreement", "?format=csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, trade, security = rows
    assert header[:4] == [
        "theme",
        "student sets",
        "passages answered by two or more",
        "alpha (tagged or not)",
    ]
    assert header[7:10] == [
        "sam: passages tagged",
        "sam: key passages found",
        "sam: alpha with key",
    ]
    alpha = gather(world).row_for("trade").tagged.value
    assert trade[0] == "Trade" and float(trade[3]) == pytest.approx(alpha, abs=0.0005)
    assert trade[7:9] == ["3", "2"]
    # Nobody tagged Security: alpha is undefined and the cell is empty, not zero.
    assert security[0] == "Security" and security[3] == ""


def test_the_csv_neutralises_formulas_in_names() -> None:
    world, _ = split_world()
    Theme.objects.filter(pk=world.themes[0].pk).update(name="=HYPERLINK(1)")
    world.student.first_name = "@SUM(A1)"
    world.student.save()
    content = client_for(world.instructor).get(url(world, "agreement", "?format=csv")).content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1][0] == "'=HYPERLINK(1)"
    assert any(cell.startswith("'@SUM(A1)") for cell in rows[0])


# The discussion view and its handout picks ----------------------------------------------------


def test_the_discussion_lists_the_disputed_passages_with_their_votes() -> None:
    world, p = split_world()
    response = client_for(world.instructor).get(url(world, "discussion"))
    page = text(response)
    assert response.status_code == 200
    assert "2 of 2 tagged it · Supports 1 · Opposes 1 · Key: tagged" in page
    assert page.index(p[0].label + " ") < page.index("1 of 2 tagged it")
    assert "Add to handout" in page
    assert "No student has filed a passage under Security yet." in page


def test_one_theme_with_htmx_returns_only_that_part() -> None:
    world, _ = split_world()
    response = client_for(world.instructor).get(
        url(world, "discussion", "?theme=trade"), headers=HTMX
    )
    markup = response.content.decode()
    assert response.status_code == 200
    assert markup.lstrip().startswith('<div id="discussion-body"')
    assert "Trade" in markup and "Security" not in markup and "<html" not in markup
    assert (
        client_for(world.instructor).get(url(world, "discussion", "?theme=nope")).status_code == 404
    )


def test_students_may_not_open_the_discussion_view_or_pick() -> None:
    world, p = split_world()
    student = client_for(world.student)
    assert student.get(url(world, "discussion")).status_code == 403
    response = student.post(
        url(world, "discussion/picks"), {"theme": world.themes[0].pk, "passage": p[0].pk}
    )
    assert response.status_code == 403
    assert not DiscussionPick.objects.exists()


def test_one_click_adds_a_passage_to_the_handout_and_another_takes_it_off() -> None:
    world, p = split_world()
    client = client_for(world.instructor)
    data = {"theme": world.themes[0].pk, "passage": p[0].pk}
    response = client.post(url(world, "discussion/picks"), data, headers=HTMX)
    markup = response.content.decode()
    assert response.status_code == 200
    assert "On the handout" in markup and 'hx-swap-oob="true"' in markup
    assert f"{p[0].label} is on the handout under Trade." in plain(markup)
    client.post(url(world, "discussion/picks"), data, headers=HTMX)  # twice: still one
    assert DiscussionPick.objects.count() == 1
    assert "On the handout" in text(client.get(url(world, "discussion")))

    handout = text(client.get(url(world, "handout")))
    assert "Where the class read it differently" in handout
    assert "2 of 2 tagged it: 1 supports, 1 opposes" in handout

    response = client.post(url(world, "discussion/picks"), data | {"remove": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#vote-{world.themes[0].pk}-{p[0].pk}")
    assert not DiscussionPick.objects.exists()
    response = client.get(url(world, "handout"))
    assert response.status_code == 200
    assert "Trade: the readings side by side" in text(response)
    assert "Where the class read it differently" not in text(response)


def test_picks_reach_every_handout_format_but_never_a_students_handout() -> None:
    world, p = split_world()
    client = client_for(world.instructor)
    client.post(url(world, "discussion/picks"), {"theme": world.themes[0].pk, "passage": p[0].pk})
    markdown = client.get(url(world, "handout", "?format=md")).content.decode()
    assert "### Where the class read it differently" in markdown
    assert "2 of 2 tagged it: 1 supports, 1 opposes" in markdown
    docx = read_docx(io.BytesIO(client.get(url(world, "handout", "?format=docx")).content))
    paragraphs = [paragraph.text for paragraph in docx.paragraphs]
    assert "Where the class read it differently" in paragraphs
    # Unticking the box leaves them out; a student's handout never has them.
    unticked = client.get(url(world, "handout", "?built=1&summaries=on"))
    assert unticked.status_code == 200
    assert "Trade: the readings side by side" in text(unticked)
    assert "Where the class read it differently" not in text(unticked)
    AnnotationSet.objects.filter(seminar=world.seminar).update(revealed_at=timezone.now())
    student = client_for(world.student).get(url(world, "handout"))
    assert student.status_code == 200
    assert "Trade: the readings side by side" in text(student)
    assert "Where the class read it differently" not in text(student)


def test_a_passage_or_theme_of_another_seminar_cannot_be_picked() -> None:
    world, p = split_world()
    elsewhere = SeminarFactory(title="Elsewhere")
    reading = SeminarReadingFactory(seminar=elsewhere, document=DocumentFactory(title="Other"))
    foreign_theme = ThemeFactory(seminar=elsewhere, name="Foreign")
    foreign_passage = reading.document.passages.filter(kind=Passage.Kind.PARAGRAPH).first()
    client = client_for(world.instructor)
    for data in (
        {"theme": world.themes[0].pk, "passage": foreign_passage.pk},
        {"theme": foreign_theme.pk, "passage": p[0].pk},
    ):
        assert client.post(url(world, "discussion/picks"), data).status_code == 404
    assert not DiscussionPick.objects.exists()


def test_a_retired_theme_takes_no_picks_and_says_why() -> None:
    world, p = split_world()
    Theme.objects.filter(pk=world.themes[0].pk).update(retired_at=timezone.now())
    response = client_for(world.instructor).post(
        url(world, "discussion/picks"),
        {"theme": world.themes[0].pk, "passage": p[0].pk},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "is retired" in text(response)
    assert not DiscussionPick.objects.exists()


# Presentation mode -----------------------------------------------------------------------------


def test_presentation_starts_at_the_first_theme_and_steps_through_two_slides_per_theme() -> None:
    world, p = split_world()
    client = client_for(world.instructor)
    response = client.get(url(world, "present"))
    assert response.status_code == 302 and response["Location"].endswith("/present/trade/")
    positions = client.get(url(world, "present/trade"))
    assert positions.status_code == 200
    page = text(positions)
    assert "Slide 1 of 4" in page and "First Reading" in page and "Second Reading" in page
    assert (
        f'href="/seminars/{world.seminar.pk}/present/trade/disputed/"' in positions.content.decode()
    )
    assert "site-header" not in positions.content.decode()
    disputed = text(client.get(url(world, "present/trade/disputed")))
    assert "Slide 2 of 4" in disputed
    assert "2 of 2 tagged it · Supports 1 · Opposes 1" in disputed
    last = text(client.get(url(world, "present/security/disputed")))
    assert "Slide 4 of 4" in last and "No student has filed a passage under Security yet." in last


def test_presentation_with_htmx_swaps_only_the_slide() -> None:
    world, _ = split_world()
    response = client_for(world.instructor).get(url(world, "present/trade/disputed"), headers=HTMX)
    markup = response.content.decode()
    assert response.status_code == 200
    assert markup.lstrip().startswith('<div id="slide"')
    assert "<html" not in markup
    assert 'rel="prev"' in markup and 'rel="next"' in markup


def test_presentation_without_themes_sends_the_instructor_back_with_a_reason() -> None:
    world = seminar_world()
    Theme.objects.filter(seminar=world.seminar).delete()
    client = client_for(world.instructor)
    response = client.get(url(world, "present"), follow=True)
    assert "Add a theme to the codebook before presenting." in text(response)


def test_students_cannot_present() -> None:
    world, _ = split_world()
    assert client_for(world.student).get(url(world, "present/trade")).status_code == 403
    assert client_for(world.student).get(url(world, "present")).status_code == 403


# Queries ---------------------------------------------------------------------------------------


def more_students(world, count: int) -> None:
    for n in range(count):
        user = UserFactory(username=f"extra{n}")
        MembershipFactory(seminar=world.seminar, user=user)
        extra = AnnotationSetFactory(seminar=world.seminar, owner=user, title=f"Extra {n}")
        tag(extra, world.themes[n % 2], body(world)[n % 3])


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("agreement", 9),
        ("discussion", 9),
        ("present/trade", 11),
        ("present/trade/disputed", 16),
    ],
)
def test_agreement_pages_make_the_same_queries_for_little_and_much_data(
    path: str, limit: int, django_assert_max_num_queries
) -> None:
    world, _ = split_world()
    client = client_for(world.instructor)
    with django_assert_max_num_queries(limit) as few:
        client.get(url(world, path))
    bulk_tags(world, world.student_set, 300)
    bulk_tags(world, world.other_student_set, 300)
    more_students(world, 6)
    assert Tag.objects.count() > 600
    with django_assert_max_num_queries(limit) as many:
        response = client.get(url(world, path))
    assert response.status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)
