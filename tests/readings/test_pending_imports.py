"""The import's preview keeps the text on the server, under a key only its owner can save,
for a day: the save form posts the key and the metadata, never the text back (issue 19)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from readings.models import Document, PendingImport
from readings.services import PENDING_IMPORTS_PER_PERSON
from tests.clients import HTMX, client_for
from tests.factories import UserFactory
from tests.readings.preview import preview_form, save_preview

pytestmark = pytest.mark.django_db

ESSAY = "Patience is underrated in diplomacy. It lets partners learn.\n\nHaste has costs.\n"


def _preview(client: Client, text: str = ESSAY, name: str = "essay.txt", **data):
    upload = SimpleUploadedFile(name, text.encode())
    response = client.post("/documents/import/", {"file": upload, **data})
    assert response.status_code == 200
    return response


def test_the_preview_keeps_the_text_on_the_server_under_a_key(
    instructor, instructor_client: Client
) -> None:
    preview = _preview(instructor_client)
    action, fields = preview_form(preview.content.decode())
    pending = PendingImport.objects.get()
    assert (pending.owner, pending.original_format) == (instructor, "txt")
    assert pending.original_filename == "essay.txt"
    assert pending.text.startswith("Patience is underrated")
    assert action == f"/documents/import/{pending.key}/save/"
    assert len(pending.key) >= 40  # 32 random bytes, URL-safe
    # Only the metadata a person may change travels: not the text, format or file name.
    assert set(fields) == {
        "title",
        "subtitle",
        "authors",
        "publication",
        "published",
        "language",
        "source_note",
    }
    assert not Document.objects.exists()


def test_saving_stores_the_document_and_forgets_the_preview(
    instructor, instructor_client: Client
) -> None:
    preview = _preview(instructor_client)
    response = save_preview(instructor_client, preview, title="Patience", authors="Ann; Ben")
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    assert (document.owner, document.original_filename) == (instructor, "essay.txt")
    assert document.authors == ["Ann", "Ben"]
    assert document.passages.count() == 2
    assert not PendingImport.objects.exists()
    # The same form sent twice (a double click) stores one document.
    again = save_preview(instructor_client, preview, title="Patience")
    assert again.status_code == 404
    assert Document.objects.count() == 1


@override_settings(COUNTERPOINT_MAX_UPLOAD_BYTES=400_000, DATA_UPLOAD_MAX_MEMORY_SIZE=100_000)
def test_a_text_larger_than_a_form_may_post_saves(instructor_client: Client) -> None:
    # As a 4.5 MB text did against the real limits: posting its text back (escaped and
    # form-encoded, several times its size) was refused with RequestDataTooBig, a 400.
    paragraph = "Терпение недооценено в дипломатии, оно помогает партнёрам учиться. " * 20
    text = "\n\n".join([paragraph] * 80)
    assert len(text.encode()) > 150_000
    preview = _preview(instructor_client, text=text, name="long.txt")
    response = save_preview(instructor_client, preview, title="Long")
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.passages.count() == 80


def test_another_person_with_the_key_gets_404(instructor_client: Client) -> None:
    preview = _preview(instructor_client)
    action, fields = preview_form(preview.content.decode())
    other = client_for(UserFactory(username="mallory"))
    response = other.post(action, {**fields, "title": "Stolen"})
    assert response.status_code == 404
    assert "No such preview" in response.content.decode()
    assert PendingImport.objects.count() == 1
    assert not Document.objects.exists()


def test_an_expired_preview_is_not_found_and_is_cleared(instructor_client: Client) -> None:
    preview = _preview(instructor_client)
    PendingImport.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    response = save_preview(instructor_client, preview, title="Late")
    assert response.status_code == 404
    assert "expired" in response.content.decode()
    assert not Document.objects.exists()
    _preview(instructor_client)  # any new preview clears the expired ones
    assert (
        PendingImport.objects.filter(
            created_at__gt=timezone.now() - datetime.timedelta(hours=1)
        ).count()
        == PendingImport.objects.count()
        == 1
    )


def test_the_command_clears_expired_previews(instructor_client: Client) -> None:
    _preview(instructor_client)
    _preview(instructor_client)
    PendingImport.objects.filter(pk=PendingImport.objects.earliest("pk").pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    out = StringIO()
    call_command("clear_pending_imports", stdout=out)
    assert "Removed 1 expired import preview." in out.getvalue()
    assert PendingImport.objects.count() == 1


def test_each_person_keeps_only_their_latest_previews(instructor_client: Client) -> None:
    other = client_for(UserFactory(username="oscar"))
    _preview(other)
    for n in range(PENDING_IMPORTS_PER_PERSON + 2):
        _preview(instructor_client, text=f"Reading number {n}.\n")
    mine = PendingImport.objects.exclude(owner__username="oscar").order_by("pk")
    assert mine.count() == PENDING_IMPORTS_PER_PERSON
    assert mine.reverse()[0].text == f"Reading number {PENDING_IMPORTS_PER_PERSON + 1}.\n"
    assert PendingImport.objects.filter(owner__username="oscar").count() == 1


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_saving_without_a_title_keeps_the_preview(instructor_client: Client, htmx: bool) -> None:
    preview = _preview(instructor_client)
    action, fields = preview_form(preview.content.decode())
    response = instructor_client.post(
        action, {**fields, "title": "  "}, headers=HTMX if htmx else {}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Give the reading a title" in body
    assert "Patience is underrated" in body  # the passages are shown again
    assert ("<html" in body) is not htmx
    assert preview_form(body)[0] == action  # and the same preview can still be saved
    assert PendingImport.objects.count() == 1
    assert not Document.objects.exists()
