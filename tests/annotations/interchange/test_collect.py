"""The record every export is written from, at its edges: a tag whose author left, and a
reading that left the seminar."""

from __future__ import annotations

import pytest

from annotations.interchange.exports.collect import set_record
from readings.models import SeminarReading
from tests.factories import TagFactory, seminar_world

pytestmark = pytest.mark.django_db


def _paragraph(document):
    passage = document.passages.filter(kind="paragraph").first()
    assert passage is not None
    return passage


def test_a_tag_whose_author_was_deleted_is_exported_without_an_author() -> None:
    world = seminar_world()
    tag = TagFactory(
        annotation_set=world.key, passage=_paragraph(world.documents[0]), theme=world.themes[0]
    )
    tag.author = None
    tag.save(update_fields=["author"])
    record = set_record(world.key, base_url="https://counterpoint.example")
    (exported,) = record.tags
    assert exported.pk == tag.pk and exported.author is None
    assert record.owner.username == "ines"


def test_tags_on_a_reading_that_left_the_seminar_are_not_exported() -> None:
    world = seminar_world()
    kept = TagFactory(
        annotation_set=world.key, passage=_paragraph(world.documents[0]), theme=world.themes[0]
    )
    TagFactory(
        annotation_set=world.key, passage=_paragraph(world.documents[1]), theme=world.themes[0]
    )
    SeminarReading.objects.filter(seminar=world.seminar, document=world.documents[1]).delete()
    record = set_record(world.key, base_url="")
    assert [t.pk for t in record.tags] == [kept.pk]
    assert [r.pk for r in record.readings] == [world.documents[0].pk]
