from __future__ import annotations

import pytest

from readings.importing import ImportRejected, read_document, split_text
from readings.importing.readers.pdf import reflow
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


def test_reflow_rule() -> None:
    lines = ["The first paragraph runs across", "two lines.", "Next one.", "", "After a gap"]
    assert reflow(lines, typical=40) == [
        "The first paragraph runs across two lines.",
        "Next one.",
        "After a gap",
    ]


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


def test_pdf_without_text_looks_scanned() -> None:
    assert rejection(blank_pdf()) == (
        "The PDF has no extractable text: it looks scanned. Export it with a text layer, or run "
        "OCR on it first, then upload it again."
    )


def test_blank_pages_among_text_pages_are_reported() -> None:
    data = text_pdf([["Some text."], [], ["More text."], []])
    raw = read_document(filename="a.pdf", data=data)
    assert raw.text == "Some text.\n\nMore text."
    assert raw.warnings == (
        "Pages 2 and 4 have no text (blank, or a scanned image without a text layer); nothing "
        "was imported from there.",
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
