"""Backups, restores and large annotation imports run as jobs (issue 22): the request that
starts one answers at once, before any of the work is done; the job's page then has the file
or the report, or says what was wrong."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from annotations.interchange.exports.backup import seminar_backup
from annotations.interchange.exports.collect import set_record
from annotations.interchange.exports.w3c import collection
from annotations.models import AnnotationSet, Tag
from jobs.models import Job
from jobs.services import uploads_dir
from readings.models import Membership, Seminar
from tests.factories import TagFactory, seminar_world
from tests.jobs.worker import finish_job, run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = seminar_world()
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    TagFactory(annotation_set=world.key, passage=passage, theme=world.themes[0], note="Key note")
    return world


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, world) -> str:
    return reverse(f"annotations:{name}", args=[world.seminar.pk])


def test_a_backup_answers_at_once_then_its_file_is_downloaded(world, htmx_headers) -> None:
    client = _client(world.instructor)
    started = client.post(_url("seminar_backup", world))

    assert started.status_code == 303
    job = Job.objects.get()
    assert started["Location"] == job.get_absolute_url()
    assert job.state == Job.State.QUEUED and job.result is None  # nothing made yet
    assert job.title == "Backup of “Reading Power”"

    page = finish_job(client, started).content.decode()
    assert "Backup of “Reading Power” made" in page
    download = client.get(reverse("jobs:job_file", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('.counterpoint.json"')
    backup = json.loads(download.content)
    assert backup["seminar"]["title"] == "Reading Power"
    # The same backup as one made here and now, but for the second it was made in.
    made_here = json.loads(json.dumps(seminar_backup(world.seminar)))
    assert backup.pop("exported_at") <= made_here.pop("exported_at")
    assert backup == made_here

    with_htmx = client.post(_url("seminar_backup", world), headers=htmx_headers)
    assert with_htmx.status_code == 200
    assert with_htmx["HX-Redirect"] == Job.objects.get(state="queued").get_absolute_url()


def test_a_restore_answers_before_anything_is_restored(world, htmx_headers) -> None:
    client = _client(world.instructor)
    data = json.dumps(seminar_backup(world.seminar)).encode()
    started = client.post(
        _url("seminar_restore", world), {"restore-file": SimpleUploadedFile("b.json", data)}
    )

    assert started.status_code == 303
    assert Seminar.objects.count() == 1  # the work had not run when the answer came
    job = Job.objects.get()
    assert job.state == Job.State.QUEUED
    # The upload waits for its worker as a file, not in the database (jobs/services.py).
    kept = uploads_dir() / f"{job.pk}.upload"
    assert kept.read_bytes() == data and bytes(job.payload) == b""

    page = finish_job(client, started).content.decode()
    assert "Backup restored as “" in page and "Open the restored seminar" in page
    copy = Seminar.objects.exclude(pk=world.seminar.pk).get()
    assert Tag.objects.get(annotation_set__seminar=copy).note == "Key note"
    assert Membership.objects.get(seminar=copy).user == world.instructor
    job.refresh_from_db()
    assert not kept.exists()  # the upload is not kept once the job is over

    again = client.post(
        _url("seminar_restore", world),
        {"restore-file": SimpleUploadedFile("b.json", data)},
        headers=htmx_headers,
    )
    assert again.status_code == 200 and again["HX-Redirect"].startswith("/jobs/")
    assert Seminar.objects.count() == 2


def test_a_damaged_backup_fails_its_job_with_words_and_restores_nothing(world) -> None:
    client = _client(world.instructor)
    started = client.post(
        _url("seminar_restore", world),
        {"restore-file": SimpleUploadedFile("b.json", b'{"format": "counterpoint-seminar"')},
    )
    page = finish_job(client, started).content.decode()
    assert "Failed" in page and "Nothing was restored." in page
    assert Job.objects.get().state == Job.State.FAILED
    assert Seminar.objects.count() == 1


def test_an_instructor_who_left_before_the_worker_came_gets_no_backup(world) -> None:
    client = _client(world.instructor)
    started = client.post(_url("seminar_backup", world))
    Membership.objects.filter(user=world.instructor).update(role=Membership.Role.STUDENT)
    page = finish_job(client, started).content.decode()
    assert "You are no longer an instructor of this seminar" in page
    assert not Job.objects.get().has_file


def test_a_student_starts_no_backup_and_no_restore(world) -> None:
    client = _client(world.student)
    assert client.post(_url("seminar_backup", world)).status_code == 403
    restore = client.post(
        _url("seminar_restore", world), {"restore-file": SimpleUploadedFile("b.json", b"{}")}
    )
    assert restore.status_code == 403
    assert not Job.objects.exists()


def _w3c_file(world) -> bytes:
    record = set_record(world.key, base_url="http://testserver")
    return json.dumps(collection(record, collection_iri="http://testserver/c")).encode()


def test_a_large_annotation_file_is_imported_by_a_worker(world, monkeypatch) -> None:
    monkeypatch.setattr("annotations.interchange.views.BACKGROUND_BYTES", 10)
    client = _client(world.student)
    sets = AnnotationSet.objects.count()
    started = client.post(
        _url("set_import", world),
        {
            "file": SimpleUploadedFile("key.jsonld", _w3c_file(world)),
            "format": "auto",
            "title": "The key, again",
        },
    )
    assert started.status_code == 303
    assert AnnotationSet.objects.count() == sets  # not imported yet

    page = finish_job(client, started).content.decode()
    assert "Imported 1 tag into “The key, again”" in page
    assert "Every annotation found its place." in page
    imported = AnnotationSet.objects.get(title="The key, again")
    assert imported.owner == world.student and imported.kind == AnnotationSet.Kind.REFERENCE
    assert imported.tags.get().note == "Key note"


def test_a_large_file_that_is_no_annotation_file_fails_with_words(world, monkeypatch) -> None:
    monkeypatch.setattr("annotations.interchange.views.BACKGROUND_BYTES", 10)
    client = _client(world.instructor)
    sets = AnnotationSet.objects.count()
    started = client.post(
        _url("set_import", world),
        {"file": SimpleUploadedFile("x.jsonld", b"[1, 2, " * 10), "format": "w3c"},
    )
    page = finish_job(client, started).content.decode()
    assert "Nothing was imported." in page
    assert AnnotationSet.objects.count() == sets


def test_a_small_annotation_file_is_still_imported_in_the_request(world) -> None:
    response = _client(world.student).post(
        _url("set_import", world),
        {"file": SimpleUploadedFile("key.jsonld", _w3c_file(world)), "format": "auto"},
    )
    assert response.status_code == 200
    assert "Imported 1 tag into" in response.content.decode()
    assert not Job.objects.exists() and run_queued_jobs() == 0


def test_a_large_file_reports_new_themes_and_orphans_on_the_jobs_page(world, monkeypatch):
    monkeypatch.setattr("annotations.interchange.views.BACKGROUND_BYTES", 10)
    document = json.loads(_w3c_file(world))
    item = document["first"]["items"][0]
    renamed = json.loads(json.dumps(item))
    renamed["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    renamed["body"][0]["value"] = "Brand new theme"
    lost = json.loads(json.dumps(item))
    lost["id"] = "urn:uuid:00000000-0000-4000-8000-000000000002"
    lost["target"]["selector"] = [{"type": "TextQuoteSelector", "exact": "Words no reading has"}]
    document["first"]["items"] += [renamed, lost]
    document["total"] = 3
    client = _client(world.instructor)
    started = client.post(
        _url("set_import", world),
        {
            "file": SimpleUploadedFile("key.jsonld", json.dumps(document).encode()),
            "format": "w3c",
            "kind": "key",
            "default_theme": world.themes[1].pk,
        },
    )
    page = finish_job(client, started).content.decode()
    assert "Imported 2 tags into" in page
    assert "New themes: Brand new theme." in page
    assert "1 orphans, not imported:" in page
    assert "urn:uuid:00000000-0000-4000-8000-000000000002" in page
    imported = AnnotationSet.objects.exclude(pk=world.key.pk).get(kind=AnnotationSet.Kind.KEY)
    assert imported.owner == world.instructor and imported.tags.count() == 2


def test_a_student_who_left_before_the_worker_came_imports_nothing(world, monkeypatch):
    monkeypatch.setattr("annotations.interchange.views.BACKGROUND_BYTES", 10)
    client = _client(world.student)
    sets = AnnotationSet.objects.count()
    started = client.post(
        _url("set_import", world),
        {"file": SimpleUploadedFile("key.jsonld", _w3c_file(world)), "format": "auto"},
    )
    Membership.objects.filter(user=world.student).delete()
    page = finish_job(client, started).content.decode()
    assert "You are no longer a member of this seminar" in page
    assert AnnotationSet.objects.count() == sets
