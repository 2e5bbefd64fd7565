"""PDFs: text reflowed into paragraphs across pages, encryption, scans, and PDFs that are partly
broken: what is still read, and what the person is told."""

from __future__ import annotations

import pypdf
import pytest

from readings.importing import ImportRejected, read_document, split_text
from readings.importing.readers.pdf import ENCRYPTED, NOT_A_PDF, lines, read_pdf
from tests.readings.importing.builders import blank_pdf, encrypted_pdf, text_pdf

PAGE_ONE = [
    "China and Russia Will Not Be Split",
    "Many American foreign-policy makers dream of being the next Henry Kissinger,",
    "whether they admit it or not. They look to him as the model of shrewd",
    "calculation.",
    "He struck grand bargains.",
    "Secretary of State Marco Rubio has called for the United States to have a",
]
PAGE_TWO = [
    "relationship with Russia rather than let it become dependent on China. The",
    "idea is a bad one, and the analogy to the Cold War of the 1970s is long-",
    "term flawed.",
]


def rejection(data: bytes) -> str:
    with pytest.raises(ImportRejected) as caught:
        read_document(filename="reading.pdf", data=data)
    return caught.value.message


def read_pdf_rejection(data: bytes) -> str:
    with pytest.raises(ImportRejected) as caught:
        read_pdf(data)
    return caught.value.message


def test_pdf_text_is_reflowed_into_paragraphs_and_rejoined_across_pages() -> None:
    data = text_pdf([PAGE_ONE, PAGE_TWO], title="China and Russia", author="McFaul; Medeiros")
    raw = read_document(filename="reading.pdf", data=data)
    assert raw.format == "pdf"
    assert raw.metadata == {"title": "China and Russia", "authors": "McFaul, Medeiros"}
    assert raw.warnings == ()
    passages = split_text(raw.text).passages
    assert [(p.kind, p.text) for p in passages] == [
        ("front_matter", "China and Russia Will Not Be Split"),
        (
            "paragraph",
            "Many American foreign-policy makers dream of being the next Henry Kissinger, "
            "whether they admit it or not. They look to him as the model of shrewd calculation.",
        ),
        ("paragraph", "He struck grand bargains."),
        (
            "paragraph",
            "Secretary of State Marco Rubio has called for the United States to have a "
            "relationship with Russia rather than let it become dependent on China. The idea "
            "is a bad one, and the analogy to the Cold War of the 1970s is long-term flawed.",
        ),
    ]


def test_pdf_language_from_the_catalog() -> None:
    raw = read_document(filename="a.pdf", data=text_pdf([["Hello there."]], language="de"))
    assert raw.metadata == {"language": "de"}


def test_password_protected_pdf() -> None:
    data = encrypted_pdf(text_pdf([["Secret text."]]), user_password="secret")
    assert rejection(data) == (
        "The PDF is password-protected or encrypted, so its text cannot be read. Remove the "
        "protection (for example, print it to a new PDF) and upload it again."
    )


def test_pdf_encrypted_without_a_user_password_is_read_with_a_warning() -> None:
    data = encrypted_pdf(text_pdf([["Readable text."]]), user_password="")
    raw = read_document(filename="a.pdf", data=data)
    assert raw.text == "Readable text."
    assert raw.warnings == ("The PDF is encrypted without a password; its text was read anyway.",)


def test_pdf_without_text_even_by_ocr_is_refused_saying_what_to_check() -> None:
    assert rejection(blank_pdf()) == (
        "The PDF has no text: it looks scanned, and OCR found no text on its pages either (they "
        "may be blank, or pictures rather than pages of text). Check that you chose the right "
        "file, or scan it again (300 dpi, black on white) and upload it again."
    )


def test_blank_pages_among_text_pages_are_reported() -> None:
    data = text_pdf([["Some text."], [], ["More text."], []])
    raw = read_document(filename="a.pdf", data=data)
    assert raw.text == "Some text.\n\nMore text."
    assert raw.warnings == (
        "Pages 2 and 4 have no text, even by OCR (blank, or a picture); nothing was imported "
        "from there.",
    )


DAMAGED = (
    "The PDF is damaged and cannot be read. Export it again from the program that made it "
    "and upload it again."
)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\nthis is not a PDF body at all",
        text_pdf([["Some text."]])[:300],
        text_pdf([["Some text."]])[:-40],
    ],
    ids=["garbage", "truncated-early", "truncated-late"],
)
def test_malformed_pdf(data: bytes) -> None:
    assert rejection(data) == DAMAGED


# Partly broken PDFs ---------------------------------------------------------------------------

LONG = "A line of ordinary length, as most lines on a page of running text are set"


def test_bytes_that_are_not_a_pdf_are_refused_as_such() -> None:
    assert read_pdf_rejection(b"Just some text, no PDF header.") == NOT_A_PDF


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
    original = lines.lines_of_page

    def lines_of_page(number: int, page: object) -> lines.Page:
        read = original(number, page)
        if any("Broken" in line.text for line in read.lines):
            raise ValueError("a broken content stream")
        return read

    monkeypatch.setattr(lines, "lines_of_page", lines_of_page)
    raw = read_pdf(text_pdf([["First page."], ["Broken page."], ["Third page."]]))
    assert raw.text == "First page.\n\nThird page."
    assert raw.warnings == ("The text of page 2 could not be read and was left out.",)


def test_a_pdf_whose_every_page_is_unreadable_is_damaged(monkeypatch: pytest.MonkeyPatch) -> None:
    def lines_of_page(number: int, page: object) -> lines.Page:
        raise ValueError("a broken content stream")

    monkeypatch.setattr(lines, "lines_of_page", lines_of_page)
    assert read_pdf_rejection(text_pdf([["One."], ["Two."]])) == DAMAGED


def test_many_blank_pages_are_counted_rather_than_listed() -> None:
    raw = read_pdf(text_pdf([["Some text."]] + [[] for _ in range(10)]))
    assert raw.warnings == (
        "10 pages (2, 3, 4, 5, 6, …) have no text, even by OCR (blank, or a picture); nothing "
        "was imported from there.",
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
    assert read_pdf_rejection(data) == ENCRYPTED
