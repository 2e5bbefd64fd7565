"""Many people tagging the same passage at the same moment, on PostgreSQL.

Real threads, each with its own database connection, call the service or the web view at
once (a barrier releases them together). SQLite takes one writer at a time, so what these
tests show only means something on PostgreSQL; bin/test runs them there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from annotations.models import Tag
from annotations.services import passage_tag, tag_remove
from tests.factories import seminar_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: run on PostgreSQL (bin/test does, after SQLite)",
    ),
]

THREADS = 12


def at_once[T](work: Callable[[int], T], count: int = THREADS) -> list[T | Exception]:
    """Run work(0..count-1) in threads released together; each closes its own connection."""
    barrier = threading.Barrier(count)

    def run(n: int) -> T | Exception:
        try:
            barrier.wait(timeout=30)
            return work(n)
        except Exception as error:  # reported to the test, which decides
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _target(world):
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    return world.student_set, passage, world.themes[0]


def test_many_people_tagging_the_same_passage_at_once_make_one_tag() -> None:
    world = seminar_world()
    annotation_set, passage, theme = _target(world)

    def tag(n: int) -> tuple[Tag, bool]:
        return passage_tag(
            annotation_set=annotation_set, passage=passage, theme=theme, author=world.student
        )

    results = at_once(tag)
    tagged = [r for r in results if not isinstance(r, Exception)]
    assert len(tagged) == len(results), results
    assert Tag.objects.filter(annotation_set=annotation_set).count() == 1
    assert len({tag.pk for tag, _ in tagged}) == 1
    assert sum(created for _, created in tagged) == 1


def test_the_same_quote_span_tagged_at_once_makes_one_tag_per_span() -> None:
    world = seminar_world()
    annotation_set, passage, theme = _target(world)
    spans = [(0, 5), (0, 5), (3, 9), (3, 9)] * (THREADS // 4)

    def tag(n: int):
        return passage_tag(
            annotation_set=annotation_set,
            passage=passage,
            theme=theme,
            author=world.student,
            span=spans[n],
        )

    results = at_once(tag)
    assert not [r for r in results if isinstance(r, Exception)], results
    stored = Tag.objects.filter(annotation_set=annotation_set)
    assert sorted(stored.values_list("span_start", "span_end")) == [(0, 5), (3, 9)]


def test_parallel_requests_from_the_browser_make_one_tag() -> None:
    world = seminar_world()
    annotation_set, passage, theme = _target(world)
    url = reverse("annotations:tag_add", args=[world.seminar.pk, annotation_set.pk, passage.pk])

    def post(n: int):
        client = Client()
        client.force_login(world.student)
        return client.post(url, {"theme": theme.pk, "note": f"note {n}"}).status_code

    statuses = at_once(post)
    assert set(statuses) <= {200, 302}, statuses
    tags = Tag.objects.filter(annotation_set=annotation_set, passage=passage, theme=theme)
    assert tags.count() == 1
    assert tags.get().note.startswith("note ")  # one of the notes, whole


def test_tag_and_untag_racing_end_consistent_and_without_errors() -> None:
    world = seminar_world()
    annotation_set, passage, theme = _target(world)
    client_url = reverse(
        "annotations:tag_add", args=[world.seminar.pk, annotation_set.pk, passage.pk]
    )
    notes = {f"note {n}" for n in range(THREADS)}

    def tag_or_untag_then_tag(n: int) -> list[int]:
        """Half the people tag; the other half remove the tag they see, then tag again. Each
        one's last word is a tag, so the race must end with one."""
        client = Client(raise_request_exception=False)
        client.force_login(world.student)
        statuses = []
        if n % 2:
            tag = Tag.objects.filter(annotation_set=annotation_set, passage=passage).first()
            if tag is not None:
                statuses.append(client.post(f"{client_url}{tag.pk}/remove/").status_code)
        tagged = client.post(client_url, {"theme": theme.pk, "note": f"note {n}"})
        return [*statuses, tagged.status_code]

    for _ in range(3):
        results = at_once(tag_or_untag_then_tag)
        answered = [r for r in results if not isinstance(r, Exception)]
        assert len(answered) == THREADS, results
        assert {status for r in answered for status in r} <= {200, 302}, results
        tag = Tag.objects.get(annotation_set=annotation_set, passage=passage)  # exactly one
        assert tag.note in notes  # one of the notes, whole
        # Whatever won, the reader shows exactly what is stored.
        page = Client()
        page.force_login(world.student)
        response = page.get(
            reverse(
                "annotations:reader",
                args=[world.seminar.pk, annotation_set.pk, passage.document_id],
            )
        )
        assert response.status_code == 200
        assert tag.note in response.content.decode()


def test_service_level_tag_and_remove_race_leaves_exactly_one_tag() -> None:
    world = seminar_world()
    annotation_set, passage, theme = _target(world)

    def work(n: int):
        # Half remove the tag they see first; everyone's last word is a tag.
        if n % 2:
            tag = Tag.objects.filter(annotation_set=annotation_set, passage=passage).first()
            if tag is not None:
                tag_remove(tag=tag)
        return passage_tag(
            annotation_set=annotation_set,
            passage=passage,
            theme=theme,
            author=world.student,
            stance="supports",
            note=f"note {n}",
        )

    results = at_once(work)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    # The last write of the race was a tag: exactly one is stored, whole.
    stored = Tag.objects.get(annotation_set=annotation_set, passage=passage)
    assert stored.stance == "supports" and stored.note in {f"note {n}" for n in range(THREADS)}
