"""Seminar backups: export_seminar / import_seminar through an empty database, and refusals."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotations.interchange.exports.backup import seminar_backup
from annotations.interchange.imports.backup import parse_backup
from annotations.interchange.imports.records import ImportRejected
from annotations.interchange.services import seminar_restore
from annotations.models import AnnotationSet, PositionSummary, Tag, Theme
from readings.models import Document, Membership, Seminar

pytestmark = pytest.mark.django_db


def _comparable(backup: dict) -> dict:
    return {k: v for k, v in backup.items() if k != "exported_at"}


def _empty_the_database() -> None:
    Tag.objects.all().delete()
    PositionSummary.objects.all().delete()
    AnnotationSet.objects.all().delete()
    Theme.objects.all().delete()
    Seminar.objects.all().delete()
    Document.objects.all().delete()
    get_user_model().objects.all().delete()


def test_demo_backup_restores_exactly_into_an_empty_database(demo, tmp_path) -> None:
    path = tmp_path / "demo.json"
    call_command("export_seminar", str(demo.seminar.pk), "-o", str(path), stderr=StringIO())
    first = json.loads(path.read_text(encoding="utf-8"))
    assert first["sets"] and any(s["summaries"] for s in first["sets"])
    _empty_the_database()

    out = StringIO()
    call_command("import_seminar", str(path), stdout=out)
    assert "Restored" in out.getvalue()
    seminar = Seminar.objects.get()
    again = seminar_backup(seminar)
    # Everything comes back: readings and passages, themes, members, sets, tags with their
    # spans, stances, notes, authors and times, and the summaries.
    assert _comparable(again) == _comparable(first)
    assert (
        not get_user_model()
        .objects.get(username=first["members"][0]["username"])
        .has_usable_password()
    )


def test_restoring_on_the_web_gives_every_set_to_the_importer(demo) -> None:
    backup = parse_backup(json.dumps(seminar_backup(demo.seminar)).encode())
    stranger = get_user_model().objects.create(username="stranger")
    report = seminar_restore(backup=backup, importer=stranger)
    seminar = report.seminar
    assert list(
        Membership.objects.filter(seminar=seminar).values_list("user__username", "role")
    ) == [("stranger", "instructor")]
    assert set(
        AnnotationSet.objects.filter(seminar=seminar).values_list("owner__username", flat=True)
    ) == {"stranger"}
    assert report.tags == Tag.objects.filter(annotation_set__seminar=demo.seminar).count()
    # The stranger could not see the demo's documents, so they get copies of their own.
    assert report.readings_created == len(backup.readings) and report.readings_reused == 0


def test_restoring_reuses_documents_with_the_same_text_and_passages(demo) -> None:
    backup = parse_backup(json.dumps(seminar_backup(demo.seminar)).encode())
    count = Document.objects.count()
    report = seminar_restore(backup=backup, restore_people=True)
    assert report.readings_reused == len(backup.readings)
    assert Document.objects.count() == count


def _damaged(demo, change) -> bytes:
    backup = seminar_backup(demo.seminar)
    change(backup)
    return json.dumps(backup).encode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b.update(format="something else"), "is not one"),
        (lambda b: b["readings"][0].update(text="changed"), "does not match its hash"),
        (lambda b: b["readings"][0]["passages"][0].update(end=10**9), "offsets outside"),
        (lambda b: b["sets"][0]["tags"][0].update(theme=99), "has no theme"),
        (lambda b: b["sets"][0]["tags"][0].update(span=[5, 2]), "span outside"),
        (lambda b: b["sets"][0]["tags"][0].update(stance="maybe"), "unknown stance"),
        (lambda b: b["sets"][0]["tags"][0].update(reading="0" * 64), "does not hold"),
    ],
    ids=["format", "hash", "passage", "theme", "span", "stance", "reading"],
)
def test_a_damaged_backup_is_refused_and_nothing_is_stored(demo, change, message) -> None:
    seminars = Seminar.objects.count()
    with pytest.raises(ImportRejected, match=message):
        parse_backup(_damaged(demo, change))
    assert Seminar.objects.count() == seminars


def test_import_seminar_explains_bad_files(tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="malformed"):
        call_command("import_seminar", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_seminar", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="No seminar"):
        call_command("export_seminar", "999999")
