"""Every file that previews saves, or the page says why (issue 19).

Files of every format are made here, then taken through both steps of the import page as a
browser would: the preview, then its form posted back as it stands (with a title typed in
when the file suggests none). A file either saves, with the passages the preview showed, or
is refused at the preview with a message; never a preview that cannot be saved.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readings.models import Document
from tests.clients import client_for
from tests.factories import UserFactory
from tests.readings.importing.builders import (
    blank_pdf,
    cell_access_tables,
    encrypted_pdf,
    text_pdf,
    word_document,
)
from tests.readings.preview import preview_form, save_preview

pytestmark = pytest.mark.django_db

SAVED, REFUSED = "saved", "refused"
_COUNT_RE = re.compile(r'<h2 id="preview-heading">(\d+) passages?</h2>')
_ERROR_RE = re.compile(r'class="(?:field-error|form-errors)"[^>]*>(.*?)</(?:p|div)>', re.S)


def _errors(response) -> list[str]:
    found = _ERROR_RE.findall(response.content.decode())
    return [re.sub(r"<[^>]+>", "", error).strip() for error in found]


def through_both_steps(client: Client, name: str, data: bytes) -> str:
    """SAVED or REFUSED; fails on anything else (a 5xx, a preview that does not save)."""
    preview = client.post("/documents/import/", {"file": SimpleUploadedFile(name, data)})
    body = preview.content.decode()
    assert preview.status_code == 200, (name, preview.status_code)
    count = _COUNT_RE.search(body)
    if count is None:
        assert any(len(error) > 20 for error in _errors(preview)), (name, "refused silently")
        return REFUSED
    _, fields = preview_form(body)
    before = Document.objects.count()
    response = save_preview(client, preview, title=fields["title"] or "A title typed in")
    errors = [
        re.sub(r"<[^>]+>", "", e).strip() for e in _ERROR_RE.findall(response.content.decode())
    ]
    assert response.status_code == 302, (name, response.status_code, errors)
    assert Document.objects.count() == before + 1
    assert Document.objects.latest("pk").passages.count() == int(count.group(1))
    return SAVED


def _html(paragraphs: list[str], head: str = "") -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def _docx(paragraphs: list[str], **properties: str) -> bytes:
    def build(document) -> None:
        for key, value in properties.items():
            setattr(document.core_properties, key, value)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)

    return word_document(build)


PROSE = [
    "Patience is underrated in diplomacy. It lets partners learn.",
    "Haste has costs. It breeds mistakes that last.",
]
LONG = "A title that goes on " * 30  # 630 characters: over every metadata field's limit

FILES: list[tuple[str, Callable[[], bytes], str]] = [
    ("prose.txt", lambda: "\n\n".join(PROSE).encode(), SAVED),
    ("utf16.txt", lambda: "\ufeffCafé au lait.\n\nSecond.".encode("utf-16-le"), SAVED),
    ("twelve.txt", lambda: b"12", SAVED),
    ("numbers.txt", lambda: b"1\n\n2\n\n3", SAVED),
    ("empty.txt", lambda: b"", REFUSED),
    ("blank.txt", lambda: b" \n\t\n", REFUSED),
    ("notes.md", lambda: b"# Notes\n\n- one *point*\n- two\n\n> quoted\n\n1. first", SAVED),
    ("rules.md", lambda: b"---\n\n* * *\n\n#\n", REFUSED),
    ("page.html", lambda: _html(PROSE, head=f"<title>{LONG}</title>"), SAVED),
    ("nul.html", lambda: b"<p>Before &#0; after.</p><p>Control &#27; too.</p>", SAVED),
    ("script.html", lambda: b"<script>alert(1)</script>", REFUSED),
    ("table.html", lambda: b"<table><tr><td>1</td><td>2</td></tr></table>", SAVED),
    ("essay.docx", lambda: _docx(PROSE, title="Essay", author="Ann Author"), SAVED),
    # Word keeps its properties to 255 characters: only the language can be too long.
    ("long.docx", lambda: _docx(PROSE, title=LONG[:255], language="x" * 60), SAVED),
    ("tbl-cell-access.docx", lambda: word_document(cell_access_tables), SAVED),
    ("empty.docx", lambda: _docx([]), REFUSED),
    ("essay.pdf", lambda: text_pdf([PROSE, PROSE[::-1]], title="Essay"), SAVED),
    ("thesis.pdf", lambda: text_pdf([["A thesis\x00 with NUL."]], title="The\x00sis"), SAVED),
    ("long.pdf", lambda: text_pdf([PROSE], title=LONG[:250] * 2, author=LONG * 3), SAVED),
    ("figures.pdf", lambda: text_pdf([["12"], ["13"]]), SAVED),
    ("scan.pdf", lambda: blank_pdf(2), REFUSED),
    ("locked.pdf", lambda: encrypted_pdf(text_pdf([PROSE]), user_password="pw"), REFUSED),
]


@pytest.mark.parametrize(("name", "make", "expected"), FILES, ids=[f[0] for f in FILES])
def test_every_file_that_previews_saves_or_says_why(
    instructor_client: Client, name: str, make: Callable[[], bytes], expected: str
) -> None:
    assert through_both_steps(instructor_client, name, make()) == expected


# Any text, in any format -------------------------------------------------------------------

# Letters, digits, the splitter's markers, spaces and line ends, controls and odd Unicode.
_ALPHABET = st.sampled_from(
    list("ab XY12.#-*_>|\n\n\t") + ["\x00", "\x0b", "\x1b", "\x85", "\u2028", "\u200b", "é", "😀"]
)
_TEXTS = st.text(_ALPHABET, min_size=1, max_size=300)
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _as_file(fmt: str, text: str) -> tuple[str, bytes]:
    paragraphs = [p for p in text.split("\n\n") if p]
    if fmt == "html":
        return "any.html", _html(paragraphs)
    if fmt == "docx":  # a Word file cannot hold XML-unsafe characters at all
        return "any.docx", _docx([_XML_UNSAFE.sub("", p) for p in paragraphs])
    if fmt == "pdf":  # the test PDFs are set in Latin-1
        lines = [p.encode("latin-1", "ignore").decode("latin-1") for p in paragraphs]
        return "any.pdf", text_pdf([[line.replace("\n", " ") for line in lines] or [""]])
    return f"any.{fmt}", text.encode()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fmt=st.sampled_from(["txt", "md", "html", "docx", "pdf"]), text=_TEXTS)
def test_any_text_in_any_format_saves_or_says_why(fmt: str, text: str) -> None:
    client = client_for(UserFactory(username="ines"))
    name, data = _as_file(fmt, text)
    assert through_both_steps(client, name, data) in {SAVED, REFUSED}
