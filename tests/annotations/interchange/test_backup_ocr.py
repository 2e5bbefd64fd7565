"""A scanned reading's OCR record (issue 22) goes through a seminar backup and back."""

from __future__ import annotations

import json

import pytest

from annotations.interchange.exports.backup import backup_bytes, seminar_backup
from annotations.interchange.imports.backup import parse_backup
from annotations.interchange.services import seminar_restore
from readings.models import Document, Seminar
from tests.factories import seminar_world

pytestmark = pytest.mark.django_db

ENGINE = "Tesseract 5.5.4 (eng)"


def _empty() -> None:
    Seminar.objects.all().delete()
    Document.objects.all().delete()


def test_a_readings_ocr_engine_is_kept_through_backup_and_restore() -> None:
    world = seminar_world()
    Document.objects.filter(pk=world.documents[0].pk).update(ocr_engine=ENGINE)
    data = backup_bytes(world.seminar)
    assert [r["ocr_engine"] for r in json.loads(data)["readings"]] == [ENGINE, ""]
    _empty()
    report = seminar_restore(backup=parse_backup(data), restore_people=True)
    restored = Document.objects.filter(seminars=report.seminar).order_by("title")
    assert [(d.title, d.ocr_engine) for d in restored] == [
        ("First Reading", ENGINE),
        ("Second Reading", ""),
    ]


def test_a_backup_made_before_the_ocr_record_restores_with_none() -> None:
    world = seminar_world()
    backup = seminar_backup(world.seminar)
    for reading in backup["readings"]:
        del reading["ocr_engine"]
    _empty()
    report = seminar_restore(backup=parse_backup(json.dumps(backup).encode()), restore_people=True)
    restored = Document.objects.filter(seminars=report.seminar)
    assert sorted(d.title for d in restored) == ["First Reading", "Second Reading"]
    assert {d.ocr_engine for d in restored} == {""}
