from __future__ import annotations

import zipfile

import pytest

from readings.importing import ImportRejected, read_document, split_text
from readings.importing.limits import Budget, Limits
from tests.readings.importing.builders import (
    cell_access_tables,
    note_reference,
    with_notes,
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
        "- Left cell. · Right cell.",  # a table's row is an item, never a heading
        "\\- Not a bullet.",
    ]
    passages = split_text(raw.text).passages
    assert [p.kind for p in passages] == [
        "front_matter",
        "heading",
        "paragraph",
        "list_item",
        "list_item",
        "list_item",
        "paragraph",
    ]
    assert [passages[2].text[a:b] for a, b in passages[2].emphasis] == ["Foreign Affairs"]


def test_every_cell_of_a_word_table_is_read_once() -> None:
    raw = read_document(filename="cells.docx", data=word_document(cell_access_tables))
    blocks = [block.removeprefix("- ") for block in raw.text.split("\n\n")]
    # A row of short cells reads as one item, its cells in order.
    assert blocks[:3] == ["1 · 2 · 3", "4 · 5 · 6", "7 · 8 · 9"]  # the first table: no merge
    assert blocks[3:6] == ["1 · 2 · 3", "4 · 6", "7 · 8 · 9"]  # 4 spans two columns


COUNTRIES = [
    ["Country", "Capital", "Population"],
    ["Canada", "Ottawa", "Forty million"],
    ["France", "Paris", "Sixty-eight million"],
    ["Japan", "Tokyo", "A hundred and twenty-five million"],
    ["Kenya", "Nairobi", "Fifty-five million"],
]


def country_table(document) -> None:
    document.add_paragraph("The table below lists five countries.")
    table = document.add_table(rows=5, cols=3)
    for row, values in zip(table.rows, COUNTRIES, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("The table ends here.")


def test_every_row_of_a_five_by_three_table_is_a_passage_with_its_cells_in_order() -> None:
    """Tried as a new user would: fifteen passages of one cell each (¶ 4 "Canada", ¶ 5
    "17 %") read nothing like the table; a row is what a person reads."""
    raw = read_document(filename="countries.docx", data=word_document(country_table))
    passages = split_text(raw.text).passages
    assert [p.text for p in passages] == [
        "The table below lists five countries.",
        *(" · ".join(row) for row in COUNTRIES),
        "The table ends here.",
    ]
    # "Canada" is a cell, not a heading that the rest of the reading would fall under.
    assert {p.kind for p in passages[1:-1]} == {"list_item"}
    assert passages[-1].section == ""


def test_a_row_of_paragraphs_keeps_one_item_per_cell() -> None:
    """A table used for layout holds paragraphs: a row of them is not one passage."""
    long = "A paragraph set in a table for its layout, as many Word documents do, runs on."

    def build(document) -> None:
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = long
        table.cell(0, 1).text = "Short."

    raw = read_document(filename="layout.docx", data=word_document(build))
    assert raw.text.split("\n\n") == [f"- {long}", "- Short."]


def test_a_vertically_merged_cell_is_read_once_where_it_starts() -> None:
    def build(document) -> None:
        table = document.add_table(rows=3, cols=2)
        for index, cell in enumerate(c for row in table.rows for c in row.cells):
            cell.text = f"Cell {'ABCDEF'[index]} of the table."
        merged = table.cell(0, 0).merge(table.cell(1, 0))
        merged.paragraphs[1].text = ""

    raw = read_document(filename="merged.docx", data=word_document(build))
    assert raw.text.split("\n\n") == [
        "- Cell A of the table. · Cell B of the table.",
        "- Cell D of the table.",
        "- Cell E of the table. · Cell F of the table.",
    ]


def footnoted(document) -> None:
    document.add_heading("Sources", level=1)
    paragraph = document.add_paragraph("The treaty was signed in haste, as Ames argued.")
    note_reference(paragraph, 7)
    paragraph.add_run(" Nobody read it twice.")
    paragraph = document.add_paragraph("Its critics came later.")
    note_reference(paragraph, 3, "endnote")


FOOTNOTED = with_notes(
    word_document(footnoted),
    {7: "Ames, The Haste of Treaties (1901), p. 4."},
    {3: "See the second chapter."},
)


def test_footnotes_and_endnotes_are_notes_of_the_passage_that_calls_them() -> None:
    raw = read_document(filename="notes.docx", data=FOOTNOTED)
    assert raw.notes == ("Ames, The Haste of Treaties (1901), p. 4.", "See the second chapter.")
    result = split_text(raw.text, notes=raw.notes)
    assert [p.text for p in result.passages] == [
        "Sources",
        "The treaty was signed in haste, as Ames argued. Nobody read it twice.",
        "Its critics came later.",
    ]
    assert [(n.number, n.position, n.text) for n in result.notes] == [
        (1, 1, "Ames, The Haste of Treaties (1901), p. 4."),
        (2, 2, "See the second chapter."),
    ]
    assert "Ames, The Haste" not in result.text
    assert result.passages[1].word_count == 13  # the note's words are not counted


def test_a_note_marker_typed_in_the_document_cannot_forge_a_call() -> None:
    def build(document) -> None:
        document.add_paragraph("Forged \ue0001\ue001 call and a real one.")
        note_reference(document.paragraphs[0], 1)

    raw = read_document(filename="forged.docx", data=with_notes(word_document(build), {1: "Real."}))
    result = split_text(raw.text, notes=raw.notes)
    # The typed digit stays as the text it is; only the real reference is a call.
    assert result.passages[0].text == "Forged 1 call and a real one."
    assert [(n.number, n.offset, n.text) for n in result.notes] == [(1, 29, "Real.")]


def test_headings_come_from_outline_levels_and_styles_based_on_headings() -> None:
    def build(document) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        custom = document.styles.add_style("Chapter Title", WD_STYLE_TYPE.PARAGRAPH)
        custom.base_style = document.styles["Heading 1"]
        document.add_paragraph("A Custom Chapter", style="Chapter Title")
        document.add_paragraph("Body text of the chapter, a full sentence.")
        outlined = document.add_paragraph("Outlined By Hand")
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), "1")
        outlined._p.get_or_add_pPr().append(level)
        document.add_paragraph("More body text, also a sentence.")
        document.add_paragraph("A quotation set apart from the text.", style="Quote")
        document.add_paragraph("Closing words of the piece.")

    raw = read_document(filename="outline.docx", data=word_document(build))
    passages = split_text(raw.text).passages
    assert [(p.kind, p.text) for p in passages] == [
        ("heading", "A Custom Chapter"),
        ("paragraph", "Body text of the chapter, a full sentence."),
        ("heading", "Outlined By Hand"),
        ("paragraph", "More body text, also a sentence."),
        ("paragraph", "A quotation set apart from the text."),
        ("paragraph", "Closing words of the piece."),
    ]


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


def test_runs_inside_tracked_insertions_and_smart_tags_are_read_but_text_boxes_are_not() -> None:
    def build(document) -> None:
        from docx.oxml import parse_xml

        paragraph = document.add_paragraph("The treaty was ")
        w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        paragraph._p.append(
            parse_xml(f'<w:ins {w} w:id="1" w:author="A"><w:r><w:t>quietly </w:t></w:r></w:ins>')
        )
        paragraph._p.append(
            parse_xml(
                f'<w:del {w} w:id="2" w:author="A"><w:r><w:delText>never </w:delText></w:r></w:del>'
            )
        )
        paragraph._p.append(
            parse_xml(
                f'<w:smartTag {w} w:element="place"><w:r><w:t>signed</w:t></w:r></w:smartTag>'
            )
        )
        box = parse_xml(
            f"<w:r {w}><w:pict><w:txbxContent><w:p><w:r><w:t>A sidebar.</w:t></w:r></w:p>"
            "</w:txbxContent></w:pict></w:r>"
        )
        paragraph._p.append(box)
        paragraph.add_run(" in haste.")

    raw = read_document(filename="tracked.docx", data=word_document(build))
    assert raw.text == "The treaty was quietly signed in haste."
