from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readings.importing import SUPPORTED_EXTENSIONS, ImportRejected, RawDocument, read_document
from tests.readings.importing.builders import text_pdf, zip_archive


def rejection(filename: str, data: bytes, **kwargs) -> str:
    with pytest.raises(ImportRejected) as caught:
        read_document(filename=filename, data=data, **kwargs)
    assert str(caught.value) == caught.value.message
    return caught.value.message


def test_supported_extensions_are_offered_without_dots() -> None:
    assert set(SUPPORTED_EXTENSIONS) >= {"txt", "md", "html", "htm", "docx", "pdf"}
    assert not any(ext.startswith(".") for ext in SUPPORTED_EXTENSIONS)


def test_plain_utf8_text() -> None:
    raw = read_document(filename="Reading.TXT", data="Café “quoted”\n\nNext.".encode())
    assert raw == RawDocument(format="txt", text="Café “quoted”\n\nNext.", metadata={}, warnings=())


def test_empty_file() -> None:
    assert rejection("a.txt", b"") == (
        "The file is empty. Choose the file that holds the reading's text."
    )


@pytest.mark.parametrize(
    "data",
    [b" \n\t\r\n", codecs.BOM_UTF8 + b"  \n", "\u00a0\u200b\n".encode(), b"\xff\xfe \x00\n\x00"],
)
def test_whitespace_only_file(data: bytes) -> None:
    assert rejection("a.txt", data) == (
        "The file contains only whitespace: there is no text to import. "
        "Check that you chose the right file."
    )


def test_file_over_the_size_limit_names_the_limit_in_megabytes() -> None:
    data = b"x" * (3 * 1024 * 1024 + 1)
    assert rejection("a.txt", data, max_bytes=3 * 1024 * 1024) == (
        "The file is 3.0 MB; the limit is 3 MB. Split the reading into smaller files, or "
        "remove images from it, and upload it again."
    )


def test_unsupported_extension_lists_the_supported_ones() -> None:
    assert rejection("slides.pptx", b"PK\x03\x04") == (
        "Files ending in “.pptx” cannot be imported. Supported formats are .txt, .md, .html, "
        ".docx, .pdf and scans as .png, .jpg or .tiff."
    )


def test_old_word_extension_gets_a_hint() -> None:
    assert rejection("essay.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1").endswith(
        "Open it in Word or LibreOffice and save it as .docx."
    )


@pytest.mark.parametrize(
    ("filename", "hint"),
    [
        ("essay.odt", "Open it in LibreOffice and save it as .docx."),
        ("book.epub", "Convert it to .docx, .html or .txt first."),
    ],
)
def test_opendocument_and_epub_are_refused_with_what_to_do(filename: str, hint: str) -> None:
    extension = filename.rsplit(".", 1)[1]
    assert rejection(filename, b"PK\x03\x04") == (
        f"Files ending in “.{extension}” cannot be imported. Supported formats are .txt, .md, "
        f".html, .docx, .pdf and scans as .png, .jpg or .tiff. {hint}"
    )


def test_file_name_without_extension() -> None:
    assert rejection("README", b"text") == (
        "The file name “README” has no extension, so its format is unknown. "
        "Supported formats are .txt, .md, .html, .docx, .pdf and scans as .png, .jpg or .tiff."
    )


@pytest.mark.parametrize(
    ("filename", "data", "what"),
    [
        ("notes.txt", text_pdf([["Hello."]]), "a PDF document"),
        ("notes.txt", zip_archive({"a.txt": b"x"}), "a ZIP archive (a Word .docx file is one)"),
        ("notes.md", b"\x89PNG\r\n\x1a\n\x00\x00", "an image"),
        ("page.html", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "an old-style Microsoft Office"),
        ("notes.txt", b"{\\rtf1\\ansi Hello}", "a Rich Text Format (.rtf) document"),
        ("paper.pdf", zip_archive({"word/document.xml": b"<w/>"}), "a ZIP archive"),
        ("essay.docx", text_pdf([["Hello."]]), "a PDF document"),
    ],
)
def test_extension_that_contradicts_the_content(filename: str, data: bytes, what: str) -> None:
    message = rejection(filename, data)
    extension = filename.rsplit(".", 1)[1]
    assert message.startswith(f"The file ends in “.{extension}” but its content is {what}")
    assert message.endswith(
        "Give it the extension that matches its content, or export it again, and upload it again."
    )


def test_pdf_extension_on_text() -> None:
    assert rejection("paper.pdf", b"Just some text.") == (
        "The file ends in “.pdf” but is not a PDF (it does not start with %PDF). "
        "Export it again as PDF, or upload it with the extension that matches its format."
    )


BINARY = (
    "The file is not readable text: it contains binary data. If it is a document, upload it "
    "as .docx or .pdf; if it is text, save it as UTF-8 and upload it again."
)


def test_nul_bytes_mean_binary() -> None:
    assert rejection("a.txt", b"Some text\x00\x01\x02 and more") == BINARY


def test_text_full_of_control_characters_is_binary() -> None:
    assert rejection("a.txt", b"ab\x01\x02\x03\x04\x05\x06cd" * 10) == BINARY


def test_undecodable_text() -> None:
    # Not UTF-8, and 0x81 0x8d 0x8f 0x90 0x9d are undefined in Windows-1252.
    assert rejection("a.txt", b"caf\xe9 \x81\x8d\x8f") == (
        "The file's text encoding could not be recognised. Save it as UTF-8 and upload it again."
    )


def test_invalid_utf8_after_a_utf8_bom() -> None:
    assert rejection("a.txt", codecs.BOM_UTF8 + b"caf\xe9") == (
        "The file starts with a UTF-8 byte-order mark but is not valid UTF-8 text. "
        "Save it again as UTF-8 and upload it again."
    )


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + "Café.".encode(),
        codecs.BOM_UTF16_LE + "Café.".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "Café.".encode("utf-16-be"),
        codecs.BOM_UTF32_LE + "Café.".encode("utf-32-le"),
    ],
)
def test_byte_order_marks_decide_the_encoding(data: bytes) -> None:
    raw = read_document(filename="a.txt", data=data)
    assert raw.text == "Café."
    assert raw.warnings == ()


def test_windows_1252_is_read_with_a_warning() -> None:
    raw = read_document(filename="a.txt", data="Café – “quoted”.".encode("cp1252"))
    assert raw.text == "Café – “quoted”."
    assert raw.warnings == (
        "The file was not UTF-8, so it was read as Windows-1252 (Western European). "
        "Check accented letters and quotation marks in the preview.",
    )


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(SUPPORTED_EXTENSIONS),
    st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>"]),
    st.binary(max_size=2000),
)
def test_any_bytes_are_read_or_rejected_with_a_message(
    extension: str, prefix: bytes, body: bytes
) -> None:
    try:
        raw = read_document(filename=f"upload.{extension}", data=prefix + body)
    except ImportRejected as rejected:
        assert rejected.message.endswith(".")
    else:
        assert raw.text.strip()


def test_control_characters_are_removed_from_the_text_and_the_metadata() -> None:
    pdf = text_pdf([["A thesis\x00 whose text\x1b layer holds controls."]], title="The\x00sis")
    raw = read_document(filename="thesis.pdf", data=pdf)
    assert raw.text == "A thesis whose text layer holds controls."
    assert raw.metadata["title"] == "Thesis"
