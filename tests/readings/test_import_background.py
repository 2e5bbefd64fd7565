"""A large import is read by a worker (issue 22): the upload answers at once with the job's
page, which then opens the preview; the preview saves as any other."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jobs.models import Job
from readings.importing.heavy import BACKGROUND_BYTES, needs_background
from readings.models import Document, PendingImport
from tests.jobs.worker import finish_job
from tests.readings.preview import save_preview

pytestmark = pytest.mark.django_db

ESSAY = (
    "---\ntitle: On Patience\nauthor: Ada Example\n---\n\n"
    "Patience is underrated in diplomacy. It lets partners learn.\n\n"
    "## The case against haste\n\nHaste has costs. It breeds mistakes that last.\n"
)


@pytest.fixture
def small_threshold(monkeypatch) -> None:
    monkeypatch.setattr("readings.importing.heavy.BACKGROUND_BYTES", 10)


def _upload(client: Client, data: bytes, name: str = "essay.md", **extra):
    return client.post("/documents/import/", {"file": SimpleUploadedFile(name, data), **extra})


def test_only_files_past_the_threshold_go_to_a_worker() -> None:
    assert needs_background("book.txt", b"x" * (BACKGROUND_BYTES + 1))
    assert not needs_background("essay.txt", b"x" * BACKGROUND_BYTES)


def test_a_large_file_answers_at_once_then_opens_its_preview(
    instructor_client: Client, small_threshold
) -> None:
    started = _upload(instructor_client, ESSAY.encode(), publication="The Review")
    assert started.status_code == 303
    assert not PendingImport.objects.exists()  # not read yet when the answer came
    job = Job.objects.get()
    assert job.title == "Import of essay.md" and job.state == Job.State.QUEUED

    page = finish_job(instructor_client, started).content.decode()
    assert "essay.md is read: 3 passages" in page
    preview_url = re.search(r'href="(/documents/import/[^"]+)">Open the preview', page)
    assert preview_url
    preview = instructor_client.get(preview_url.group(1).replace("&amp;", "&"))
    body = preview.content.decode()
    assert preview.status_code == 200
    assert 'value="On Patience"' in body and 'value="Ada Example"' in body
    assert 'value="The Review"' in body  # what was typed on the upload form
    assert "Patience is underrated in diplomacy." in body

    saved = save_preview(instructor_client, preview)
    assert saved.status_code == 302
    document = Document.objects.get()
    assert document.title == "On Patience" and document.publication == "The Review"
    assert document.passages.count() == 3


def test_the_preview_with_htmx_is_the_import_step_only(
    instructor_client: Client, small_threshold, htmx_headers
) -> None:
    started = instructor_client.post(
        "/documents/import/",
        {"file": SimpleUploadedFile("essay.md", ESSAY.encode())},
        headers=htmx_headers,
    )
    assert started.status_code == 200 and started["HX-Redirect"].startswith("/jobs/")
    Job.objects.update()  # nothing else to do: the redirect is the answer
    finish_job(instructor_client, _upload(instructor_client, ESSAY.encode()))
    pending = PendingImport.objects.order_by("created_at").last()
    assert pending is not None
    fragment = instructor_client.get(f"/documents/import/{pending.key}/", headers=htmx_headers)
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert "Patience is underrated" in fragment.content.decode()


def test_someone_elses_preview_is_not_found(
    instructor_client: Client, outsider_client: Client, small_threshold
) -> None:
    finish_job(instructor_client, _upload(instructor_client, ESSAY.encode()))
    key = PendingImport.objects.get().key
    job = Job.objects.get()
    response = outsider_client.get(f"/documents/import/{key}/?job={job.pk}")
    assert response.status_code == 404
    assert "No such preview" in response.content.decode()
    assert "Patience" not in response.content.decode()


def test_a_large_file_with_nothing_to_cite_fails_with_words(
    instructor_client: Client, small_threshold
) -> None:
    page = finish_job(instructor_client, _upload(instructor_client, b"---\n\n---\n" * 3, "x.txt"))
    assert "The text holds no passage to import" in page.content.decode()
    assert Job.objects.get().state == Job.State.FAILED
    assert not PendingImport.objects.exists() and not Document.objects.exists()


def test_a_large_file_of_the_wrong_kind_fails_with_the_readers_words(
    instructor_client: Client, small_threshold
) -> None:
    page = finish_job(
        instructor_client, _upload(instructor_client, b"%PDF-1.7 not really", "essay.txt")
    )
    assert Job.objects.get().state == Job.State.FAILED
    assert 'role="alert"' in page.content.decode()
    assert not PendingImport.objects.exists()


def test_the_page_watching_the_import_opens_the_preview_when_it_is_ready(
    instructor_client: Client, small_threshold, htmx_headers
) -> None:
    started = _upload(instructor_client, ESSAY.encode())
    watching = instructor_client.get(started["Location"], headers=htmx_headers)
    assert watching.status_code == 200 and "Waiting for a worker" in watching.content.decode()

    finish_job(instructor_client, started)
    poll = instructor_client.get(started["Location"], headers=htmx_headers)

    pending = PendingImport.objects.get()
    job = Job.objects.get()
    assert poll.status_code == 200
    assert poll["HX-Redirect"] == f"/documents/import/{pending.key}/?job={job.pk}"


def test_the_preview_with_a_job_that_is_not_its_owners_shows_no_metadata(
    instructor_client: Client, outsider_client: Client, small_threshold
) -> None:
    finish_job(instructor_client, _upload(instructor_client, ESSAY.encode()))
    key = PendingImport.objects.get().key
    finish_job(outsider_client, _upload(outsider_client, ESSAY.encode()))
    others = Job.objects.get(owner__username="oscar")
    for job in ("not-a-job", str(others.pk)):
        page = instructor_client.get(f"/documents/import/{key}/?job={job}")
        body = page.content.decode()
        assert page.status_code == 200 and "Patience is underrated" in body
        assert 'value="On Patience"' not in body  # the other job's metadata never comes in
