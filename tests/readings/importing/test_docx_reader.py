from __future__ import annotations

import zipfile

import pytest

from readings.importing import ImportRejected, read_document, split_text
from readings.importing.limits import Budget, Limits
from tests.readings.importing.builders import (
    cell_access_tables,
    word_document,
    zip_archive,
    zip_with_zeros,
)


def build_reading(document) -> None:
    core = document.core_properties
    core.title = "China and Russia Will Not Be Split"
    core.author = "Michael McFaul; Evan S. Medeiros"
    core.language = "en-US"
    document.add_paragraph("China and Russia Will Not Be Split", style="Title")
    document.add_heading("A Fool's Errand", level=1)
    paragraph = document.add_paragraph("Nixon wrote in ")
    paragraph.add_run("Foreign Affairs").italic = True
    paragraph.add_run(" that 5 * 3 is snake_case.")
    document.add_paragraph("First point.", style="List Bullet")
    document.add_paragraph("Second point.", style="List Number")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Left cell."
    table.cell(0, 1).text = "Right cell."
    document.add_paragraph("- Not a bullet.")


def rejection(data: bytes, budget: Budget | None = None) -> str:
    with pytest.raises(ImportRejected) as caught:
        read_document(filename="reading.docx", data=data, budget=budget)
    return caught.value.message


def test_docx_text_structure_and_metadata() -> None:
    raw = read_document(filename="reading.docx", data=word_document(build_reading))
    assert raw.format == "docx"
    assert raw.metadata == {
        "title": "China and Russia Will Not Be Split",
        "authors": "Michael McFaul, Evan S. Medeiros",
        "language": "en-US",
    }
    assert raw.text.split("\n\n") == [
        "China and Russia Will Not Be Split",
        "# A Fool's Errand",
        "Nixon wrote in *Foreign Affairs* that 5 \\* 3 is snake\\_case.",
        "- First point.",
        "- Second point.",
        "Left cell.",
        "Right cell.",
        "\\- Not a bullet.",
    ]
    passages = split_text(raw.text).passages
    assert [p.kind for p in passages] == [
        "front_matter",
        "heading",
        "paragraph",
        "list_item",
        "list_item",
        "paragraph",
        "paragraph",
        "paragraph",
    ]
    assert [passages[2].text[a:b] for a, b in passages[2].emphasis] == ["Foreign Affairs"]


@pytest.mark.xfail(
    strict=True,
    reason="Known, left to the readers' owner (issue 19): _table_blocks skips a cell when "
    "id(cell._tc) was seen, but python-docx makes a new lxml proxy per access, so a freed "
    "proxy's id is reused and later cells are skipped (4, 5, 7, 8, 9 of a plain 3 x 3 table). "
    "Keeping the elements themselves, not their ids, fixes it.",
)
def test_every_cell_of_a_word_table_is_read_once() -> None:
    raw = read_document(filename="cells.docx", data=word_document(cell_access_tables))
    blocks = raw.text.split("\n\n")
    assert blocks[:9] == [str(n) for n in range(1, 10)]  # the first table: no merged cell
    assert blocks[9:17] == ["1", "2", "3", "4", "6", "7", "8", "9"]  # 4 spans two columns


def test_docx_that_is_not_a_zip() -> None:
    assert rejection(b"This is plain text with a .docx name.") == (
        "The file ends in “.docx” but is not a Word document (a .docx file is a ZIP package). "
        "Open it in Word or LibreOffice, save it as .docx and upload it again."
    )


def test_old_doc_renamed_to_docx() -> None:
    assert rejection(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)) == (
        "The file is an old-style Word document (.doc) renamed to .docx. Open it in Word or "
        "LibreOffice, save it as .docx and upload it again."
    )


def test_zip_without_word_document_xml() -> None:
    assert rejection(zip_archive({"content.xml": b"<office/>"})) == (
        "The file is a ZIP archive but not a Word document: it has no word/document.xml. "
        "Save it from Word or LibreOffice as .docx and upload it again."
    )


def test_damaged_word_document() -> None:
    data = zip_archive({"word/document.xml": b"<not-closed", "[Content_Types].xml": b"<x"})
    assert rejection(data) == (
        "The Word document is damaged and cannot be read. Open it in Word or LibreOffice, "
        "save it again as .docx and upload it again."
    )


def test_word_document_without_text() -> None:
    data = word_document(lambda document: document.add_paragraph("   "))
    assert rejection(data) == (
        "The Word document contains no text. Check that you chose the right file."
    )


BOMB = (
    "The Word document would unpack to more than 40 MB, or unpacks far more than a document "
    "should (a “zip bomb”), so it was not opened. Remove large embedded files and images, "
    "save it again and upload it again."
)


def refuse_unpacking(monkeypatch) -> None:
    """Fail the test if anything is decompressed: bombs must be refused from the directory."""

    def refuse(*args, **kwargs):
        raise AssertionError("a member was decompressed")

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


def test_zip_bomb_over_the_total_size_is_refused_unopened(monkeypatch) -> None:
    # 64 MB of zeros: about 64 KB on disk.
    data = zip_with_zeros("word/media/huge.bin", 64 * 1024 * 1024, {"word/document.xml": b"<w/>"})
    assert len(data) < 1024 * 1024
    refuse_unpacking(monkeypatch)
    assert rejection(data) == BOMB


def test_zip_bomb_by_compression_ratio_is_refused_unopened(monkeypatch) -> None:
    data = zip_with_zeros("word/document.xml", 4 * 1024 * 1024)
    refuse_unpacking(monkeypatch)
    assert rejection(data) == BOMB


def test_total_size_cap_applies_to_real_documents() -> None:
    budget = Budget(Limits(max_unpacked_bytes=1000), what="The Word document")
    message = rejection(word_document(build_reading), budget=budget)
    assert message.startswith("The Word document would unpack to more than 0 MB")
