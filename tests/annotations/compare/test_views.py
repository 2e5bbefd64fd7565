"""The compare page: columns per reading, summaries on top, silence, sources, tabs, queries."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from annotations.models import AnnotationSet, Tag, Theme
from annotations.services import position_summary_save
from readings.models import Passage, SeminarReading
from tests.annotations.pages import body, bulk_tags, compare_url, tag, text_of

# Re-exported until compare/test_demo.py and agreement/test_demo.py import them from pages.
from tests.annotations.pages import column_texts as column_texts
from tests.annotations.pages import plain as plain
from tests.clients import HTMX, client_for
from tests.factories import DocumentFactory, SeminarReadingFactory, seminar_world

pytestmark = pytest.mark.django_db

# The session, the user, the membership with its seminar, the readings with their word counts,
# the themes, the member (for the sets they may read), those sets, every tag in scope, the
# chosen theme's tags with their passages, the position summaries.
COMPARE_QUERIES = 10


def reveal_all(world) -> None:
    AnnotationSet.objects.filter(seminar=world.seminar).update(revealed_at=timezone.now())


# Columns, passages, summaries, silence ----------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_one_column_per_reading_in_the_seminars_order_with_passages_in_reading_order(
    htmx: bool,
) -> None:
    world = seminar_world()
    trade = world.themes[0]
    first, second = body(world, 0), body(world, 1)
    # The second reading comes first in the seminar; tags are made out of reading order.
    SeminarReading.objects.filter(document=world.documents[0]).update(position=5)
    tag(world.key, trade, first[2], stance="opposes", note="Ends on the claim.")
    tag(world.key, trade, first[0], stance="supports", note="Opens with the claim.")
    tag(world.key, trade, second[1], stance="qualifies")

    response = client_for(world.instructor).get(compare_url(world), headers=HTMX if htmx else {})

    assert response.status_code == 200
    left, right = column_texts(response)
    assert "Second Reading" in left and "First Reading" in right
    assert "Author & Writer, ¶ 2" in left and "Qualifies" in left
    assert right.index("¶ 1") < right.index("¶ 3")
    assert "Supports Opens with the claim." in right
    assert "Opposes Ends on the claim." in right
    assert "2 passages" in right and "tags: 1 supporting, 1 opposing" in right
    assert "The opening paragraph states the claim plainly." in right


def test_a_reading_that_never_addresses_the_theme_says_so_plainly() -> None:
    world = seminar_world()
    tag(world.key, world.themes[0], body(world, 0)[0], stance="supports")

    response = client_for(world.instructor).get(compare_url(world))

    assert response.status_code == 200
    with_passage, silent = column_texts(response)
    assert "Silent on Trade" not in with_passage
    assert "Silent on Trade. No passage by Author & Writer is tagged with this theme" in silent
    assert "Silence is a finding" in silent
    assert "One-sided. Only one author addresses it." in text_of(response)


def test_the_position_summaries_stand_on_top_of_their_columns() -> None:
    world = seminar_world()
    trade = world.themes[0]
    tag(world.key, trade, body(world, 0)[0], stance="supports")
    position_summary_save(
        annotation_set=world.key, theme=trade, document=world.documents[0], text="For it."
    )

    left, right = column_texts(client_for(world.instructor).get(compare_url(world)))

    assert left.index("Position summary · Key For it.") < left.index("¶ 1")
    assert "Edit the summary" in left
    assert "No summary of this author’s position yet. Write the summary" in right


def test_only_the_owner_of_the_set_may_edit_its_summaries_in_place() -> None:
    world = seminar_world()
    reveal_all(world)
    position_summary_save(
        annotation_set=world.key,
        theme=world.themes[0],
        document=world.documents[0],
        text="For it.",
    )
    student_view = client_for(world.student).get(compare_url(world))
    assert student_view.status_code == 200
    assert "For it." in text_of(student_view)  # the key is the default source
    assert "summary_edit" not in student_view.content.decode()
    assert "Edit the summary" not in text_of(student_view)
    own = client_for(world.student).get(compare_url(world, query=f"?source={world.student_set.pk}"))
    assert text_of(own).count("Write the summary") == 2
    world.key.locked = True
    world.key.save()
    locked = client_for(world.instructor).get(compare_url(world))
    assert locked.status_code == 200
    assert "Position summary · Key For it." in text_of(locked)
    assert "Edit the summary" not in text_of(locked)


def test_quote_spans_are_highlighted_and_the_text_stays_escaped() -> None:
    world = seminar_world()
    document = DocumentFactory(
        title="Tricky", source="Tricky\n\nFirst <b>bold</b> & then the quote we want here.\n"
    )
    SeminarReadingFactory(seminar=world.seminar, document=document, position=9)
    passage = document.passages.get(kind=Passage.Kind.PARAGRAPH)
    start = passage.text.index("the quote")
    tag(world.key, world.themes[0], passage, span=(start, start + len("the quote")))
    tag(world.key, world.themes[0], passage, span=(0, 5))

    markup = client_for(world.instructor).get(compare_url(world)).content.decode()

    assert (
        "<p><mark>First</mark> &lt;b&gt;bold&lt;/b&gt; &amp; then <mark>the quote</mark>"
        " we want here.</p>" in markup
    )


def test_unknown_and_retired_themes_are_404() -> None:
    world = seminar_world()
    client = client_for(world.instructor)
    assert client.get(f"/seminars/{world.seminar.pk}/compare/nothing/").status_code == 404
    Theme.objects.filter(pk=world.themes[1].pk).update(retired_at=timezone.now())
    assert client.get(compare_url(world, world.themes[1])).status_code == 404


def test_a_seminar_with_one_reading_explains_that_comparing_needs_two() -> None:
    world = seminar_world()
    SeminarReading.objects.filter(document=world.documents[1]).delete()
    response = client_for(world.instructor).get(compare_url(world))
    assert "Comparing needs two or more readings in the seminar" in text_of(response)
    assert len(column_texts(response)) == 1


# Tabs and htmx ----------------------------------------------------------------------------


def test_tabs_link_every_theme_keeping_the_source_and_mark_the_current_one() -> None:
    world = seminar_world()
    reveal_all(world)
    query = f"?source={world.student_set.pk}"
    page = client_for(world.student).get(compare_url(world, world.themes[1], query))
    found = re.search(r'<nav id="theme-tabs".*?</nav>', page.content.decode(), re.S)
    assert found, "no theme tabs"
    tabs = found.group(0)
    links = re.findall(
        r'<a id="tab-([\w-]+)"[^>]*href="([^"]+)"[^>]*?( aria-current="page")?>', tabs
    )
    base = f"/seminars/{world.seminar.pk}/compare"
    assert links == [
        ("trade", f"{base}/trade/{query}", ""),
        ("security", f"{base}/security/{query}", ' aria-current="page"'),
    ]
    assert 'hx-target="#theme-columns"' in tabs and 'hx-push-url="true"' in tabs
    assert 'aria-label="Themes"' in tabs


def test_htmx_gets_the_columns_with_the_title_and_the_tabs_out_of_band() -> None:
    world = seminar_world()
    response = client_for(world.instructor).get(
        compare_url(world, world.themes[1]), headers={**HTMX, "HX-Target": "theme-columns"}
    )
    markup = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in markup and "<h1>" not in markup
    assert markup.lstrip().startswith("<title>Security · Compare · Counterpoint</title>")
    assert '<section id="theme-columns"' in markup
    oob = '<nav id="theme-tabs" class="theme-tabs" aria-label="Themes" hx-swap-oob="true">'
    assert oob in markup
    assert "HX-Request" in response["Vary"]


def test_a_summarys_cancel_gets_the_columns_but_leaves_the_tabs_alone() -> None:
    world = seminar_world()
    target = f"summary-{world.documents[0].pk}"
    response = client_for(world.instructor).get(
        compare_url(world), headers={**HTMX, "HX-Target": target}
    )
    markup = response.content.decode()
    assert response.status_code == 200
    assert f'<div class="position-summary" id="{target}">' in markup
    assert "hx-swap-oob" not in markup and 'id="theme-tabs"' not in markup


def test_a_history_restore_gets_the_whole_page() -> None:
    world = seminar_world()
    response = client_for(world.instructor).get(
        compare_url(world), headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_the_page_loads_its_keyboard_script_and_nothing_inline() -> None:
    world = seminar_world()
    response = client_for(world.instructor).get(compare_url(world))
    markup = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<script src="/static/js/compare\.js" defer></script>', markup)
    assert " style=" not in markup and "onclick" not in markup


# Sources: the key, one set, all visible sets ----------------------------------------------


def test_the_default_source_is_the_key_then_ones_own_set_then_all_visible_sets() -> None:
    world = seminar_world()
    trade = world.themes[0]
    passage = body(world)[0]
    tag(world.key, trade, passage, note="key note")
    tag(world.student_set, trade, passage, note="sam note")

    assert "key note" in text_of(client_for(world.instructor).get(compare_url(world)))
    # The key is blind to students until revealed: Sam gets his own set.
    response = client_for(world.student).get(compare_url(world))
    assert response.status_code == 200
    sam = text_of(response)
    assert "sam note" in sam and "key note" not in sam
    world.key.visibility = AnnotationSet.Visibility.PUBLISHED
    world.key.save()
    assert "key note" in text_of(client_for(world.student).get(compare_url(world)))
    # A member with no set and no visible key compares whatever they may see.
    AnnotationSet.objects.filter(owner=world.other_student).delete()
    world.key.visibility = AnnotationSet.Visibility.SEMINAR
    world.key.save()
    tara = text_of(client_for(world.other_student).get(compare_url(world)))
    assert "All 0 sets you can see, together" in tara


def test_a_set_the_member_may_not_read_is_404_as_a_source() -> None:
    world = seminar_world()
    student = client_for(world.student)
    assert student.get(compare_url(world, query=f"?source={world.key.pk}")).status_code == 404
    other = f"?source={world.other_student_set.pk}"
    assert student.get(compare_url(world, query=other)).status_code == 404
    assert student.get(compare_url(world, query="?source=nonsense")).status_code == 404
    assert client_for(world.outsider).get(compare_url(world)).status_code == 404
    visitor = Client().get(compare_url(world))
    assert visitor.status_code == 302 and visitor["Location"].startswith("/accounts/login/")


def test_all_sets_together_count_people_and_the_threshold_filters_noise() -> None:
    world = seminar_world()
    trade = world.themes[0]
    first, second, third = body(world, 0)
    for annotation_set in (world.key, world.student_set, world.other_student_set):
        tag(annotation_set, trade, first, stance="supports")
    tag(world.key, trade, second, stance="opposes")
    tag(world.student_set, trade, second, stance="supports", note="I think it agrees.")
    tag(world.other_student_set, trade, third)
    client = client_for(world.instructor)

    everyone = column_texts(client.get(compare_url(world, query="?source=all")))[0]
    assert "3 of 3 people tagged it · Supports 3" in everyone
    assert "2 of 3 people tagged it · Supports 1 · Opposes 1" in everyone
    assert "sam: Supports I think it agrees." in everyone
    assert "1 of 3 people tagged it" in everyone

    two = client.get(compare_url(world, query="?source=all&min=2"))
    assert two.status_code == 200
    column = column_texts(two)[0]
    assert "¶ 1" in column and "¶ 2" in column and "¶ 3" not in column
    assert '<option value="2" selected>2 of 3 people</option>' in two.content.decode()
    all_three = column_texts(client.get(compare_url(world, query="?source=all&min=3")))[0]
    assert "¶ 1" in all_three and "¶ 2" not in all_three
    # Out-of-range thresholds are clamped, never an error.
    assert client.get(compare_url(world, query="?source=all&min=99")).status_code == 200
    assert client.get(compare_url(world, query="?source=all&min=x")).status_code == 200
    silent = column_texts(client.get(compare_url(world, query="?source=all&min=3")))[1]
    assert "was tagged with this theme by at least 3 of 3 people" in silent


def test_all_sets_never_count_what_a_student_may_not_see() -> None:
    world = seminar_world()
    trade = world.themes[0]
    first, second, _ = body(world, 0)
    tag(world.student_set, trade, first)
    tag(world.other_student_set, trade, first)
    tag(world.key, trade, second, note="the key's secret")

    response = client_for(world.student).get(compare_url(world, query="?source=all"))
    assert response.status_code == 200
    text = text_of(response)
    # Only Sam's own set is visible: the blind sets add neither people nor passages.
    assert "1 of 1 person tagged it" in text
    assert "¶ 2" not in text and "secret" not in text
    assert "All 1 set you can see, together" in text
    assert "Key (instructor key" not in text and "Sam's reading (student work, sam" in text


# Query count ------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["key", "all"])
def test_the_compare_page_makes_the_same_queries_for_10_and_1000_tags(
    source: str, django_assert_max_num_queries
) -> None:
    world = seminar_world()
    reveal_all(world)
    query = f"?source={world.key.pk}" if source == "key" else "?source=all"
    client = client_for(world.instructor)
    bulk_tags(world, world.key, 10)
    position_summary_save(
        annotation_set=world.key, theme=world.themes[0], document=world.documents[0], text="x"
    )
    with django_assert_max_num_queries(COMPARE_QUERIES) as few:
        small = client.get(compare_url(world, query=query))
    Tag.objects.all().delete()
    bulk_tags(world, world.key, 900)
    bulk_tags(world, world.student_set, 100)
    assert Tag.objects.count() == 1000
    with django_assert_max_num_queries(COMPARE_QUERIES) as many:
        large = client.get(compare_url(world, query=query))
    assert len(few.captured_queries) == len(many.captured_queries)
    assert small.content.count(b'class="entry"') < large.content.count(b'class="entry"')
    with django_assert_max_num_queries(COMPARE_QUERIES):
        client.get(compare_url(world, query=query), headers=HTMX)


def test_a_citation_opens_the_passage_in_the_reader_of_the_set_it_comes_from() -> None:
    world = seminar_world()
    passage = body(world)[0]
    tag(world.key, world.themes[0], passage)
    markup = client_for(world.instructor).get(compare_url(world)).content.decode()
    reader = f"/seminars/{world.seminar.pk}/sets/{world.key.pk}/read/{world.documents[0].pk}/"
    assert f'<h4 class="entry-cite"><a href="{reader}#{passage.anchor}">' in markup
    # Several sets together have no one reader: the citation opens the reading itself.
    reveal_all(world)
    response = client_for(world.instructor).get(compare_url(world, query="?source=all"))
    document = world.documents[0].get_absolute_url()
    assert f'<h4 class="entry-cite"><a href="{document}#{passage.anchor}">' in response.text


def test_the_columns_live_refresh_leaves_the_tabs_alone() -> None:
    """The live region refreshes itself (HX-Trigger is the region): no out-of-band tabs, which
    a page without them answered with htmx:oobErrorNoTarget. A tab's click still gets them."""
    world = seminar_world()
    client = client_for(world.instructor)
    live = client.get(
        compare_url(world),
        headers={**HTMX, "HX-Target": "theme-columns", "HX-Trigger": "theme-columns"},
    ).content.decode()
    assert '<section id="theme-columns"' in live
    assert "hx-swap-oob" not in live and 'id="theme-tabs"' not in live
    tab = client.get(
        compare_url(world, world.themes[1]),
        headers={**HTMX, "HX-Target": "theme-columns", "HX-Trigger": f"tab-{world.themes[1].slug}"},
    ).content.decode()
    assert '<nav id="theme-tabs" class="theme-tabs" aria-label="Themes" hx-swap-oob="true">' in tab
