"""Live updates: the reader asks what changed since its version and gets only those passages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from annotations.models import AnnotationSet, Tag
from annotations.services import passage_tag, tag_remove, tag_update
from readings.models import Passage
from tests.clients import HTMX, client_for
from tests.factories import DocumentFactory, seminar_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """The instructor's key shared with the seminar and not blind: students read it live."""
    world = seminar_world()
    AnnotationSet.objects.filter(pk=world.key.pk).update(blind=False)
    world.key.refresh_from_db()
    return world


def paragraphs(world) -> list[Passage]:
    return list(Passage.objects.filter(document=world.documents[0], kind=Passage.Kind.PARAGRAPH))


def key_tag(world, passage: Passage, theme_index: int = 0) -> Tag:
    tag, _ = passage_tag(
        annotation_set=world.key,
        passage=passage,
        theme=world.themes[theme_index],
        author=world.instructor,
    )
    return tag


class Page:
    """What a reader page holds: its version, its passages' signatures, its poll URL."""

    def __init__(self, client: Client, url: str) -> None:
        self.client = client
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        self.html = response.content.decode()
        poll = re.search(r'<form id="reader-poll"[^>]*hx-post="([^"]+)"', self.html)
        self.poll_url = poll.group(1).replace("&amp;", "&") if poll else None
        version = re.search(r'id="reader-version" name="v" value="([^"]*)"', self.html)
        self.version = version.group(1) if version else None
        self.documents = re.findall(r'<input type="hidden" name="d" value="(\d+)">', self.html)

    def signatures(self) -> str:
        pairs = re.findall(r'data-passage="(\d+)" data-sig="([^"]+)"', self.html)
        return ",".join(f"{pk}:{sig}" for pk, sig in pairs)

    @property
    def poll_to(self) -> str:
        assert self.poll_url, "the reader page has no poll form"
        return self.poll_url

    def poll(self, **headers):
        data = {"v": self.version, "d": self.documents, "sig": self.signatures()}
        return self.client.post(self.poll_to, data, headers=headers or HTMX)


def _article(passage: Passage, html: str) -> str:
    found = re.search(rf'<article id="{passage.anchor}".*?</article>', html, re.S)
    assert found, f"no <article> for {passage.anchor}"
    return found.group(0)


def reader(world, annotation_set=None, query: str = "") -> str:
    annotation_set = annotation_set or world.key
    return (
        f"/seminars/{world.seminar.pk}/sets/{annotation_set.pk}/read/{world.documents[0].pk}/"
        + query
    )


def test_nothing_changed_costs_one_small_request(world, django_assert_num_queries) -> None:
    key_tag(world, paragraphs(world)[0])
    page = Page(client_for(world.student), reader(world))
    # Session, user, membership, set, and the set's version: three queries of its own.
    with django_assert_num_queries(5):
        response = page.poll()
    assert response.status_code == 204
    assert response.content == b""


def test_a_new_tag_arrives_as_its_passage_alone(world) -> None:
    first, second, third = paragraphs(world)
    key_tag(world, third)
    page = Page(client_for(world.student), reader(world))
    key_tag(world, first, 1)
    response = page.poll()
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'<article id="{first.anchor}"[^>]*hx-swap-oob="true"', html)
    assert '<span class="chip">Security</span>' in html
    assert f'id="{second.anchor}"' not in html
    assert f'id="{third.anchor}"' not in html
    new_version = re.search(
        r'id="reader-version" name="v" value="([^"]+)" hx-swap-oob="true"', html
    )
    assert new_version and new_version.group(1) != page.version
    # The student may read the key, not write it: no panel, no tag link.
    assert "passage-open" not in html


def test_a_change_brings_the_filters_counts_and_the_ribbon_as_a_new_page_has_them(world) -> None:
    first, second, _ = paragraphs(world)
    key_tag(world, first)
    client = client_for(world.student)
    page = Page(client, reader(world))
    key_tag(world, second, 1)
    html = page.poll().content.decode()
    fresh = client.get(reader(world)).content.decode()
    for pattern in (
        r'<nav id="reader-filters".*?</nav>',
        r'<nav class="reader-ribbon" id="reader-ribbon".*?</nav>',
    ):
        sent, now = re.search(pattern, html, re.S), re.search(pattern, fresh, re.S)
        assert sent and now, pattern
        assert 'hx-swap-oob="true"' in sent.group(0)
        assert sent.group(0).replace(' hx-swap-oob="true"', "") == now.group(0)
    assert 'aria-label="Security: 1 passage"' in html


def test_a_removed_last_tag_clears_its_passage(world) -> None:
    first, second, _ = paragraphs(world)
    gone = key_tag(world, first)
    key_tag(world, second)
    page = Page(client_for(world.student), reader(world))
    tag_remove(tag=gone)
    response = page.poll()
    assert response.status_code == 200
    html = response.content.decode()
    passage = _article(first, html)
    assert "passage-tags" not in passage
    assert f'id="{second.anchor}"' not in html


def test_an_edited_or_partly_removed_passage_comes_again(world) -> None:
    first, second, _ = paragraphs(world)
    edited = key_tag(world, first)
    key_tag(world, second, 0)
    removed = key_tag(world, second, 1)
    page = Page(client_for(world.student), reader(world))
    tag_update(tag=edited, stance="supports", note="Seen from Beijing.")
    tag_remove(tag=removed)
    response = page.poll()
    assert response.status_code == 200
    html = response.content.decode()
    assert "Seen from Beijing." in html
    second_html = _article(second, html)
    assert "Security" not in second_html and "Trade" in second_html


def test_changes_are_rendered_with_the_pages_filters(world) -> None:
    first, _, _ = paragraphs(world)
    gone = key_tag(world, first)
    page = Page(client_for(world.student), reader(world, query="?only=tagged"))
    assert "only=tagged" in page.poll_to
    tag_remove(tag=gone)
    html = page.poll().content.decode()
    assert re.search(rf'<article id="{first.anchor}"[^>]* hidden hx-swap-oob="true"', html)


def test_signatures_cannot_fetch_passages_from_outside_the_seminar(world) -> None:
    outside = DocumentFactory(title="Private notes", source="Private\n\nA secret paragraph here.\n")
    secret = Passage.objects.get(document=outside, kind=Passage.Kind.PARAGRAPH)
    page = Page(client_for(world.student), reader(world))
    response = page.client.post(
        page.poll_to,
        {"v": "stale", "d": [outside.pk, *page.documents], "sig": f"{secret.pk}:1.1"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    # An answer for the set's own readings, with its new version, and nothing from outside.
    assert re.search(r'id="reader-version" name="v" value="[^"]*" hx-swap-oob="true"', html)
    assert '<nav id="reader-filters"' in html
    assert "secret" not in html


def test_without_htmx_the_changes_lead_to_the_reader(world) -> None:
    page = Page(client_for(world.student), reader(world))
    response = page.poll(**{"X-Plain": "1"})
    assert response.status_code == 302
    assert response["Location"] == reader(world)


def test_who_polls(world) -> None:
    # The owner polls (other tabs); members poll a shared set that is not blind.
    assert Page(client_for(world.instructor), reader(world)).poll_url
    assert Page(client_for(world.student), reader(world)).poll_url
    # An instructor watching a student's blind work while the class tags polls it too (issue
    # 21); the other students cannot open it, let alone poll it (the test below).
    blind = Page(client_for(world.instructor), reader(world, world.student_set))
    assert "Read only" in blind.html
    assert blind.poll_url == f"/seminars/{world.seminar.pk}/sets/{world.student_set.pk}/changes/"
    assert Page(client_for(world.student), reader(world, world.student_set)).poll_url


def test_outsiders_and_blind_sets_cannot_be_polled(world) -> None:
    url = f"/seminars/{world.seminar.pk}/sets/{world.other_student_set.pk}/changes/"
    data = {"v": "0", "d": [world.documents[0].pk]}
    assert client_for(world.student).post(url, data, headers=HTMX).status_code == 404
    assert client_for(world.outsider).post(url, data, headers=HTMX).status_code == 404
    assert client_for(world.student).get(url).status_code == 405


def test_the_instructor_watches_a_blind_set_live_and_hears_how_many_tags_came(world) -> None:
    page = Page(client_for(world.instructor), reader(world, world.student_set))
    assert world.student_set.blind and world.student_set.revealed_at is None
    assert page.poll().status_code == 204
    first, second = paragraphs(world)[:2]
    for passage in (first, second):
        passage_tag(
            annotation_set=world.student_set,
            passage=passage,
            theme=world.themes[0],
            author=world.student,
        )
    response = page.poll()
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div id="reader-status" hx-swap-oob="innerHTML">2 new tags</div>' in html
    assert f'id="{first.anchor}"' in html and f'id="{second.anchor}"' in html
    # The other student learns nothing of it: the set and its poll are 404 to them.
    other = client_for(world.other_student)
    assert other.get(reader(world, world.student_set)).status_code == 404
    data = {"v": page.version, "d": page.documents}
    assert other.post(page.poll_to, data, headers=HTMX).status_code == 404
