"""The overview: themes by readings, with counts, shares, stance mixes, verdicts and ribbons."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from annotations.compare.gather import comparison_gather
from annotations.models import AnnotationSet, Tag
from annotations.ribbons import RIBBON_LENGTH
from readings.access import get_seminar_for_user
from tests.annotations.pages import body, bulk_tags, plain, tag, text_of
from tests.clients import HTMX, client_for
from tests.factories import ThemeFactory, seminar_world

pytestmark = pytest.mark.django_db

# The session, the user, the membership with its seminar, the readings with their word counts,
# the themes, the member (for the sets they may read), those sets, every tag in scope.
OVERVIEW_QUERIES = 8


def overview_url(world, query: str = "") -> str:
    return f"/seminars/{world.seminar.pk}/overview/{query}"


def rows_of(response) -> dict[str, list[str]]:
    """Theme name → its cells as text, the verdict last."""
    markup = response.content.decode()
    body_rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", markup, re.S)
    rows = {}
    for row in body_rows:
        heading = re.match(r"(.*?)</th>", row, re.S)
        assert heading, row
        name = plain(heading.group(1))
        rows[name] = [plain(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def test_each_cell_counts_passages_share_and_stances_and_links_to_its_compare_view() -> None:
    world = seminar_world()
    trade = world.themes[0]
    first, second, _ = body(world, 0)
    tag(world.key, trade, first, stance="supports")
    tag(world.key, trade, first, stance="opposes", span=(0, 3))  # same passage, second tag
    tag(world.key, trade, second, stance="supports")

    response = client_for(world.instructor).get(overview_url(world))

    rows = rows_of(response)
    words = sum(p.word_count for p in body(world, 0))  # 11 + 10 + 6, plus 2 + 2 in headings
    share = round(100 * (first.word_count + second.word_count) / (words + 4))
    assert rows["Trade"][0] == (
        f"Author & Writer on Trade: 2 passages {share}% of the text Tags: 2 supporting, 1 opposing"
    )
    assert rows["Trade"][1] == "Author & Writer on Trade: Silent 0% of the text"
    assert rows["Trade"][2] == "One-sided"
    assert rows["Security"] == [
        "Author & Writer on Security: Silent 0% of the text",
        "Author & Writer on Security: Silent 0% of the text",
        "Silent",
    ]
    compare = f"/seminars/{world.seminar.pk}/compare/trade/?source={world.key.pk}"
    assert f'href="{compare}#column-{world.documents[0].pk}"' in response.content.decode()


@pytest.mark.parametrize(
    ("first_stances", "second_stances", "expected"),
    [
        (["supports"], ["supports", "qualifies"], "Converge"),
        (["supports", "supports"], ["opposes"], "Diverge"),
        (["opposes"], [], "One-sided"),
        ([], [], "Silent"),
        (["supports"], ["qualifies"], "Mixed"),
        (["supports"], [""], "Mixed"),
    ],
)
def test_the_verdict_per_theme_follows_the_rules(first_stances, second_stances, expected) -> None:
    world = seminar_world()
    trade = world.themes[0]
    for document_index, stances in ((0, first_stances), (1, second_stances)):
        for passage, stance in zip(body(world, document_index), stances, strict=False):
            tag(world.key, trade, passage, stance=stance)
    rows = rows_of(client_for(world.instructor).get(overview_url(world)))
    assert rows["Trade"][-1] == expected


def test_with_all_sets_the_threshold_decides_what_counts() -> None:
    world = seminar_world()
    trade = world.themes[0]
    first, second, _ = body(world, 0)
    for annotation_set in (world.key, world.student_set):
        tag(annotation_set, trade, first, stance="opposes")
    tag(world.other_student_set, trade, second, stance="supports")
    tag(world.other_student_set, trade, body(world, 1)[0], stance="supports")
    client = client_for(world.instructor)

    everyone = rows_of(client.get(overview_url(world, "?source=all")))["Trade"]
    assert everyone[0].startswith("Author & Writer on Trade: 2 passages")
    assert everyone[-1] == "Diverge"
    two = rows_of(client.get(overview_url(world, "?source=all&min=2")))["Trade"]
    assert two[0].startswith("Author & Writer on Trade: 1 passage ")
    assert "Tags: 2 opposing" in two[0]
    assert two[1].startswith("Author & Writer on Trade: Silent")
    assert two[-1] == "One-sided"


def test_students_see_counts_only_from_sets_they_may_read() -> None:
    world = seminar_world()
    trade = world.themes[0]
    tag(world.key, trade, body(world, 0)[0], stance="opposes")
    tag(world.other_student_set, trade, body(world, 1)[0], stance="opposes")
    tag(world.student_set, trade, body(world, 1)[1], stance="supports")
    student = client_for(world.student)

    rows = rows_of(student.get(overview_url(world, "?source=all")))
    assert rows["Trade"][0].startswith("Author & Writer on Trade: Silent")
    assert "1 passage" in rows["Trade"][1] and "Tags: 1 supporting" in rows["Trade"][1]
    world.key.visibility = AnnotationSet.Visibility.PUBLISHED
    world.key.save()
    rows = rows_of(student.get(overview_url(world, "?source=all")))
    assert rows["Trade"][-1] == "Diverge"
    assert (
        student.get(overview_url(world, f"?source={world.other_student_set.pk}")).status_code == 404
    )


def test_each_ribbon_marks_where_a_theme_occurs_and_links_to_the_passage() -> None:
    world = seminar_world()
    trade = world.themes[0]
    first, _, last = body(world, 0)
    tag(world.key, trade, last)
    tag(world.key, trade, first)

    response = client_for(world.instructor).get(overview_url(world))

    assert response.status_code == 200
    markup = response.content.decode()
    ribbons = re.findall(r"<svg class=\"ribbon-svg\".*?</svg>", markup, re.S)
    assert len(ribbons) == 2
    marks = re.findall(
        r'<a href="([^"]+)" aria-label="([^"]+)"><title>[^<]+</title>'
        r'<rect class="ribbon-mark" x="(\d+)" y="\d+" width="(\d+)"',
        ribbons[0],
    )
    document = world.documents[0]
    assert [(href, plain(label)) for href, label, _, _ in marks] == [
        (f"/documents/{document.pk}/#{first.anchor}", "Trade: Author & Writer, ¶ 1"),
        (f"/documents/{document.pk}/#{last.anchor}", "Trade: Author & Writer, ¶ 3"),
    ]
    xs = [int(x) for _, _, x, _ in marks]
    extent = max(p.end for p in document.passages.all())
    assert xs == [round(p.start * RIBBON_LENGTH / extent) for p in (first, last)]
    assert xs[0] < xs[1] < RIBBON_LENGTH
    assert 'role="group" aria-label="Tagged passages along Author & Writer' in ribbons[0].replace(
        "&amp;", "&"
    )
    assert "ribbon-mark" not in ribbons[1]


def test_an_empty_codebook_says_what_to_do() -> None:
    world = seminar_world()
    Tag.objects.all().delete()
    for theme in world.themes:
        theme.delete()
    text = text_of(client_for(world.instructor).get(overview_url(world)))
    assert "The codebook has no themes yet. Add themes to the codebook" in text


def test_the_overview_is_for_members_only() -> None:
    world = seminar_world()
    assert client_for(world.outsider).get(overview_url(world)).status_code == 404
    assert Client().get(overview_url(world))["Location"].startswith("/accounts/login/")
    assert client_for(world.student).get(overview_url(world), headers=HTMX).status_code == 200


def test_the_selector_reads_a_retired_theme_nowhere() -> None:
    world = seminar_world()
    tag(world.key, world.themes[1], body(world, 0)[0])
    world.themes[1].retired_at = timezone.now()
    world.themes[1].save()
    access = get_seminar_for_user(world.instructor, world.seminar.pk)
    comparison = comparison_gather(access)
    assert [row.theme.name for row in comparison.rows] == ["Trade"]
    assert comparison.source.annotation_set == world.key


@pytest.mark.parametrize("source", ["key", "all"])
def test_the_overview_makes_the_same_queries_for_10_and_1000_tags(
    source: str, django_assert_max_num_queries
) -> None:
    world = seminar_world()
    AnnotationSet.objects.update(revealed_at=timezone.now())
    ThemeFactory(seminar=world.seminar, name="Energy")
    query = f"?source={world.key.pk}" if source == "key" else "?source=all"
    client = client_for(world.student)
    bulk_tags(world, world.key, 10)
    with django_assert_max_num_queries(OVERVIEW_QUERIES) as few:
        small = client.get(overview_url(world, query))
    Tag.objects.all().delete()
    bulk_tags(world, world.key, 700)
    bulk_tags(world, world.other_student_set, 300)
    assert Tag.objects.count() == 1000
    with django_assert_max_num_queries(OVERVIEW_QUERIES) as many:
        large = client.get(overview_url(world, query))
    assert len(few.captured_queries) == len(many.captured_queries)
    assert small.content.count(b"ribbon-mark") <= large.content.count(b"ribbon-mark")
