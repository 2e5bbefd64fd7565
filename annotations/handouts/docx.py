"""The handout as an editable Word document: real headings (Title, Heading 1, 2), a table per
theme with one column per reading, numbered questions and the references."""

from __future__ import annotations

from io import BytesIO

from django.utils import dateformat
from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

from annotations.handouts.contents import Handout, HandoutColumn

PAGE = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
MUTED = RGBColor(0x55, 0x55, 0x55)


def _column(cell: _Cell, column: HandoutColumn, section_name: str) -> None:
    first = cell.paragraphs[0]
    if column.summary:
        first.add_run("Position: ").bold = True
        first.add_run(column.summary)
        first = None
    for passage in column.passages:
        cite = first or cell.add_paragraph()
        first = None
        cite.add_run(passage.citation).bold = True
        if passage.section:
            cite.add_run(f" ({passage.section})").font.color.rgb = MUTED
        if passage.people:
            cite.add_run(f" · {passage.people}").font.color.rgb = MUTED
        if passage.before:
            run = cell.add_paragraph().add_run(f"… {passage.before}")
            run.font.color.rgb, run.font.size = MUTED, Pt(8)
        quote = cell.add_paragraph(style="Quote")
        for piece, marked in passage.pieces:
            quote.add_run(piece).bold = marked
        if passage.after:
            run = cell.add_paragraph().add_run(f"{passage.after} …")
            run.font.color.rgb, run.font.size = MUTED, Pt(8)
        for number, text in passage.footnotes:
            run = cell.add_paragraph().add_run(f"Note {number}. {text}")
            run.font.color.rgb, run.font.size = MUTED, Pt(8)
        for remark in passage.remarks:
            line = cell.add_paragraph(style="List Bullet")
            if remark.who:
                line.add_run(f"{remark.who}: ").italic = True
            if remark.stance_label:
                line.add_run(f"{remark.stance_label}. ").bold = True
            line.add_run(remark.note)
    if first is not None:
        first.add_run(f"Silent on {section_name}.").italic = True


def handout_docx(handout: Handout) -> bytes:
    document = new_document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE[handout.paper]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    document.styles["Normal"].font.size = Pt(10)
    document.core_properties.title = handout.title
    document.core_properties.subject = handout.seminar

    document.add_heading(handout.title, level=0)
    meta = [handout.seminar] if handout.title != handout.seminar else []
    meta += [dateformat.format(handout.date, "j F Y"), f"Tags: {handout.source}"]
    document.add_paragraph(" · ".join(meta))

    for theme in handout.sections:
        document.add_heading(theme.name, level=1)
        if theme.guiding_question:
            question = document.add_paragraph()
            question.add_run("Guiding question: ").bold = True
            question.add_run(theme.guiding_question).italic = True
        verdict = document.add_paragraph()
        verdict.add_run(f"{theme.verdict}. ").bold = True
        verdict.add_run(theme.verdict_explanation)
        if theme.columns:
            table = document.add_table(rows=2, cols=len(theme.columns))
            table.style = "Table Grid"
            for index, column in enumerate(theme.columns):
                head = table.rows[0].cells[index].paragraphs[0]
                head.add_run(column.author_line).bold = True
                head.add_run(f"\n{column.title}").italic = True
                _column(table.rows[1].cells[index], column, theme.name)
            # Repeat the authors on each page the table runs over.
            table.rows[0].repeat_header = True
        if theme.disputed:
            document.add_heading(theme.disputed_heading, level=2)
            for item in theme.disputed:
                cite = document.add_paragraph()
                cite.add_run(item.citation).bold = True
                if item.section:
                    cite.add_run(f" ({item.section})").font.color.rgb = MUTED
                above = "" if item.text else " · quoted above"
                cite.add_run(f" · {item.votes}{above}").font.color.rgb = MUTED
                if item.text:  # empty: quoted in the columns above
                    document.add_paragraph(item.text, style="Quote")
        if theme.questions:
            document.add_heading("Questions to discuss", level=2)
            for line in theme.questions:
                document.add_paragraph(line, style="List Number")

    document.add_heading("References", level=1)
    for reference in handout.references:
        document.add_paragraph(reference.text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
