"""Exports at their edges: a tag whose author left, a reading that left the seminar, and the
backup command writing to standard output."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from annotations.interchange.exports.backup import backup_bytes, seminar_backup
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


def test_backup_bytes_are_the_backup_as_utf8_json() -> None:
    world = seminar_world()
    data = backup_bytes(world.seminar)
    written = json.loads(data.decode("utf-8"))
    expected = json.loads(json.dumps(seminar_backup(world.seminar)))
    # Two exports a second apart differ only in when they were made.
    assert written.pop("exported_at").endswith("Z")
    expected.pop("exported_at")
    assert written == expected
    assert "Reading Power" in data.decode("utf-8")  # not escaped to \\u sequences


def test_export_seminar_writes_to_standard_output_without_a_file(capsysbinary) -> None:
    world = seminar_world()
    call_command("export_seminar", str(world.seminar.pk))
    written = capsysbinary.readouterr().out
    assert json.loads(written)["seminar"]["title"] == "Reading Power"


def test_export_seminar_writes_the_file_it_is_given_and_says_so(tmp_path, capsys) -> None:
    world = seminar_world()
    target = tmp_path / "backup.json"
    call_command("export_seminar", str(world.seminar.pk), "-o", str(target))
    assert json.loads(target.read_bytes())["seminar"]["title"] == "Reading Power"
    assert f"Wrote “Reading Power” to {target}." in capsys.readouterr().err
