"""Word fidelity cases: .docx files written with python-docx from generated articles, with a
title, headings (by style and by outline level), emphasis, block quotes, bulleted and
numbered lists, footnotes and endnotes (python-docx cannot write them: the parts are added
to the package, tests/readings/importing/builders.py), a 5 x 3 table and a table with merged
cells. python-docx ships no sample documents with text (only empty templates), so there is
no public sample file to add."""

from __future__ import annotations

import io

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from readings.importing.readers.docx import ROW_CELL_WORDS, ROW_SEPARATOR
from tests.readings.importing.builders import note_reference, with_notes

from . import Case
from .prose import Article, Prose, article, more, sentence

# fmt: off
_COUNTRIES = [
    ["Country", "Capital city", "Main river"],
    ["Canada", "Ottawa", "Saint Lawrence"],
    ["Portugal", "Lisbon", "Tagus"],
    ["Kenya", "Nairobi", "Tana"],
    ["Vietnam", "Hanoi", "Mekong"],
]
# fmt: on


def _emphasised(paragraph, text: str, rng: Prose) -> None:
    """The text with one word in italics, as authors emphasise a title or a term."""
    words = text.split(" ")
    k = rng.randrange(1, max(2, len(words) - 1))
    paragraph.add_run(" ".join(words[:k]) + " ")
    paragraph.add_run(words[k]).italic = True
    paragraph.add_run(" " + " ".join(words[k + 1 :]))


def _outline_heading(document, text: str) -> None:
    """A heading made by an outline level on a Normal paragraph, not by a Heading style."""
    paragraph = document.add_paragraph(text)
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "1")
    paragraph._p.get_or_add_pPr().append(level)


def _document(art: Article, seed: int) -> tuple[bytes, list[str], list[str]]:
    rng = more(art, seed)
    document = docx.Document()
    document.core_properties.title = art.title
    document.core_properties.author = art.author
    document.add_paragraph(art.title, style="Title")
    document.add_paragraph(f"By {art.author}")
    paragraphs: list[str] = []
    footnotes: dict[int, str] = {}
    endnotes: dict[int, str] = {}
    for index, section in enumerate(art.sections):
        if index % 2:
            _outline_heading(document, section.heading)
        else:
            document.add_heading(section.heading, level=1 + index % 2)
        first = document.add_paragraph()
        _emphasised(first, section.paragraphs[0], rng)
        if index < len(art.notes):
            number = index + 1
            kind = "footnote" if index % 2 == 0 else "endnote"
            note_reference(first, number, kind)
            (footnotes if kind == "footnote" else endnotes)[number] = art.notes[index]
        paragraphs.append(section.paragraphs[0])
        if section.quote:
            document.add_paragraph(section.quote, style="Quote")
            paragraphs.append(section.quote)
        for item in section.items:
            document.add_paragraph(item, style="List Bullet" if index % 2 else "List Number")
            paragraphs.append(item)
        for text in section.paragraphs[1:]:
            document.add_paragraph(text)
            paragraphs.append(text)
        if index == 0:
            document.add_paragraph(lead := sentence(rng))
            paragraphs.append(lead)
            table = document.add_table(rows=5, cols=3)
            for row, values in zip(table.rows, _COUNTRIES, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
            paragraphs.extend(_row(row) for row in _COUNTRIES)
        if index == 1:
            texts = [sentence(rng) for _ in range(6)]
            table = document.add_table(rows=2, cols=3)
            for cell, text in zip((c for r in table.rows for c in r.cells), texts, strict=True):
                cell.text = text
            # The first two cells of the top row merged: their text once, in one cell.
            merged = table.cell(0, 0).merge(table.cell(0, 1))
            merged.text = texts[0]
            for row in ([texts[0], texts[2]], texts[3:6]):
                paragraphs.extend([_row(row)] if _short(row) else row)
    out = io.BytesIO()
    document.save(out)
    data = with_notes(out.getvalue(), footnotes, endnotes)
    return data, paragraphs, [*footnotes.values(), *endnotes.values()]


def _short(cells: list[str]) -> bool:
    return all(len(cell.split()) <= ROW_CELL_WORDS for cell in cells)


def _row(cells: list[str]) -> str:
    """A row of short cells is read as one passage, its cells in order (the Word reader's
    rule, readings/importing/readers/docx.py)."""
    return ROW_SEPARATOR.join(cells)


def cases() -> list[Case]:
    made = []
    for n in range(8):
        art = article(3000 + n, sections=2 + n % 3, notes=2 + n % 2)
        data, paragraphs, notes = _document(art, 4000 + n)
        made.append(
            Case(
                name=f"docx-{n}",
                filename=f"reading-{n}.docx",
                data=data,
                paragraphs=paragraphs,
                furniture=notes,
            )
        )
    return made
