"""Seminar backups: export_seminar / import_seminar through an empty database, the backup's
bytes, restoring merged themes, copied sets and people with no account yet, and refusals."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotations.interchange.exports.backup import backup_bytes, seminar_backup
from annotations.interchange.imports.backup import parse_backup
from annotations.interchange.imports.records import ImportRejected
from annotations.interchange.services import seminar_restore
from annotations.models import AnnotationSet, PositionSummary, Tag, Theme
from annotations.services import annotation_set_create, passage_tag, theme_merge
from readings.models import Document, Membership, Passage, Seminar
from tests.factories import SeminarWorld, seminar_world

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


# Restoring at the edges ----------------------------------------------------------------------


def _paragraphs(world: SeminarWorld) -> list[Passage]:
    return list(world.documents[0].passages.filter(kind="paragraph").order_by("position"))


def test_restoring_keeps_merged_themes_copied_sets_and_creates_missing_people() -> None:
    world = seminar_world()
    trade, security = world.themes
    first = _paragraphs(world)[0]
    tag, _ = passage_tag(
        annotation_set=world.key, passage=first, theme=security, author=world.instructor
    )
    Tag.objects.filter(pk=tag.pk).update(author=None)  # an author whose account was deleted
    copy = annotation_set_create(
        seminar=world.seminar, owner=world.student, title="Copy of the key", copy_of=world.key
    )
    theme_merge(source=security, target=trade)
    backup = parse_backup(backup_bytes(world.seminar))
    get_user_model().objects.filter(username="tara").delete()

    report = seminar_restore(backup=backup, restore_people=True)

    restored = report.seminar
    assert get_user_model().objects.get(username="tara").has_usable_password() is False
    merged = Theme.objects.get(seminar=restored, name="Security")
    assert merged.retired_at is not None and merged.merged_into is not None
    assert merged.merged_into.name == "Trade"
    restored_copy = AnnotationSet.objects.get(seminar=restored, title=copy.title)
    assert restored_copy.copied_from is not None
    assert restored_copy.copied_from.title == "Key"
    assert Tag.objects.filter(annotation_set__seminar=restored, author=None).exists()


def test_restoring_into_a_seminar_reuses_its_active_themes_of_the_same_name() -> None:
    world = seminar_world()
    backup = parse_backup(backup_bytes(world.seminar))
    other = seminar_world()  # same people, a new seminar with its own "Trade" and "Security"
    report = seminar_restore(backup=backup, importer=other.instructor, into=other.seminar)
    assert report.themes_reused == 2 and report.themes_created == 0
    assert Theme.objects.filter(seminar=other.seminar).count() == 2
