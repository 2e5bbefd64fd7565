"""Scanned readings in the import views (issue 22): the preview marks passages OCR read with
low confidence, the saved document records the engine, and its page says so to every member."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jobs.models import Job
from readings.importing.readers.ocr.engine import engine
from readings.models import Document, Membership, PendingImport
from tests.factories import MembershipFactory, UserFactory, seminar_world
from tests.jobs.worker import run_queued_jobs
from tests.readings.importing.scans import FIRST, SECOND, encoded, page_image, scanned_pdf
from tests.readings.preview import save_preview

pytestmark = pytest.mark.django_db

MARK = "Check this passage: read by OCR with low confidence"


def _upload(client: Client, name: str, data: bytes, *, htmx: bool = False):
    """Upload a scan, let a worker read it (no request runs OCR: issue 22), and open the
    preview its job's page leads to, as that page does."""
    headers = {"HX-Request": "true"} if htmx else {}
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    started = client.post("/documents/import/", {"file": upload}, headers=headers)
    job = Job.objects.get()
    if htmx:
        assert started.status_code == 200 and started["HX-Redirect"] == job.get_absolute_url()
    else:
        assert started.status_code == 303 and started["Location"] == job.get_absolute_url()
    assert job.state == Job.State.QUEUED and PendingImport.objects.count() == 0
    assert run_queued_jobs() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.opens_next, job.error
    return client.get(job.next_url, headers=headers)


def _noisy_scan() -> bytes:
    # Specks over the second paragraph: Tesseract is unsure of its words (tests/readings/
    # importing/test_ocr.py shows the same page's confidences).
    return encoded(page_image([FIRST, SECOND], noise=0.04, noisy=1, seed=1))


@pytest.mark.parametrize("htmx", [False, True])
def test_the_preview_marks_the_passage_read_with_low_confidence(
    instructor_client: Client, htmx: bool
) -> None:
    response = _upload(instructor_client, "scan.png", _noisy_scan(), htmx=htmx)
    body = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in body) is not htmx
    assert body.count(MARK) == 1
    marked = body.split(MARK)[0].rsplit("<li", 1)[1] + body.split(MARK)[1].split("</li>")[0]
    assert "ocr-uncertain" in marked and "library" not in marked and "instructor" in marked
    assert "1 passage was read by OCR with low confidence and is marked" in body
    assert Document.objects.count() == 0


def test_a_clean_scan_previews_without_marks_and_says_it_was_read_by_ocr(
    instructor_client: Client,
) -> None:
    response = _upload(instructor_client, "scan.pdf", scanned_pdf([page_image([FIRST, SECOND])]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Seminar readings are very often scans of a chapter" in body
    assert "Page 1 has no text layer and was read by OCR" in body
    assert MARK not in body
    assert PendingImport.objects.get().ocr_engine == engine()


def test_the_marks_stay_when_the_preview_comes_back_with_an_error(
    instructor_client: Client,
) -> None:
    preview = _upload(instructor_client, "scan.png", _noisy_scan())
    response = save_preview(instructor_client, preview, title="  ")
    assert response.status_code == 200
    assert "Give the reading a title" in response.content.decode()
    assert response.content.decode().count(MARK) == 1
    assert Document.objects.count() == 0


def test_a_saved_scan_records_its_ocr_engine_and_its_page_shows_it(
    instructor_client: Client,
) -> None:
    preview = _upload(instructor_client, "scan.png", encoded(page_image([FIRST, SECOND])))
    response = save_preview(instructor_client, preview, title="A scanned chapter")
    document = Document.objects.get()
    assert response.status_code == 302
    assert document.ocr_engine == engine() and document.original_format == "image"
    page = instructor_client.get(document.get_absolute_url()).content.decode()
    assert f"Read from a scan by OCR with {engine()}:" in page
    assert "Seminar readings are very often scans" in page


def test_a_reading_with_a_text_layer_says_nothing_of_ocr(instructor_client: Client) -> None:
    upload = SimpleUploadedFile("essay.txt", b"A typed essay, not a scan.")
    preview = instructor_client.post("/documents/import/", {"file": upload})
    save_preview(instructor_client, preview, title="Typed")
    document = Document.objects.get()
    page = instructor_client.get(document.get_absolute_url()).content.decode()
    assert document.ocr_engine == "" and "A typed essay" in page
    assert "Read from a scan by OCR" not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("instructor", 200),
        ("assistant", 200),
        ("student", 200),
        ("other_student", 200),
        ("outsider", 404),
    ],
)
def test_the_ocr_record_shows_to_the_seminars_members_only(who: str, status: int) -> None:
    world = seminar_world()
    assistant = UserFactory(username="ada")
    MembershipFactory(seminar=world.seminar, user=assistant, role=Membership.Role.ASSISTANT)
    document = world.documents[0]
    document.ocr_engine = "Tesseract 5.5.4 (eng)"
    document.save()
    client = Client()
    client.force_login(assistant if who == "assistant" else getattr(world, who))
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(document.get_absolute_url(), headers=headers)
        assert response.status_code == status
        body = response.content.decode()
        if status == 200:
            assert "Read from a scan by OCR with Tesseract 5.5.4 (eng):" in body
        else:
            assert "Tesseract" not in body and "First Reading" not in body
