"""The "Export and import" page and its downloads and uploads, for each kind of member."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from annotations.models import AnnotationSet, Tag, Theme
from readings.models import Seminar
from tests.annotations.interchange.refi_qda import errors
from tests.annotations.interchange.w3c_suite import check
from tests.factories import TagFactory, seminar_world
from tests.jobs.worker import finish_job, job_download

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = seminar_world()
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    TagFactory(
        annotation_set=world.student_set,
        passage=passage,
        theme=world.themes[0],
        span_start=4,
        span_end=11,
        stance="supports",
        note="Sam's note",
    )
    TagFactory(annotation_set=world.key, passage=passage, theme=world.themes[1])
    return world


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, world, **kwargs) -> str:
    return reverse(f"annotations:{name}", kwargs={"seminar_id": world.seminar.pk, **kwargs})


def test_a_student_sees_downloads_for_the_sets_they_may_read_only(world) -> None:
    response = _client(world.student).get(_url("interchange", world))
    page = response.content.decode()
    assert response.status_code == 200
    assert world.student_set.title in page.replace("&#x27;", "'")
    assert "Tara" not in page  # another student's blind set
    assert "Back up the seminar" not in page and "Import a codebook" not in page


def test_an_instructor_sees_backup_and_codebook_import(world) -> None:
    page = _client(world.instructor).get(_url("interchange", world)).content.decode()
    assert "Back up the seminar" in page and "Import a codebook" in page


def test_an_outsider_gets_404_everywhere(world) -> None:
    client = _client(world.outsider)
    assert client.get(_url("interchange", world)).status_code == 404
    assert (
        client.get(_url("set_export", world, set_id=world.student_set.pk, fmt="w3c")).status_code
        == 404
    )
    assert client.post(_url("set_import", world)).status_code == 404


def test_a_student_cannot_export_another_students_blind_set(world) -> None:
    url = _url("set_export", world, set_id=world.other_student_set.pk, fmt="csv")
    assert _client(world.student).get(url).status_code == 404


def test_w3c_download_is_a_valid_collection(world) -> None:
    response = _client(world.student).get(
        _url("set_export", world, set_id=world.student_set.pk, fmt="w3c")
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    assert check("collectionMusts", document) == []
    (item,) = document["first"]["items"]
    assert item["target"]["source"]["id"].startswith("http://testserver/documents/")


def test_w3c_pages_are_served_with_their_collection(world) -> None:
    url = _url("set_export_w3c_page", world, set_id=world.student_set.pk, page=0)
    document = _client(world.instructor).get(url).json()
    assert check("pageMusts", document) == []
    assert document["partOf"]["total"] == 1
    missing = _url("set_export_w3c_page", world, set_id=world.student_set.pk, page=3)
    assert _client(world.instructor).get(missing).status_code == 404


def test_qdpx_and_codebook_downloads_are_valid(world) -> None:
    client = _client(world.student)
    response = client.get(_url("set_export", world, set_id=world.student_set.pk, fmt="qdpx"))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert errors("project", archive.read("project.qde")) == []
    response = client.get(_url("codebook_export", world))
    assert errors("codebook", response.content) == []


def test_an_unknown_format_is_404(world) -> None:
    url = _url("set_export", world, set_id=world.student_set.pk, fmt="docx")
    assert _client(world.student).get(url).status_code == 404


def _w3c_file(world) -> SimpleUploadedFile:
    response = _client(world.student).get(
        _url("set_export", world, set_id=world.student_set.pk, fmt="w3c")
    )
    document = json.loads(response.content)
    lost = json.loads(json.dumps(document["first"]["items"][0]))
    lost["target"]["selector"][0]["exact"] = "words that are nowhere in the readings"
    lost["target"]["selector"][1] |= {"start": 10**6, "end": 10**6 + 5}
    document["first"]["items"].append(lost)
    return SimpleUploadedFile("mine.jsonld", json.dumps(document).encode(), "application/json")


def test_a_student_imports_into_a_new_set_of_their_own_and_sees_the_orphans(world) -> None:
    response = _client(world.student).post(
        _url("set_import", world), {"file": _w3c_file(world), "format": "auto", "title": "Back"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    new = AnnotationSet.objects.get(title="Back")
    assert new.owner == world.student and new.tags.count() == 1
    assert "1 orphan" in page and "not found" in page
    assert "words that are nowhere in the readings" in page


def test_import_with_htmx_answers_with_the_result_fragment(world, htmx_headers) -> None:
    response = _client(world.student).post(
        _url("set_import", world), {"file": _w3c_file(world), "format": "w3c"}, headers=htmx_headers
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="interchange-result"')
    assert "<h1>" not in page and "Imported 1 tag" in page


def test_a_bad_file_is_explained_and_nothing_is_stored(world, htmx_headers) -> None:
    sets = AnnotationSet.objects.count()
    upload = SimpleUploadedFile("x.json", b"{oops", "application/json")
    response = _client(world.student).post(
        _url("set_import", world), {"file": upload, "format": "auto"}, headers=htmx_headers
    )
    assert "Nothing was imported" in response.content.decode()
    assert "malformed" in response.content.decode()
    assert AnnotationSet.objects.count() == sets
    response = _client(world.student).post(_url("set_import", world), {"format": "auto"})
    assert "This field is required" in response.content.decode()


def test_only_instructors_import_codebooks_and_back_up(world) -> None:
    student = _client(world.student)
    assert student.post(_url("codebook_import", world)).status_code == 403
    assert student.post(_url("seminar_backup", world)).status_code == 403
    assert student.post(_url("seminar_restore", world)).status_code == 403


def test_an_instructor_imports_a_codebook(world) -> None:
    qdc = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="20000000-0000-0000-0000-000000000001" name="Trade" isCodable="true"/>
<Code guid="20000000-0000-0000-0000-000000000002" name="Legitimacy" isCodable="true"
 color="#1f5f8b">
<Description>Who may rule.</Description></Code></Codes></CodeBook>"""
    response = _client(world.instructor).post(
        _url("codebook_import", world), {"codebook-file": SimpleUploadedFile("c.qdc", qdc)}
    )
    page = response.content.decode()
    assert "New themes (1): Legitimacy" in page and "Already in the codebook (1): Trade" in page
    assert (
        Theme.objects.get(seminar=world.seminar, name="Legitimacy").description == "Who may rule."
    )


def test_an_instructor_backs_up_and_restores_as_a_new_seminar(world) -> None:
    client = _client(world.instructor)
    backup = job_download(client, client.post(_url("seminar_backup", world)))
    assert backup.status_code == 200 and "attachment" in backup["Content-Disposition"]
    response = finish_job(
        client,
        client.post(
            _url("seminar_restore", world),
            {"restore-file": SimpleUploadedFile("b.json", backup.content)},
        ),
    )
    assert "Backup restored" in response.content.decode()
    copy = Seminar.objects.exclude(pk=world.seminar.pk).get()
    assert copy.title == world.seminar.title
    assert Tag.objects.filter(annotation_set__seminar=copy).count() == 2
