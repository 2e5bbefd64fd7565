"""A passage its owner marked "not part of the text": not shown, tagged, counted or compared."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from readings.corrections.services import passage_kind_set
from readings.models import Document, Passage
from tests.factories import DocumentFactory, SeminarReadingFactory, SeminarWorld, seminar_world

pytestmark = pytest.mark.django_db

SOURCE = """A Reading

The first paragraph argues for trade.

Cookie settings and privacy choices for this site.

The last paragraph argues for security.
"""


@dataclass
class Footered:
    world: SeminarWorld
    document: Document
    stray: Passage

    def __getattr__(self, name: str) -> Any:
        return getattr(self.world, name)


@pytest.fixture
def world() -> Footered:
    world = seminar_world()
    document = DocumentFactory(title="With a Footer", owner=world.instructor, source=SOURCE)
    SeminarReadingFactory(seminar=world.seminar, document=document, position=9)
    stray = document.passages.get(text__startswith="Cookie")
    passage_kind_set(document=document, passage_id=stray.pk, kind="not_text")
    return Footered(world, document, stray)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_reader_does_not_show_it(world) -> None:
    url = reverse(
        "annotations:reader", args=[world.seminar.pk, world.student_set.pk, world.document.pk]
    )
    response = _client(world.student).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The first paragraph argues for trade." in html
    assert "The last paragraph argues for security." in html
    assert "Cookie settings" not in html


def test_it_cannot_be_tagged(world) -> None:
    url = reverse(
        "annotations:tag_add", args=[world.seminar.pk, world.student_set.pk, world.stray.pk]
    )
    response = _client(world.student).post(url, {"theme": world.themes[0].pk})
    assert response.status_code == 404
    assert not world.stray.tags.exists()
    paragraph = world.document.passages.get(label="¶ 1")
    ok = reverse("annotations:tag_add", args=[world.seminar.pk, world.student_set.pk, paragraph.pk])
    assert _client(world.student).post(ok, {"theme": world.themes[0].pk}).status_code == 302
    assert paragraph.tags.count() == 1


def test_the_reading_page_and_counts_leave_it_out(world) -> None:
    response = _client(world.instructor).get(world.document.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "The last paragraph argues for security." in html and "Cookie" not in html
    seminar = _client(world.instructor).get(world.seminar.get_absolute_url()).content.decode()
    assert "With a Footer" in seminar and "2 paragraphs" in seminar


def test_the_reader_shows_a_correction_at_once_not_its_cached_page(world) -> None:
    from readings.corrections.services import passage_merge

    url = reverse(
        "annotations:reader", args=[world.seminar.pk, world.student_set.pk, world.document.pk]
    )
    student = _client(world.student)
    assert student.get(url).status_code == 200  # cached now
    first = world.document.passages.get(label="¶ 1")
    passage_merge(document=world.document, passage_id=first.pk)
    html = student.get(url).content.decode()
    assert "The first paragraph argues for trade. Cookie settings" in html


def test_a_backup_keeps_a_passage_taken_out_of_the_text(world) -> None:
    import json

    from annotations.interchange.exports.backup import seminar_backup
    from annotations.interchange.imports.backup import parse_backup
    from annotations.interchange.services import seminar_restore

    backup = parse_backup(json.dumps(seminar_backup(world.seminar)).encode())
    report = seminar_restore(backup=backup, importer=world.outsider)
    kinds = Passage.objects.filter(document__seminars=report.seminar).values_list("kind", flat=True)
    assert report.seminar.pk != world.seminar.pk
    assert "not_text" in set(kinds)
