"""Seminar revisions and the page bodies cached under them (annotations/pagecache/revisions.py,
annotations/pagecache/fragments.py): every kind of write moves the revision, and a cached compare or
overview page is, after any write, the page an uncached render gives."""

from __future__ import annotations

import errno
import pickle
import re
import time
import zlib
from collections.abc import Callable
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import annotations.compare.views as compare_views
from annotations import services
from annotations.models import AnnotationSet, Tag
from annotations.pagecache import revisions
from annotations.pagecache.fragments import CSRF_PLACEHOLDER
from readings import services as reading_services
from readings.models import Membership, Passage, Seminar, SeminarReading
from tests.clients import HTMX, client_for
from tests.factories import PASSWORD, DocumentFactory, TagFactory, seminar_world

pytestmark = pytest.mark.django_db


def _revision(seminar: Seminar) -> int:
    return Seminar.objects.values_list("revision", flat=True).get(pk=seminar.pk)


def _paragraphs(document) -> list[Passage]:
    return list(document.passages.filter(kind="paragraph").order_by("position"))


def _writes(world) -> list[tuple[str, Callable[[], object]]]:
    """One of every kind of write a seminar's pages can show, in an order where each applies."""
    first, second = world.documents
    trade, security = world.themes
    passage = _paragraphs(first)[0]
    newcomer = get_user_model().objects.create_user("nell", password="x" * 12)
    extra = DocumentFactory(title="Third Reading", owner=world.instructor)

    def tag_and_update():
        tag, _ = services.passage_tag(
            annotation_set=world.key, passage=passage, theme=trade, author=world.instructor
        )
        return tag

    return [
        ("tag a passage", tag_and_update),
        (
            "change a tag's stance and note (one UPDATE, no signal)",
            lambda: services.tag_update(
                tag=Tag.objects.get(annotation_set=world.key), stance="supports", note="Yes."
            ),
        ),
        (
            "write a position summary",
            lambda: services.position_summary_save(
                annotation_set=world.key, theme=trade, document=first, text="Free trade first."
            ),
        ),
        (
            "pick a passage for the handout",
            lambda: services.discussion_pick_add(
                theme=trade, passage=passage, user=world.instructor
            ),
        ),
        (
            "drop the pick",
            lambda: services.discussion_pick_remove(theme=trade, passage=passage),
        ),
        (
            "remove the tag",
            lambda: services.tag_remove(tag=Tag.objects.get(annotation_set=world.key)),
        ),
        (
            "rename a theme",
            lambda: services.theme_update(
                theme=trade,
                name="Commerce",
                description="",
                guiding_question="",
                colour=trade.colour,
            ),
        ),
        ("move a theme (bulk_update)", lambda: services.theme_move(theme=security, offset=-1)),
        ("add a theme", lambda: services.theme_create(seminar=world.seminar, name="Energy")),
        (
            "copy a set (bulk_create)",
            lambda: services.annotation_set_create(
                seminar=world.seminar,
                owner=world.instructor,
                title="Copy of the key",
                kind=AnnotationSet.Kind.KEY,
                visibility=AnnotationSet.Visibility.PRIVATE,
                blind=False,
                copy_of=world.key,
            ),
        ),
        (
            "share a set's settings",
            lambda: services.annotation_set_update(
                annotation_set=world.student_set,
                title="Sam's reading",
                visibility=AnnotationSet.Visibility.SEMINAR,
                blind=False,
                locked=False,
            ),
        ),
        (
            "reveal one set",
            lambda: services.annotation_set_reveal(annotation_set=world.other_student_set),
        ),
        (
            "reveal the class (one UPDATE)",
            lambda: services.seminar_sets_reveal(seminar=world.seminar),
        ),
        (
            "rename the seminar",
            lambda: reading_services.seminar_update(
                seminar=world.seminar, title="Reading Power, again", description="", term=""
            ),
        ),
        (
            "a student joins",
            lambda: reading_services.seminar_join(code=world.seminar.join_code, user=newcomer),
        ),
        (
            "a member leaves",
            lambda: reading_services.membership_remove(
                membership=Membership.objects.get(seminar=world.seminar, user=newcomer)
            ),
        ),
        (
            "add a reading",
            lambda: reading_services.seminar_reading_add(seminar=world.seminar, document=extra),
        ),
        (
            "move a reading (bulk_update)",
            lambda: reading_services.seminar_reading_move(
                reading=SeminarReading.objects.get(seminar=world.seminar, document=extra), offset=-1
            ),
        ),
        (
            "remove a reading",
            lambda: reading_services.seminar_reading_remove(
                reading=SeminarReading.objects.get(seminar=world.seminar, document=extra)
            ),
        ),
        ("rename a reading (the admin)", lambda: _rename(second)),
        ("rename a student", lambda: _rename_user(world.student)),
        ("retire a theme", lambda: services.theme_retire(theme=security)),
        ("restore a theme", lambda: services.theme_restore(theme=security)),
    ]


def _rename(document) -> None:
    document.title = "The Second Reading, revised"
    document.save()


def _rename_user(user) -> None:
    user.username = "samuel"
    user.save()


def test_every_kind_of_write_moves_the_revision() -> None:
    world = seminar_world()
    for what, write in _writes(world):
        before = _revision(world.seminar)
        # Each write as its own request would make it: the test's one transaction otherwise
        # counts a target once, as it should when nothing was read in between.
        revisions.forget()
        write()
        assert _revision(world.seminar) > before, what


def test_writes_move_only_their_own_seminars_revision() -> None:
    world = seminar_world()
    elsewhere = Seminar.objects.create(title="Elsewhere")
    before = _revision(elsewhere)
    for _what, write in _writes(world):
        write()
    assert _revision(elsewhere) == before


def test_logging_in_does_not_move_the_revision(client: Client) -> None:
    world = seminar_world()
    before = _revision(world.seminar)
    assert client.login(username=world.student.username, password=PASSWORD)
    assert _revision(world.seminar) == before


def test_an_older_copy_of_the_seminar_cannot_take_the_revision_back() -> None:
    world = seminar_world()
    stale = Seminar.objects.get(pk=world.seminar.pk)
    services.theme_create(seminar=world.seminar, name="Energy")
    moved = _revision(world.seminar)
    stale.title = "Renamed from an old copy"
    stale.save()
    assert _revision(world.seminar) > moved
    assert Seminar.objects.get(pk=world.seminar.pk).title == "Renamed from an old copy"


def test_deleting_a_theme_with_many_tags_moves_the_revision_once_per_target() -> None:
    world = seminar_world()
    theme = services.theme_create(seminar=world.seminar, name="Energy")
    passages = _paragraphs(world.documents[0]) + _paragraphs(world.documents[1])
    for annotation_set in (world.key, world.student_set, world.other_student_set):
        for passage in passages:
            TagFactory(annotation_set=annotation_set, passage=passage, theme=theme)
    before = _revision(world.seminar)
    with CaptureQueriesContext(transaction.get_connection()) as queries:
        Tag.objects.filter(theme=theme).delete()
        theme.delete()
    bumps = [
        q for q in queries.captured_queries if '"revision"' in q["sql"] and "UPDATE" in q["sql"]
    ]
    assert _revision(world.seminar) > before
    # One per set whose tags went, one for the theme: not one per tag.
    assert len(bumps) <= 4, len(bumps)


def test_a_write_after_a_cached_read_in_the_same_transaction_moves_it_again() -> None:
    world = seminar_world()
    client = client_for(world.instructor)
    url = reverse("annotations:compare", args=[world.seminar.pk, world.themes[0].slug])
    passage = _paragraphs(world.documents[0])[0]
    with transaction.atomic():
        services.passage_tag(
            annotation_set=world.key,
            passage=passage,
            theme=world.themes[0],
            author=world.instructor,
        )
        assert passage.label in client.get(url + f"?source={world.key.pk}").text
        services.tag_remove(tag=Tag.objects.get(annotation_set=world.key))
        assert f"entry-{passage.pk}" not in client.get(url + f"?source={world.key.pk}").text


def _pages(world, instructor: Client, student: Client) -> list[tuple[Client, str, dict]]:
    world.themes[0].refresh_from_db(fields=["slug"])  # renaming the theme moves its pages
    compare = reverse("annotations:compare", args=[world.seminar.pk, world.themes[0].slug])
    overview = reverse("annotations:overview", args=[world.seminar.pk])
    seminar, slug = world.seminar.pk, world.themes[0].slug
    agreement = reverse("annotations:agreement", args=[seminar])
    discussion = reverse("annotations:discussion", args=[seminar])
    return [
        (instructor, agreement, {}),
        (student, agreement, {}),
        (instructor, discussion, {}),
        (instructor, discussion + f"?theme={slug}", HTMX),
        (instructor, reverse("annotations:present", args=[seminar, slug]), {}),
        (instructor, reverse("annotations:present_disputed", args=[seminar, slug]), HTMX),
        (instructor, compare, {}),
        (instructor, compare + "?source=all&min=1", {}),
        (instructor, compare + f"?source={world.key.pk}", HTMX),
        (instructor, overview, {}),
        (instructor, overview + "?source=all", {}),
        (student, compare + "?source=all", {}),
        (student, overview, {}),
    ]


def _masked(html: str) -> str:
    # Per request, outside the cached body: the CSP nonce and the CSRF tokens. Per render: the
    # time the live poll counts new tags from (templates/annotations/_live.html).
    html = re.sub(r'(nonce|X-CSRFToken)(="|": ")[^"]+', r"\1\2…", html)
    html = re.sub(r"since=\d+", "since=…", html)
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1…", html)


def _uncached(client: Client, url: str, headers: dict):
    """The page rendered afresh, as with an empty cache, leaving the cache as it was."""
    cache = caches["fragments"]
    with mock.patch.object(cache, "get", return_value=None), mock.patch.object(cache, "set"):
        return client.get(url, headers=headers)


# The writes in consecutive slices, one test each, so that pytest-xdist can spread them.
WRITE_SLICES = 4


@pytest.mark.parametrize("part", range(WRITE_SLICES))
def test_cached_pages_are_the_uncached_pages_after_every_write(part: int) -> None:
    world = seminar_world()
    passages = _paragraphs(world.documents[0])
    TagFactory(annotation_set=world.student_set, passage=passages[1], theme=world.themes[0])
    instructor, student = client_for(world.instructor), client_for(world.student)
    writes = _writes(world)
    size = -(-len(writes) // WRITE_SLICES)
    for _what, write in writes[: part * size]:  # the earlier slices' writes, unchecked
        write()
    for what, write in writes[part * size : (part + 1) * size]:
        # Fill the cache (from the second write on, the pages are there already).
        for client, url, headers in _pages(world, instructor, student):
            client.get(url, headers=headers)
        write()
        for client, url, headers in _pages(world, instructor, student):
            cached = client.get(url, headers=headers)
            fresh = _uncached(client, url, headers)
            # Pages, not two error pages alike.
            assert cached.status_code == fresh.status_code == 200, (what, url)
            assert _masked(cached.text) == _masked(fresh.text), (what, url)


def test_a_cached_page_is_served_without_gathering_the_comparison(monkeypatch) -> None:
    world = seminar_world()
    client = client_for(world.instructor)
    url = reverse("annotations:compare", args=[world.seminar.pk, world.themes[0].slug])
    first = client.get(url)

    def refuse(*args, **kwargs):
        raise AssertionError("gathered again")

    monkeypatch.setattr(compare_views, "comparison_gather", refuse)
    again = client.get(url)
    assert _masked(again.text) == _masked(first.text)
    with pytest.raises(AssertionError, match="gathered again"):
        client.get(url + "?source=all")


@pytest.mark.parametrize("name", ["compare", "overview"])
def test_a_cached_page_costs_a_pinned_number_of_queries(name, django_assert_num_queries) -> None:
    world = seminar_world()
    client = client_for(world.instructor)
    args = [world.seminar.pk] + ([world.themes[0].slug] if name == "compare" else [])
    url = reverse(f"annotations:{name}", args=args)
    client.get(url)
    # The session, the user, the membership with its seminar: nothing about the data.
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200


def test_an_outsider_gets_no_cached_page() -> None:
    world = seminar_world()
    url = reverse("annotations:compare", args=[world.seminar.pk, world.themes[0].slug])
    assert client_for(world.instructor).get(url).status_code == 200
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.outsider).get(url, headers=HTMX).status_code == 404


def test_a_cached_page_carries_this_requests_csrf_token() -> None:
    world = seminar_world()
    url = reverse("annotations:overview", args=[world.seminar.pk])
    first = client_for(world.instructor)
    assert first.get(url).status_code == 200
    # Another log-in of the same person: a new CSRF secret, and the page comes from the cache.
    second = Client(enforce_csrf_checks=True)
    second.force_login(world.instructor)
    page = second.get(url).text
    assert CSRF_PLACEHOLDER not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    assert f'"X-CSRFToken": "{token.group(1)}"' in page
    # The log-out form on that page works: the token is this session's.
    response = second.post(reverse("logout"), {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302


def test_a_page_with_a_message_waiting_shows_it_and_is_not_cached() -> None:
    world = seminar_world()
    client = client_for(world.instructor)
    url = reverse("annotations:compare", args=[world.seminar.pk, world.themes[0].slug])
    client.get(url)
    summary = reverse(
        "annotations:summary_edit",
        args=[world.seminar.pk, world.key.pk, world.themes[0].pk, world.documents[0].pk],
    )
    response = client.post(summary, {"text": "Trade binds them."}, follow=True)
    assert "Saved the summary" in response.text
    assert "Trade binds them." in response.text
    # Shown once: the next visit has no message, and the new summary.
    again = client.get(url + f"?source={world.key.pk}").text
    assert "Saved the summary" not in again
    assert "Trade binds them." in again


def test_a_full_disk_leaves_the_pages_working(monkeypatch, caplog) -> None:
    world = seminar_world()
    url = reverse("annotations:overview", args=[world.seminar.pk])

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(caches["fragments"], "set", full)
    response = client_for(world.instructor).get(url)
    assert response.status_code == 200
    assert "Overview: themes across the readings" in response.text
    assert "Could not cache a page" in caplog.text


def test_an_unreadable_cache_entry_is_rendered_again(caplog) -> None:
    """An entry cut short, or one that names a class the code has since moved, is a miss."""
    world = seminar_world()
    client = client_for(world.student)
    urls = [
        reverse("annotations:overview", args=[world.seminar.pk]),
        reverse(
            "annotations:reader",
            args=[world.seminar.pk, world.student_set.pk, world.documents[0].pk],
        ),
    ]
    before = [client.get(url).text for url in urls]
    files = sorted((settings.VAR_DIR / "fragments").glob(f"*{FileBasedCache.cache_suffix}"))
    assert len(files) >= 2  # the overview, and the reading's shared passages
    expiry = pickle.dumps(time.time() + 600)
    for number, path in enumerate(files):
        # The file cache's layout: the expiry, then the compressed pickle of the value.
        moved = b"cannotations.reader_gone\nSharedDocument\n."
        with open(path, "wb") as entry:
            entry.write(expiry + (zlib.compress(moved) if number % 2 else b"cut sh"))
    after = [client.get(url) for url in urls]
    assert [response.status_code for response in after] == [200, 200]

    def strip(html: str) -> str:  # what differs per response: tokens and nonces
        return re.sub(r'value="[^"]{64}"|"X-CSRFToken": "[^"]{64}"|nonce="[^"]+"', "", html)

    assert [strip(response.text) for response in after] == [strip(html) for html in before]
    assert "Could not read a cached page fragment" in caplog.text
    caplog.clear()
    client.get(urls[0])
    assert "Could not read" not in caplog.text  # stored over them
