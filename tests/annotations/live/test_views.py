"""The seminar's live poll (annotations/live/views.py) and the pages that refresh on it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from annotations.models import Tag
from annotations.services import passage_tag
from readings.models import Passage, Seminar
from tests.clients import HTMX, client_for
from tests.factories import seminar_world

pytestmark = pytest.mark.django_db

# The session, the user, and the membership with the seminar and its revision.
QUIET_POLL_QUERIES = 3
# ... and the new tags since the page was rendered.
CHANGED_POLL_QUERIES = 4


@pytest.fixture
def world():
    return seminar_world()


def tag(world, passage: Passage, theme_index: int = 0, annotation_set=None) -> Tag:
    created, _ = passage_tag(
        annotation_set=annotation_set or world.student_set,
        passage=passage,
        theme=world.themes[theme_index],
        author=world.student,
    )
    return created


def paragraphs(world) -> list[Passage]:
    return list(Passage.objects.filter(document=world.documents[0], kind=Passage.Kind.PARAGRAPH))


def poll_url(client: Client, page: str) -> str:
    """The poll URL a page carries (its revision and time), as htmx would ask it."""
    response = client.get(page)
    assert response.status_code == 200
    found = re.search(r'<div id="live-poll"[^>]*hx-get="([^"]+)"', response.content.decode())
    assert found, f"{page} has no live poll"
    return found.group(1).replace("&amp;", "&")


def overview(world) -> str:
    return f"/seminars/{world.seminar.pk}/overview/"


def test_a_quiet_poll_is_204_from_three_queries(world, django_assert_num_queries) -> None:
    client = client_for(world.instructor)
    url = poll_url(client, overview(world))
    with django_assert_num_queries(QUIET_POLL_QUERIES):
        response = client.get(url, headers=HTMX)
    assert response.status_code == 204
    assert response.content == b""


def test_a_tag_makes_the_poll_answer_with_the_new_revision_and_how_many(
    world, django_assert_num_queries
) -> None:
    client = client_for(world.instructor)
    url = poll_url(client, overview(world))
    for passage in paragraphs(world)[:2]:
        tag(world, passage)
    with django_assert_num_queries(CHANGED_POLL_QUERIES):
        response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    revision = Seminar.objects.get(pk=world.seminar.pk).revision
    assert f"?r={revision}&amp;since=" in html
    assert 'hx-swap-oob="true"' in html
    assert re.search(r'<p id="live-status"[^>]*aria-live="polite"[^>]*>2 new tags</p>', html)
    assert '"live:changed"' in response["HX-Trigger"]
    assert "2 new tags" in response["HX-Trigger"]
    # The next poll, from the new revision and time, is quiet again, and counts afresh.
    newer = re.search(r'hx-get="([^"]+)"', html)
    assert newer
    next_url = newer.group(1).replace("&amp;", "&")
    assert client.get(next_url, headers=HTMX).status_code == 204
    tag(world, paragraphs(world)[2])
    third = client.get(next_url, headers=HTMX).content.decode()
    assert ">1 new tag</p>" in third


def test_a_change_that_is_not_a_new_tag_says_updated(world) -> None:
    client = client_for(world.instructor)
    url = poll_url(client, overview(world))
    world.themes[0].name = "Commerce"
    world.themes[0].save()
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    assert re.search(r'<p id="live-status"[^>]*>Updated</p>', response.content.decode())


def test_without_htmx_the_poll_leads_to_the_seminar(world) -> None:
    client = client_for(world.instructor)
    url = poll_url(client, overview(world))
    assert client.get(url).status_code == 204  # nothing changed: nothing to show either
    tag(world, paragraphs(world)[0])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/seminars/{world.seminar.pk}/"


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_only_the_seminars_instructors_may_poll(world, headers) -> None:
    url = f"/seminars/{world.seminar.pk}/live/?r=0"
    tag(world, paragraphs(world)[0])  # a blind set's tag: the revision moved
    assert client_for(world.outsider).get(url, headers=headers).status_code == 404
    # A student would learn when the blind sets move: 403 for the set's owner and the others.
    assert client_for(world.student).get(url, headers=headers).status_code == 403
    assert client_for(world.other_student).get(url, headers=headers).status_code == 403
    assert Client().get(url, headers=headers).status_code == 302  # to the log-in page
    assert client_for(world.instructor).get(url, headers=headers).status_code in (200, 302)


def test_students_pages_carry_no_poll_and_no_live_region(world) -> None:
    html = client_for(world.student).get(overview(world)).content.decode()
    assert "<h1>Overview: themes across the readings</h1>" in html
    assert 'id="overview-body"' in html
    assert "live-poll" not in html and "data-live-region" not in html


def test_junk_revisions_and_times_are_a_change_not_an_error(world) -> None:
    client = client_for(world.instructor)
    base = f"/seminars/{world.seminar.pk}/live/"
    for query in ("", "?r=", "?r=abc", "?r=%00", "?r=99999999999999999999", "?since=-1&r=x"):
        response = client.get(base + query, headers=HTMX)
        assert response.status_code == 200, query
        assert ">Updated</p>" in response.content.decode()
    huge = client.get(base + "?r=0&since=" + "9" * 30, headers=HTMX)
    assert huge.status_code == 200


LIVE_PAGES = [
    ("overview/", "overview-body"),
    ("compare/{theme}/?source=all", "theme-columns"),
    ("agreement/", "agreement-body"),
    ("discussion/", "discussion-body"),
    ("roster/", "members"),
]


@pytest.mark.parametrize(("path", "region"), LIVE_PAGES)
def test_each_live_page_refreshes_its_region_from_its_own_url(world, path, region) -> None:
    client = client_for(world.instructor)
    page = f"/seminars/{world.seminar.pk}/" + path.format(theme=world.themes[0].slug)
    html = client.get(page).content.decode()
    assert '<div id="live-poll"' in html
    assert '<p id="live-status" class="visually-hidden" role="status" aria-live="polite">' in html
    opening = re.search(rf'<[a-z]+ id="{region}"[^>]*>', html)
    assert opening, region
    assert "data-live-region" in opening.group(0)
    assert f'hx-get="{page}"'.replace("&", "&amp;") in opening.group(0)
    assert 'hx-trigger="live:changed from:body"' in opening.group(0)
    # What the region asks for with htmx is the region itself, rendered afresh.
    tag(world, paragraphs(world)[0], annotation_set=world.key)
    fragment = client.get(page, headers=HTMX | {"HX-Target": region}).content.decode()
    assert fragment.lstrip().startswith("<") and f'id="{region}"' in fragment
    assert "<h1>" not in fragment and '<div id="live-poll"' not in fragment
