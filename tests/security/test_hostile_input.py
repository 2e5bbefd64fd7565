"""Hostile text in every field a person can fill in renders as text on every page and in
every export.

One seminar is built through the web forms, as an instructor would build it, with a payload in
each field: a script element, an event handler, a javascript: link, a spreadsheet formula at the
start, and Unicode that reorders or hides text (right-to-left override, zero-width space). Each
payload carries the name of its field, so a page that shows a field is checked for that field's
payload, escaped. NUL and lone surrogates, which cannot be stored as text, are removed
(tests/security/test_control_characters.py) instead of causing an error page.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any, cast

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from annotations.models import AnnotationSet, Tag, Theme
from annotations.palette import PALETTE
from readings.models import Document, Seminar
from tests.factories import UserFactory
from tests.readings.importing.builders import text_pdf, word_document
from tests.readings.preview import preview_form, save_preview
from tests.security.markup import active_markup

pytestmark = pytest.mark.django_db

RTL, ZWSP = "\u202e", "\u200b"
FORMULA_STARTS = ("=", "+", "-", "@")


def hostile(field: str, *, lead: str = "=") -> str:
    """A payload naming its field: `lead` starts it, as a spreadsheet formula would."""
    return (
        f'{lead}HYPERLINK("http://evil.example/{field}")<script>alert("{field}")</script>'
        f'<img src=x onerror=alert("{field}")><a href="javascript:alert(1)">{field}</a>'
        f"{RTL}txt.exe{ZWSP}"
    )


def short_hostile(field: str, *, lead: str = "+") -> str:
    """For fields of 80 characters: a theme's name."""
    return f'{lead}1<script>alert("{field}")</script>{RTL}{ZWSP}'


def escaped(field: str) -> str:
    """How the script of `field`'s payload reads once escaped for HTML."""
    return escape(f'<script>alert("{field}")</script>')


# The username is the tag author in exports; Django allows it to start like a formula.
INSTRUCTOR = "-2+3"
PASTED = (
    hostile("pasted1", lead="@")
    + "\n\n"
    + hostile("pasted2", lead="-")
    + " It goes on for a while, as paragraphs do.\n\n"
    + "An ordinary third paragraph, so the reading has some calm in it.\n"
)


@dataclass
class HostileSeminar:
    client: Client
    seminar: Seminar
    key: AnnotationSet
    themes: list[Theme]
    documents: list[Document]

    def url(self, name: str, *args) -> str:
        return reverse(name, args=[self.seminar.pk, *args])


def _ok(response, status: int = 302):
    assert response.status_code == status, (response.status_code, response.content[:2000])
    return response


def _import(client: Client, seminar: int, *, metadata: dict, **source) -> Document:
    """Both steps of the import page: preview (checked for the metadata), then save."""
    preview = _ok(
        client.post("/documents/import/", {**metadata, "seminar": seminar, **source}), 200
    )
    assert not active_markup(preview.content.decode()).found
    _, fields = preview_form(preview.content.decode())
    assert fields["title"], "the preview lacks its title"
    changes = {
        key: metadata[key] for key in ("subtitle", "publication", "source_note") if key in metadata
    }
    _ok(save_preview(client, preview, language="en", **changes))
    return Document.objects.latest("pk")


@pytest.fixture
def world() -> HostileSeminar:
    instructor = UserFactory(username=INSTRUCTOR)
    client = Client()
    client.force_login(instructor)
    _ok(
        client.post(
            "/seminars/new/",
            {
                "title": hostile("seminar-title"),
                "term": "<b>term</b>",
                "description": hostile("seminar-description"),
            },
        )
    )
    seminar = Seminar.objects.get()
    pasted = _import(
        client,
        seminar.pk,
        pasted=PASTED,
        metadata={
            "title": hostile("doc-title"),
            "authors": hostile("doc-author", lead="+"),
            "publication": hostile("doc-publication"),
            "source_note": "javascript:alert(document.cookie)",
        },
    )
    html = (
        "<html><head><title>" + escape(hostile("html-title")) + "</title>"
        '<meta name="author" content="' + escape(hostile("html-author")) + '"></head><body>'
        "<p>An HTML reading with an <b onclick=alert(1)>inline handler</b> and "
        '<a href="javascript:alert(2)">a javascript link</a>.</p>'
        "<script>alert('html-body')</script><p>A second paragraph of the HTML reading.</p>"
        "</body></html>"
    )
    uploaded = _import(
        client,
        seminar.pk,
        file=SimpleUploadedFile("hostile.html", html.encode(), content_type="text/html"),
        metadata={},
    )
    themes = []
    for n, lead in enumerate(FORMULA_STARTS):
        _ok(
            client.post(
                reverse("annotations:theme_list", args=[seminar.pk]),
                {
                    "name": short_hostile(f"theme{n}", lead=lead),
                    "guiding_question": hostile(f"question{n}"),
                    "description": hostile(f"theme-description{n}"),
                    "colour": PALETTE[n][0],
                },
            )
        )
    themes = list(Theme.objects.filter(seminar=seminar).order_by("position"))
    assert len(themes) == 4
    _ok(
        client.post(
            reverse("annotations:set_create", args=[seminar.pk]),
            {"title": hostile("set-title"), "kind": "key", "visibility": "seminar"},
        )
    )
    key = AnnotationSet.objects.get(seminar=seminar)
    for document in (pasted, uploaded):
        for passage, theme, lead in zip(
            document.passages.filter(kind="paragraph")[:2], themes, FORMULA_STARTS, strict=False
        ):
            url = reverse("annotations:tag_add", args=[seminar.pk, key.pk, passage.pk])
            _ok(
                client.post(
                    url,
                    {"theme": theme.pk, "stance": "supports", "note": hostile("note", lead=lead)},
                )
            )
        for theme in themes[:2]:
            url = reverse(
                "annotations:summary_edit", args=[seminar.pk, key.pk, theme.pk, document.pk]
            )
            _ok(client.post(url, {"text": hostile("summary")}))
    assert Tag.objects.filter(annotation_set=key).count() == 4
    return HostileSeminar(client, seminar, key, themes, [pasted, uploaded])


# Every page ------------------------------------------------------------------------------

FIELDS_OF_PAGES = {
    "seminar": ["seminar-title", "seminar-description", "doc-title", "set-title"],
    "seminar_list": ["seminar-title"],
    "home": ["seminar-title"],
    "document_list": ["doc-title"],
    "document": ["doc-title", "doc-author", "doc-publication", "pasted1", "pasted2"],
    "theme_list": ["theme0", "question0", "theme-description0"],
    "set": ["set-title"],
    "reader": ["doc-title", "pasted1", "pasted2", "note", "theme0"],
    "parallel": ["doc-title", "html-title", "pasted2"],
    "compare": ["theme0", "question0", "doc-title", "pasted2", "note", "summary"],
    "overview": ["theme0", "doc-title"],
    "interchange": ["set-title"],
    "handout": ["theme0", "question0", "doc-title", "pasted2", "note", "summary", "handout"],
}
# Where the htmx fragment shows other fields than the page's title block.
FIELDS_OF_FRAGMENTS = {"set": ["theme0"]}


def _pages(w: HostileSeminar) -> dict[str, str]:
    pasted = w.documents[0]
    handout_query = (
        f"?title={hostile('handout')}&built=1&summaries=1&notes=1&stances=1"
        f"&theme={w.themes[0].slug}&questions-{w.themes[0].slug}={hostile('question-handout')}"
    )
    return {
        "seminar": w.seminar.get_absolute_url(),
        "seminar_list": "/seminars/",
        "home": "/",
        "document_list": "/documents/",
        "document": pasted.get_absolute_url(),
        "theme_list": w.url("annotations:theme_list"),
        "set": w.url("annotations:set", w.key.pk),
        "reader": w.url("annotations:reader", w.key.pk, pasted.pk),
        "parallel": w.url("annotations:parallel", w.key.pk),
        "compare": w.url("annotations:compare", w.themes[0].slug),
        "overview": w.url("annotations:overview"),
        "interchange": w.url("annotations:interchange"),
        "handout": w.url("annotations:handout") + handout_query,
    }


def test_the_payload_of_every_field_was_stored_as_typed(world: HostileSeminar) -> None:
    assert world.seminar.title == hostile("seminar-title")
    assert world.documents[0].title == hostile("doc-title")
    assert world.documents[0].authors == [hostile("doc-author", lead="+")]
    assert world.documents[1].title == hostile("html-title")
    assert world.themes[0].name == short_hostile("theme0", lead="=")
    assert world.key.title == hostile("set-title")
    # The HTML reader keeps the words and drops the markup and the script.
    assert "alert('html-body')" not in world.documents[1].text
    assert "inline handler" in world.documents[1].text


@pytest.mark.parametrize("page", sorted(FIELDS_OF_PAGES))
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_every_page_shows_the_payloads_as_text(world: HostileSeminar, page: str, htmx) -> None:
    url = _pages(world)[page]
    headers = {"HX-Request": "true"} if htmx else {}
    response = world.client.get(url, headers=headers)
    assert response.status_code == 200
    body = response.content.decode()
    markup = active_markup(body)
    assert not markup.found, markup.found
    assert "<script>alert(" not in body and "<img src=x" not in body
    if not htmx:
        for field in FIELDS_OF_PAGES[page]:
            assert escaped(field) in body, f"{page} does not show {field} as text"
        assert RTL in body  # kept, not dropped: bidi isolation is the stylesheet's job
    else:  # the fragment htmx swaps in holds some of them, as text
        fields = FIELDS_OF_FRAGMENTS.get(page, FIELDS_OF_PAGES[page])
        assert any(escaped(field) in body for field in fields), page


# Exports -----------------------------------------------------------------------------------


def _export(w: HostileSeminar, fmt: str) -> bytes:
    response = w.client.get(w.url("annotations:set_export", w.key.pk, fmt))
    assert response.status_code == 200
    return response.content


def test_csv_neutralises_every_cell_a_spreadsheet_would_run(world: HostileSeminar) -> None:
    rows = list(csv.reader(io.StringIO(_export(world, "csv").decode("utf-8-sig"))))
    header, rows = rows[0], rows[1:]
    assert len(rows) == 4
    for row in rows:
        for column, cell in zip(header, row, strict=True):
            assert not cell.startswith(FORMULA_STARTS + ("\t", "\r")), (column, cell)
    by_column = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    # The text itself survives, behind the quote mark that makes it text.
    assert "'" + hostile("note", lead="=") in by_column["note"]
    assert "'" + hostile("doc-title") in by_column["reading"]
    assert "'" + short_hostile("theme1", lead="+") in by_column["theme"]
    # The first pasted paragraph is front matter; the second, a tagged one, starts with "-".
    assert any(
        cell.startswith("'" + hostile("pasted2", lead="-")[:40]) for cell in by_column["quote"]
    )
    assert set(by_column["author"]) == {"'" + INSTRUCTOR}


def test_w3c_json_holds_the_payloads_as_plain_strings(world: HostileSeminar) -> None:
    collection = json.loads(_export(world, "w3c"))
    strings = set(_strings(collection))
    assert hostile("note", lead="=") in strings
    assert short_hostile("theme0", lead="=") in strings
    assert any(s.startswith(hostile("pasted2", lead="-")[:40]) for s in strings)


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _handout(w: HostileSeminar, fmt: str) -> bytes:
    query = (
        f"?format={fmt}&title={hostile('handout')}&built=1&summaries=1&notes=1&stances=1"
        f"&questions-{w.themes[0].slug}={hostile('question-handout')}"
    )
    response = w.client.get(w.url("annotations:handout") + query)
    assert response.status_code == 200
    return response.content


def test_markdown_handout_escapes_every_payload(world: HostileSeminar) -> None:
    markdown = _handout(world, "md").decode()
    # Every < is escaped, so no Markdown renderer passes HTML through; no link is formed.
    assert not re.search(r"(?<!\\)<", markdown)
    assert not re.search(r"(?<!\\)\]\(", markdown)
    for field in ("handout", "note", "summary", "question0", "question-handout", "doc-title"):
        assert f'alert\\("{field}"\\)' in markdown, field


def test_word_handout_holds_the_payloads_as_text(world: HostileSeminar) -> None:
    document = docx.Document(io.BytesIO(_handout(world, "docx")))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    text = "\n".join(texts)
    for field in ("handout", "note", "summary", "question0", "question-handout", "doc-title"):
        assert f'<script>alert("{field}")</script>' in text, field


def test_pdf_handout_prints_the_payloads_as_text(world: HostileSeminar) -> None:
    reader = PdfReader(io.BytesIO(_handout(world, "pdf")))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    for field in ("handout", "note", "summary", "question0", "doc-title"):
        assert f'<script>alert("{field}")</script>' in text, field
    root = cast(Any, reader.trailer["/Root"])  # pypdf types the catalogue as a plain PdfObject
    assert "javascript" not in str(root.get("/OpenAction", ""))


# Uploaded Word and PDF metadata ---------------------------------------------------------


def _preview_and_save(client: Client, upload, field: str) -> None:
    preview = client.post("/documents/import/", {"file": upload})
    body = preview.content.decode()
    assert preview.status_code == 200
    assert not active_markup(body).found
    assert escaped(field) in body  # the suggested title, as text in the form
    response = save_preview(client, preview)
    assert response.status_code == 302, response.content[:2000]
    document_id = Document.objects.latest("pk").pk
    page = client.get(f"/documents/{document_id}/").content.decode()
    assert not active_markup(page).found and escaped(field) in page


def test_word_title_and_author_show_as_text(client: Client) -> None:
    client.force_login(UserFactory(username="ines"))

    def build(document) -> None:
        document.core_properties.title = hostile("docx-title")
        document.core_properties.author = hostile("docx-author")
        document.add_paragraph("A Word reading with one ordinary paragraph in it.")

    upload = SimpleUploadedFile("hostile.docx", word_document(build))
    _preview_and_save(client, upload, "docx-title")
    assert Document.objects.get().title == hostile("docx-title")


def test_pdf_title_and_author_show_as_text(client: Client) -> None:
    client.force_login(UserFactory(username="ines"))
    ascii_payload = '<script>alert("pdf-title")</script><img src=x onerror=alert(1)>'
    data = text_pdf(
        [["A PDF reading with one ordinary paragraph in it."]],
        title=ascii_payload,
        author='<script>alert("pdf-author")</script>',
    )
    _preview_and_save(client, SimpleUploadedFile("hostile.pdf", data), "pdf-title")
    document = Document.objects.get()
    assert document.title == ascii_payload
    assert document.authors == ['<script>alert("pdf-author")</script>']


# What cannot be stored as text ------------------------------------------------------------


def test_nul_characters_in_a_form_are_removed(client: Client) -> None:
    client.force_login(UserFactory(username="ines"))
    response = client.post("/seminars/new/", {"title": "Power\x00play", "description": "x\x00"})
    assert response.status_code == 302
    seminar = Seminar.objects.get()
    assert (seminar.title, seminar.description) == ("Powerplay", "x")


def test_nul_bytes_in_an_uploaded_file_are_refused_with_a_message(client: Client) -> None:
    client.force_login(UserFactory(username="ines"))
    upload = SimpleUploadedFile(
        "nul.txt", b"A reading\x00 with a NUL byte in it.\n\nAnd a second paragraph.\n"
    )
    preview = client.post("/documents/import/", {"file": upload})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "The file is not readable text: it contains binary data." in body
    assert 'class="stacked-form preview-form"' not in body  # no preview to save
    assert not Document.objects.exists()


def test_lone_surrogates_in_a_form_become_replacement_characters(client: Client) -> None:
    client.force_login(UserFactory(username="ines"))
    # A browser cannot send a lone surrogate; a script can send its UTF-8-like bytes.
    body = b"title=Power%ED%A0%80play&term=&description=%ED%B0%80"
    response = client.post("/seminars/new/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    seminar = Seminar.objects.get()
    assert seminar.title.startswith("Power") and seminar.title.endswith("play")
    assert all(not 0xD800 <= ord(c) <= 0xDFFF for c in seminar.title + seminar.description)
    page = client.get(seminar.get_absolute_url())
    assert page.status_code == 200


def test_lone_surrogates_in_an_imported_annotation_file_are_not_a_server_error(
    client: Client,
) -> None:
    instructor = UserFactory(username="ines")
    client.force_login(instructor)
    client.post("/seminars/new/", {"title": "Seminar"})
    seminar = Seminar.objects.get()
    _import(
        client,
        seminar.pk,
        pasted="The opening paragraph states the claim plainly.\n\nA second one.\n",
        metadata={"title": "Plain"},
    )
    client.post(
        reverse("annotations:theme_list", args=[seminar.pk]),
        {"name": "Trade", "colour": PALETTE[0][0]},
    )
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "first": {
            "type": "AnnotationPage",
            "items": [
                {
                    "type": "Annotation",
                    "id": "urn:x:1",
                    "motivation": "tagging",
                    "body": [
                        {"type": "TextualBody", "purpose": "tagging", "value": "Trade"},
                        {"type": "TextualBody", "purpose": "commenting", "value": "a\ud800b"},
                    ],
                    "target": {
                        "source": "urn:x:doc",
                        "selector": {
                            "type": "TextQuoteSelector",
                            "exact": "The opening paragraph states the claim plainly.",
                        },
                    },
                }
            ],
        },
    }
    data = json.dumps(annotation).encode()  # json escapes the surrogate as \\ud800
    upload = SimpleUploadedFile("lone.json", data, content_type="application/json")
    response = client.post(
        reverse("annotations:set_import", args=[seminar.pk]),
        {"file": upload, "format": "w3c", "title": "Imported"},
    )
    assert response.status_code in {200, 302}
    for tag in Tag.objects.all():
        assert all(not 0xD800 <= ord(c) <= 0xDFFF for c in tag.note)
