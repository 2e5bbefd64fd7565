from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from jobs.models import Job
from readings.models import Document, Passage, PendingImport
from tests.jobs.worker import finish_job
from tests.readings.importing.builders import (
    blank_pdf,
    cell_access_tables,
    encrypted_pdf,
    note_reference,
    text_pdf,
    with_notes,
    word_document,
)
from tests.readings.importing.scans import (
    FIRST,
    encoded,
    many_frames_tiff,
    page_image,
    png_header,
)
from tests.readings.preview import save_preview

pytestmark = pytest.mark.django_db

ESSAY = """Patience is underrated in diplomacy. It lets partners learn.

THE CASE AGAINST HASTE

Haste has costs. It breeds mistakes that last.
"""


def _preview(client: Client, *, htmx: bool = False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/documents/import/", data, headers=headers)


def test_import_page_offers_upload_and_paste(instructor_client: Client) -> None:
    body = instructor_client.get("/documents/import/").content.decode()
    assert 'type="file"' in body
    assert 'name="pasted"' in body
    assert "Preview passages" in body


def test_visitor_cannot_open_the_import_page(client: Client) -> None:
    assert client.get("/documents/import/").status_code == 302
    assert client.post(f"/documents/import/{'k' * 43}/save/", {"title": "T"}).status_code == 302
    assert Document.objects.count() == 0


@pytest.mark.parametrize("htmx", [False, True])
def test_pasted_text_is_previewed_with_kinds_before_anything_is_saved(
    instructor_client: Client, htmx: bool
) -> None:
    response = _preview(instructor_client, htmx=htmx, pasted=ESSAY, title="Patience")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Check the passages" in body if not htmx else "<html" not in body
    assert "Heading" in body and "Paragraph" in body
    assert "Patience is underrated in diplomacy." in body
    assert 'value="Patience"' in body
    assert Document.objects.count() == 0


def test_saving_the_preview_stores_the_document_and_its_passages(
    instructor, instructor_client: Client
) -> None:
    preview = _preview(instructor_client, pasted=ESSAY)
    response = save_preview(
        instructor_client, preview, title="Patience", authors="Ann Author; Ben Writer"
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    assert document.owner == instructor
    assert document.authors == ["Ann Author", "Ben Writer"]
    assert document.original_format == "pasted"
    kinds = list(document.passages.values_list("kind", flat=True))
    assert kinds == [Passage.Kind.PARAGRAPH, Passage.Kind.HEADING, Passage.Kind.PARAGRAPH]
    for passage in document.passages.all():
        assert document.text[passage.start : passage.end] == passage.text
    followed = instructor_client.get(response["Location"])
    assert "was imported with 3 passages" in followed.content.decode()


def test_saving_without_a_title_keeps_the_preview_and_stores_nothing(
    instructor_client: Client,
) -> None:
    response = save_preview(
        instructor_client, _preview(instructor_client, pasted=ESSAY), title="  "
    )
    assert response.status_code == 200
    assert "Give the reading a title" in response.content.decode()
    assert "Patience is underrated" in response.content.decode()
    assert Document.objects.count() == 0


def test_uploaded_file_is_read_and_previewed(instructor_client: Client) -> None:
    upload = SimpleUploadedFile("patience.md", ESSAY.encode(), content_type="text/markdown")
    response = _preview(instructor_client, file=upload)
    assert response.status_code == 200
    assert "Patience is underrated in diplomacy." in response.content.decode()
    assert PendingImport.objects.get().original_format == "md"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (200 * 1024 * 1024))
    return buffer.getvalue()


def _half_a_scan() -> bytes:
    data = encoded(page_image([FIRST]))
    return data[: len(data) // 2]


BAD_UPLOADS = [
    pytest.param("empty.txt", b"", "empty", id="empty"),
    pytest.param("blank.txt", b"   \n\n\t  \n", "only whitespace", id="whitespace-only"),
    pytest.param("slides.pptx", b"PK\x03\x04junk", "cannot be imported", id="unsupported-type"),
    pytest.param("notes.txt", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "PDF", id="wrong-extension"),
    pytest.param("noise.txt", bytes(range(256)) * 40, "text", id="binary-garbage"),
    pytest.param("broken.pdf", b"%PDF-1.4\nthis is not a pdf body", "PDF", id="malformed-pdf"),
    pytest.param("fake.docx", b"just some words, not a zip", "Word", id="docx-not-a-zip"),
    pytest.param("bomb.docx", None, "zip bomb", id="docx-zip-bomb"),
    pytest.param(
        "locked.pdf",
        encrypted_pdf(text_pdf([["A secret paragraph."]]), user_password="pw"),
        "encrypted",
        id="encrypted-pdf",
    ),
    pytest.param("scan.pdf", blank_pdf(), "scanned", id="scanned-pdf"),
    # Scans (issue 22): refused before OCR, with what to do.
    pytest.param("bomb.png", png_header(100_000, 100_000), "decompression bomb", id="png-bomb"),
    pytest.param("poster.png", png_header(10_000, 8_000), "60 megapixels", id="png-too-large"),
    pytest.param("book.tiff", many_frames_tiff(10_000), "300 pages", id="tiff-10000-pages"),
    pytest.param("half.png", _half_a_scan(), "it ends before", id="png-truncated"),
    pytest.param("scan.jpg", b"\xff\xd8\xff" + b"\x00" * 64, "not an image", id="jpeg-garbage"),
    pytest.param("blank.png", encoded(page_image([])), "no text", id="blank-image"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_UPLOADS)
def test_bad_upload_gets_a_clear_message_and_stores_nothing(
    instructor_client: Client, name: str, data: bytes | None, message: str
) -> None:
    upload = SimpleUploadedFile(name, _zip_bomb() if data is None else data)
    response = _preview(instructor_client, file=upload)
    if name.endswith((".png", ".jpg", ".tiff")):
        # An image is read by OCR in a worker (issue 22): the request answers at once with the
        # job's page, and the job ends failed with the message.
        body = finish_job(instructor_client, response).content.decode()
        assert Job.objects.get().state == Job.State.FAILED
        assert "failed" in body.lower()
    else:
        body = response.content.decode()
        assert response.status_code == 200
        assert 'class="field-error"' in body or 'class="form-errors"' in body
    assert message.lower() in body.lower()
    assert Document.objects.count() == 0
    assert Passage.objects.count() == 0


@override_settings(COUNTERPOINT_MAX_UPLOAD_BYTES=1024)
def test_file_over_the_size_limit_is_refused_with_the_limit(instructor_client: Client) -> None:
    upload = SimpleUploadedFile("long.txt", b"Words and more words. " * 200)
    response = _preview(instructor_client, file=upload)
    assert response.status_code == 200
    assert "limit" in response.content.decode()
    assert Document.objects.count() == 0


def test_word_document_keeps_its_headings_and_title(instructor_client: Client) -> None:
    def build(document) -> None:
        document.core_properties.title = "Trade Ties"
        document.add_paragraph("Trade binds partners. It also creates leverage.")
        document.add_heading("Energy", level=1)
        document.add_paragraph("Energy sales finance the war. Buyers know it.")

    upload = SimpleUploadedFile("trade.docx", word_document(build))
    body = _preview(instructor_client, file=upload).content.decode()
    assert 'value="Trade Ties"' in body
    assert "1 heading" in body and "2 paragraphs" in body


def test_text_pdf_is_read_into_paragraphs(instructor_client: Client) -> None:
    pdf = text_pdf([["Sanctions bite slowly.", "Their effect shows over years."]], title="Slow")
    body = _preview(instructor_client, file=SimpleUploadedFile("slow.pdf", pdf)).content.decode()
    assert "Sanctions bite slowly." in body
    assert 'value="Slow"' in body


def test_html_scripts_never_reach_the_preview_or_the_database(
    instructor_client: Client,
) -> None:
    html = (
        b"<html><head><title>Hostile</title><script>alert('x')</script></head>"
        b'<body><h1>Plain heading</h1><p onclick="steal()">A fair paragraph.</p>'
        b"<style>p{}</style><img src=x onerror=alert(1)></body></html>"
    )
    response = _preview(instructor_client, file=SimpleUploadedFile("page.html", html))
    body = response.content.decode()
    assert response.status_code == 200
    assert "A fair paragraph." in body
    assert "alert(" not in body and "steal()" not in body
    assert "Removed" in body  # the warning says what was taken out
    assert Document.objects.count() == 0


def test_choosing_both_a_file_and_pasted_text_is_refused(instructor_client: Client) -> None:
    upload = SimpleUploadedFile("a.txt", b"Some text.")
    response = _preview(instructor_client, file=upload, pasted="Other text.")
    assert response.status_code == 200
    assert "not both" in response.content.decode()


def test_htmx_error_response_is_only_the_form_fragment(instructor_client: Client) -> None:
    response = _preview(instructor_client, htmx=True, pasted="   ")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="import-step"' in body
    assert "only whitespace" in body


def test_pdf_with_nul_characters_previews_and_saves(instructor_client: Client) -> None:
    # A real thesis PDF had U+0000 in its text layer and its title: the preview showed it, the
    # save refused it in a hidden field whose error no one saw.
    pdf = text_pdf(
        [["A thesis\x00 with a NUL in its text layer.", "It goes on."], ["A second page."]],
        title="Thesis\x00 title",
    )
    preview = _preview(instructor_client, file=SimpleUploadedFile("thesis.pdf", pdf))
    assert preview.status_code == 200
    assert "A thesis with a NUL in its text layer." in preview.content.decode()
    response = save_preview(instructor_client, preview)
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert document.title == "Thesis title"
    assert "\x00" not in document.text
    assert document.passages.all()[0].text.startswith("A thesis with a NUL")


@pytest.mark.parametrize(
    ("name", "data", "passages"),
    [
        pytest.param("twelve.txt", b"12", ["12"], id="12"),
        pytest.param("numbers.txt", b"1\n\n2\n\n3", ["1", "2", "3"], id="1-2-3"),
    ],
)
def test_a_text_of_bare_numbers_previews_and_saves(
    instructor_client: Client, name: str, data: bytes, passages: list[str]
) -> None:
    # Bare numbers read as page numbers and were all dropped: the preview showed no passage
    # and the save failed with an IntegrityError (a document's text may not be empty).
    preview = _preview(instructor_client, file=SimpleUploadedFile(name, data))
    assert preview.status_code == 200
    assert f"{len(passages)} passage" in preview.content.decode()
    response = save_preview(instructor_client, preview, title="Figures")
    assert response.status_code == 302
    document = Document.objects.get()
    assert list(document.passages.values_list("text", flat=True)) == passages


def test_word_tables_of_numbers_preview_and_save_as_previewed(instructor_client: Client) -> None:
    # python-docx's sample tbl-cell-access.docx: four tables of the numbers 1 to 9, merged
    # three ways. Whatever the preview shows is what is saved.
    upload = SimpleUploadedFile("tbl-cell-access.docx", word_document(cell_access_tables))
    preview = _preview(instructor_client, file=upload)
    body = preview.content.decode()
    assert preview.status_code == 200
    shown = re.findall(r'<span class="badge">([^<]+)</span>', body)
    assert shown
    response = save_preview(instructor_client, preview, title="Cell access")
    assert response.status_code == 302
    document = Document.objects.get()
    assert list(document.passages.values_list("label", flat=True)) == shown
    assert document.passages.filter(text="1 · 2 · 3").exists()


def test_a_text_that_splits_into_no_passage_says_why(instructor_client: Client) -> None:
    response = _preview(instructor_client, pasted="---\n\n* * *\n\n#\n")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="form-errors"' in body or 'class="field-error"' in body
    assert "no passage" in body
    assert 'class="preview-form' not in body
    assert Document.objects.count() == 0


PARAGRAPHS = "\n\n".join(f"Paragraph {n}." for n in range(20_001))


def test_a_text_past_the_passage_limit_is_refused_with_a_message(
    instructor_client: Client,
) -> None:
    """The limit of readings.importing.limits: a message, not a preview of 20,001 passages,
    and nothing kept to be saved."""
    limit = (
        "The text has more than 20,000 paragraphs, more than one reading can hold and still be "
        "read and compared. Split it into several readings (a chapter each, say) and upload "
        "them one by one."
    )
    preview = _preview(instructor_client, pasted=PARAGRAPHS)
    assert preview.status_code == 200
    assert limit in preview.content.decode()
    assert "Check the passages" not in preview.content.decode()
    assert PendingImport.objects.count() == 0
    assert Document.objects.count() == 0


def test_a_long_preview_shows_its_first_300_passages_and_says_so(
    instructor_client: Client,
) -> None:
    text = "\n\n".join(f"Paragraph {n} says something." for n in range(400))
    body = _preview(instructor_client, pasted=text).content.decode()
    assert "400 passages" in body
    assert body.count('<li class="kind-') == 300
    assert "The first 300 are shown; all 400 are saved" in body


def test_reading_and_splitting_share_one_deadline(instructor_client: Client, monkeypatch) -> None:
    """The budget the view makes for reading the file is the one the splitter checks."""
    from readings.importing import read_document, split_text

    reads, splits = [], []

    def reading(**kwargs):
        reads.append(kwargs["budget"])
        return read_document(**kwargs)

    def splitting(text, budget=None, **kwargs):
        splits.append(budget)
        return split_text(text, budget, **kwargs)

    monkeypatch.setattr("readings.views.documents.read_document", reading)
    monkeypatch.setattr("readings.views.documents.split_text", splitting)
    assert _preview(instructor_client, pasted=ESSAY).status_code == 200
    assert splits == reads and splits[0].limits.seconds == 3.0


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_word_files_footnotes_show_under_their_passage_and_are_saved_as_notes(
    instructor_client: Client, htmx: bool
) -> None:
    def build(document) -> None:
        paragraph = document.add_paragraph("The pact was signed in haste, as Ames argued.")
        note_reference(paragraph, 1)
        document.add_paragraph("Nobody read it twice before it was signed.")

    data = with_notes(word_document(build), {1: "Ames, The Haste of Treaties, p. 4."})
    preview = _preview(instructor_client, htmx=htmx, file=SimpleUploadedFile("pact.docx", data))
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "1 note, shown under the passage that calls each" in body
    first = re.search(r'<li class="kind-paragraph">.*?</li>\s*</ol>\s*</li>', body, re.S)
    assert first and "The pact was signed in haste, as Ames argued." in first.group(0)
    assert '<span class="note-number">Note 1</span> Ames, The Haste of Treaties, p. 4.' in (
        first.group(0)
    )
    response = save_preview(instructor_client, preview, title="The Pact")
    assert response.status_code == 302
    document = Document.objects.get()
    assert "Ames, The Haste" not in document.text
    note = document.notes.get()
    assert (note.number, note.text, note.passage.text) == (
        1,
        "Ames, The Haste of Treaties, p. 4.",
        "The pact was signed in haste, as Ames argued.",
    )
    assert document.passages.count() == 2
