"""The handout as Markdown (CommonMark) for an LMS or a wiki. Markdown has no side-by-side
columns that hold paragraphs, so each theme lists the readings one after another, under a
heading per reading. Every piece of user text is escaped."""

from __future__ import annotations

import re

from django.utils import dateformat

from annotations.handouts.contents import Handout, HandoutPassage

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that can start
# markup anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]{}<>()#!|~&])")
# ... and these only at the start of a line: lists, headings, quotes, thematic breaks.
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])", re.M)


def _inline(text: str) -> str:
    return _INLINE.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _block(line: str) -> str:
    return _LINE_START.sub(lambda m: m.group(1) + re.sub(r"([-+=.)])", r"\\\1", m.group(2)), line)


def escape(text: str) -> str:
    """`text` as literal Markdown: no emphasis, links, HTML or block structure; one paragraph."""
    return _block(_inline(text.strip()))


def _marked(piece: str) -> str:
    """A quoted span in bold, its surrounding spaces outside the markers."""
    core = piece.strip()
    if not core:
        return _inline(piece)
    lead, trail = piece[: len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()) :]
    return f"{_inline(lead)}**{_inline(core)}**{_inline(trail)}"


def _passage(passage: HandoutPassage) -> list[str]:
    cite = f"**{escape(passage.citation)}**"
    if passage.section:
        cite += f" ({escape(passage.section)})"
    if passage.people:
        cite += f" · {escape(passage.people)}"
    lines = [cite, ""]
    if passage.before:
        lines += [f"*… {escape(passage.before)}*", ""]
    pieces = passage.pieces
    quote = "".join(_marked(piece) if marked else _inline(piece) for piece, marked in pieces)
    lines += [f"> {_block(quote.strip())}", ""]
    if passage.after:
        lines += [f"*{escape(passage.after)} …*", ""]
    for number, text in passage.footnotes:
        lines += [f"Note {number}. {escape(text)}", ""]
    for remark in passage.remarks:
        parts = [f"*{escape(remark.who)}:*" if remark.who else ""]
        parts.append(f"**{escape(remark.stance_label)}.**" if remark.stance_label else "")
        parts.append(escape(remark.note))
        lines.append("- " + " ".join(part for part in parts if part))
    if passage.remarks:
        lines.append("")
    return lines


def handout_markdown(handout: Handout) -> str:
    meta = [handout.seminar] if handout.title != handout.seminar else []
    meta += [dateformat.format(handout.date, "j F Y"), f"Tags: {handout.source}"]
    lines = [f"# {escape(handout.title)}", "", escape(" · ".join(meta)), ""]
    for section in handout.sections:
        lines += [f"## {escape(section.name)}", ""]
        if section.guiding_question:
            lines += [f"*Guiding question:* {escape(section.guiding_question)}", ""]
        lines += [f"**{escape(section.verdict)}.** {escape(section.verdict_explanation)}", ""]
        for column in section.columns:
            lines += [f"### {escape(column.author_line)}: {escape(column.title)}", ""]
            if column.summary:
                lines += [f"**Position:** {escape(column.summary)}", ""]
            for passage in column.passages:
                lines += _passage(passage)
            if not column.passages:
                lines += [f"*Silent on {escape(section.name)}.*", ""]
        if section.disputed:
            lines += [f"### {section.disputed_heading}", ""]
            for item in section.disputed:
                cite = f"**{escape(item.citation)}**"
                if item.section:
                    cite += f" ({escape(item.section)})"
                above = "" if item.text else " · quoted above"
                lines += [f"{cite} · {escape(item.votes)}{above}", ""]
                if item.text:  # empty: quoted in the columns above
                    lines += [f"> {escape(item.text)}", ""]
        if section.questions:
            lines += ["### Questions to discuss", ""]
            lines += [f"{n}. {escape(q)}" for n, q in enumerate(section.questions, 1)] + [""]
    lines += ["## References", ""]
    lines += [f"- {escape(reference.text)}" for reference in handout.references]
    return "\n".join(lines) + "\n"
