"""PDFs that are partly broken: what is still read, and what the person is told."""

from __future__ import annotations

import pypdf
import pytest

from readings.importing import ImportRejected
from readings.importing.readers.pdf import DAMAGED, ENCRYPTED, NOT_A_PDF, read_pdf
from tests.readings.importing.builders import encrypted_pdf, text_pdf

LONG = "A line of ordinary length, as most lines on a page of running text are set"


def _rejection(data: bytes) -> str:
    with pytest.raises(ImportRejected) as caught:
        read_pdf(data)
    return caught.value.message


def test_bytes_that_are_not_a_pdf_are_refused_as_such() -> None:
    assert _rejection(b"Just some text, no PDF header.") == NOT_A_PDF


def test_list_items_start_blocks_of_their_own() -> None:
    raw = read_pdf(
        text_pdf([[LONG, "and it goes on here.", "- the first item", "- the second item"]])
    )
    blocks = raw.text.split("\n\n")
    assert blocks[-2:] == ["- the first item", "- the second item"]
    assert blocks[0].startswith("A line of ordinary length")


def test_a_page_whose_text_cannot_be_read_is_left_out_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = pypdf.PageObject.extract_text

    def extract_text(page: pypdf.PageObject, *args: object, **kwargs: object) -> str:
        if "Broken" in original(page):
            raise ValueError("a broken content stream")
        return original(page)

    monkeypatch.setattr(pypdf.PageObject, "extract_text", extract_text)
    raw = read_pdf(text_pdf([["First page."], ["Broken page."], ["Third page."]]))
    assert raw.text == "First page.\n\nThird page."
    assert raw.warnings == ("The text of page 2 could not be read and was left out.",)


def test_a_pdf_whose_every_page_is_unreadable_is_damaged(monkeypatch: pytest.MonkeyPatch) -> None:
    def extract_text(page: pypdf.PageObject, *args: object, **kwargs: object) -> str:
        raise ValueError("a broken content stream")

    monkeypatch.setattr(pypdf.PageObject, "extract_text", extract_text)
    assert _rejection(text_pdf([["One."], ["Two."]])) == DAMAGED


def test_many_blank_pages_are_counted_rather_than_listed() -> None:
    raw = read_pdf(text_pdf([["Some text."]] + [[] for _ in range(10)]))
    assert raw.warnings == (
        "10 pages (2, 3, 4, 5, 6, …) have no text (blank, or a scanned image without a text "
        "layer); nothing was imported from there.",
    )


def test_broken_metadata_does_not_stop_a_readable_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(reader: pypdf.PdfReader) -> None:
        raise ValueError("a broken /Info dictionary")

    monkeypatch.setattr(pypdf.PdfReader, "metadata", property(broken))
    raw = read_pdf(text_pdf([["Some text."]], title="A Title", author="Ann Author"))
    assert raw.text == "Some text." and raw.metadata == {}


def test_an_encryption_pypdf_cannot_undo_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = encrypted_pdf(text_pdf([["Some text."]]), user_password="")

    def decrypt(reader: pypdf.PdfReader, password: str) -> None:
        raise NotImplementedError("AES needs the cryptography package")

    monkeypatch.setattr(pypdf.PdfReader, "decrypt", decrypt)
    assert _rejection(data) == ENCRYPTED
