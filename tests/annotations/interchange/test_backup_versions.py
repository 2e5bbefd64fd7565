"""Backups, format version 2: discussion picks, readings that left the seminar, readings that
share a text; and version 1 files, which are still restored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from annotations.interchange.exports.backup import backup_bytes, seminar_backup
from annotations.interchange.imports.backup import parse_backup
from annotations.interchange.imports.records import ImportRejected
from annotations.interchange.services import seminar_restore
from annotations.models import AnnotationSet, DiscussionPick, PositionSummary, Tag
from annotations.services import discussion_pick_add, passage_tag, position_summary_save
from readings.models import Document, Passage, Seminar, SeminarReading
from readings.services import seminar_delete, seminar_reading_remove
from tests.factories import DocumentFactory, SeminarWorld, seminar_world
from tests.jobs.worker import finish_job, job_download

pytestmark = pytest.mark.django_db

VERSION_1 = Path(__file__).with_name("backup_v1.json")


def _paragraph(document: Document) -> Passage:
    passage = document.passages.filter(kind=Passage.Kind.PARAGRAPH).first()
    assert passage is not None
    return passage


@pytest.fixture
def world() -> SeminarWorld:
    """Picks under both themes, and the second reading taken out of the seminar with a tag, a
    summary and a pick still on it."""
    world = seminar_world()
    trade, security = world.themes
    first, second = (_paragraph(d) for d in world.documents)
    passage_tag(annotation_set=world.key, passage=first, theme=trade, author=world.instructor)
    passage_tag(
        annotation_set=world.student_set,
        passage=second,
        theme=security,
        author=world.student,
        note="Said before it left",
    )
    position_summary_save(
        annotation_set=world.key, theme=security, document=world.documents[1], text="Cautious."
    )
    discussion_pick_add(theme=trade, passage=first, user=world.instructor)
    discussion_pick_add(theme=security, passage=second, user=world.instructor)
    seminar_reading_remove(
        reading=SeminarReading.objects.get(seminar=world.seminar, document=world.documents[1])
    )
    return world


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_backup_holds_picks_and_the_reading_that_left_with_what_is_on_it(world) -> None:
    backup = seminar_backup(world.seminar)
    assert backup["version"] == 2
    assert [(r["title"], r["position"]) for r in backup["readings"]] == [
        ("First Reading", 0),
        ("Second Reading", None),
    ]
    picks = {
        t["name"]: [(p["reading"], p["added_by"]) for p in t["picks"]] for t in backup["themes"]
    }
    assert picks == {"Trade": [(0, "ines")], "Security": [(1, "ines")]}
    student_set = next(s for s in backup["sets"] if s["owner"] == "sam")
    assert [(t["reading"], t["note"]) for t in student_set["tags"]] == [(1, "Said before it left")]
    key = next(s for s in backup["sets"] if s["owner"] == "ines")
    assert [(x["reading"], x["text"]) for x in key["summaries"]] == [(1, "Cautious.")]


def test_restoring_on_the_web_brings_back_picks_and_the_tags_on_a_reading_that_left(world) -> None:
    client = _client(world.instructor)
    download = job_download(
        client, client.post(reverse("annotations:seminar_backup", args=[world.seminar.pk]))
    )
    assert download.status_code == 200

    response = finish_job(
        client,
        client.post(
            reverse("annotations:seminar_restore", args=[world.seminar.pk]),
            {"restore-file": SimpleUploadedFile("b.json", download.content)},
        ),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Backup restored as" in page
    assert "1 of them had been taken out of the seminar" in page
    assert "2 discussion picks" in page
    copy = Seminar.objects.exclude(pk=world.seminar.pk).get()
    assert list(copy.readings.values_list("title", flat=True)) == ["First Reading"]
    assert sorted(
        DiscussionPick.objects.filter(theme__seminar=copy).values_list(
            "theme__name", "passage__document__title", "added_by__username"
        )
    ) == [("Security", "Second Reading", "ines"), ("Trade", "First Reading", "ines")]
    left = Tag.objects.get(annotation_set__seminar=copy, note="Said before it left")
    assert left.passage.document.title == "Second Reading"
    assert PositionSummary.objects.get(annotation_set__seminar=copy).text == "Cautious."


def test_restoring_a_backup_into_its_own_seminar_keeps_one_pick_per_passage(world) -> None:
    backup = parse_backup(backup_bytes(world.seminar))
    report = seminar_restore(backup=backup, importer=world.instructor, into=world.seminar)
    assert report.themes_reused == 2 and report.picks == 0
    assert DiscussionPick.objects.filter(theme__seminar=world.seminar).count() == 2
    assert SeminarReading.objects.filter(seminar=world.seminar).count() == 1


def test_two_readings_with_the_same_text_come_back_as_two(world) -> None:
    twin = DocumentFactory(title="The same text, imported again", owner=world.student)
    assert twin.content_hash == world.documents[0].content_hash
    SeminarReading.objects.create(seminar=world.seminar, document=twin, position=5)
    passage_tag(
        annotation_set=world.student_set,
        passage=_paragraph(twin),
        theme=world.themes[0],
        author=world.student,
        note="On the twin",
    )
    backup = parse_backup(backup_bytes(world.seminar))
    seminar_delete(seminar=world.seminar)
    Document.objects.all().delete()  # a restore into an empty library: nothing to reuse

    restored = seminar_restore(backup=backup, restore_people=True).seminar

    readings = SeminarReading.objects.filter(seminar=restored).order_by("position")
    assert [(r.document.title, r.position) for r in readings] == [
        ("First Reading", 0),
        ("The same text, imported again", 5),
    ]
    tag = Tag.objects.get(annotation_set__seminar=restored, note="On the twin")
    assert tag.passage.document.title == "The same text, imported again"
    assert tag.passage.document.owner == world.student


def test_a_version_1_backup_is_still_restored() -> None:
    """A file written by the exporter before version 2 (one reading, two themes, a tag with a
    stance and a note, a span tag, a summary)."""
    report = seminar_restore(backup=parse_backup(VERSION_1.read_bytes()), restore_people=True)
    seminar = report.seminar
    assert seminar.title == "Reading Power" and seminar.created_by is not None
    assert seminar.created_by.username == "ines"
    assert list(seminar.readings.values_list("title", flat=True)) == ["First Reading"]
    facts = set(
        Tag.objects.filter(annotation_set__seminar=seminar).values_list(
            "annotation_set__owner__username", "theme__name", "span_start", "span_end", "stance"
        )
    )
    assert facts == {("ines", "Trade", 0, 0, "supports"), ("sam", "Security", 2, 9, "")}
    assert PositionSummary.objects.get(annotation_set__seminar=seminar).text == (
        "The author argues for trade."
    )
    assert AnnotationSet.objects.filter(seminar=seminar).count() == 3
    assert report.picks == 0 and report.readings_left == 0


def _damaged(world: SeminarWorld, change) -> bytes:
    backup = seminar_backup(world.seminar)
    change(backup)
    return json.dumps(backup).encode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b["themes"][0]["picks"][0].update(passage=999), "pick 1, is on a passage"),
        (lambda b: b["themes"][0]["picks"][0].update(reading=7), "pick 1, is on a reading"),
        (lambda b: b["themes"][0]["picks"].append(b["themes"][0]["picks"][0]), "repeats"),
        (lambda b: b["readings"][1].update(position="last"), "has a bad position"),
        (lambda b: b["sets"][0]["summaries"][0].update(reading=9), "does not hold"),
        (lambda b: b.update(version=3), "has a version this Counterpoint cannot read"),
    ],
    ids=["pick-passage", "pick-reading", "pick-twice", "position", "summary-reading", "v3"],
)
def test_a_damaged_version_2_backup_is_refused_with_where_and_what(world, change, message) -> None:
    with pytest.raises(ImportRejected, match=message):
        parse_backup(_damaged(world, change))
