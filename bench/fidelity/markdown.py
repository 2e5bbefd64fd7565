"""Markdown fidelity cases: articles written as people write Markdown: YAML front matter, an
"# " title and an italic byline, "## " headings, hard-wrapped paragraphs with *emphasis* and
**strong** words, block quotes ("> " on every line), bulleted and numbered lists, footnotes
([^n] with their definitions at the end, one of them over two lines), links and a table."""

from __future__ import annotations

import textwrap

from . import Case
from .prose import Article, Prose, article, more


def _emphasise(text: str, rng: Prose) -> str:
    words = text.split(" ")
    k = rng.randrange(1, max(2, len(words) - 1))
    if words[k][-1:].isalpha() and words[k][:1].isalpha():
        marker = "*" if rng.random() < 0.5 else "**"
        words[k] = f"{marker}{words[k]}{marker}"
    return " ".join(words)


def _linked(text: str, rng: Prose) -> str:
    words = text.split(" ")
    k = rng.randrange(0, len(words))
    if words[k].isalpha():
        words[k] = f"[{words[k]}](https://example.org/{rng.randrange(1000)})"
    return " ".join(words)


def _wrap(text: str, prefix: str = "") -> str:
    return textwrap.fill(
        text, width=72, initial_indent=prefix, subsequent_indent=prefix, break_on_hyphens=False
    )


def _document(art: Article, seed: int) -> tuple[str, list[str]]:
    rng = more(art, seed)
    lines = [
        "---",
        f'title: "{art.title}"',
        f"author: {art.author}",
        "date: 2024-03-12",
        "tags: [history, towns]",
        "---",
        "",
        f"# {art.title}",
        "",
        f"*By {art.author}*",
        "",
    ]
    paragraphs: list[str] = []
    definitions: list[str] = []
    for index, section in enumerate(art.sections):
        lines += [f"## {section.heading}", ""]
        first = _emphasise(section.paragraphs[0], rng)
        if index < len(art.notes):
            first += f"[^{index + 1}]"
            note = art.notes[index]
            if index % 2:  # a definition that continues on an indented line
                head, _, tail = note.partition(", ")
                definitions.append(f"[^{index + 1}]: {head},\n    {tail}")
            else:
                definitions.append(f"[^{index + 1}]: {note}")
        lines += [_wrap(first), ""]
        paragraphs.append(section.paragraphs[0])
        if section.quote:
            lines += [_wrap(section.quote, "> "), ""]
            paragraphs.append(section.quote)
        for number, item in enumerate(section.items, start=1):
            lines.append(f"{number}. {item}" if index % 2 else f"- {item}")
            paragraphs.append(item)
        if section.items:
            lines.append("")
        for text in section.paragraphs[1:]:
            lines += [_wrap(_linked(text, rng)), ""]
            paragraphs.append(text)
    lines += definitions
    return "\n".join(lines) + "\n", paragraphs


def cases() -> list[Case]:
    made = []
    for n in range(10):
        art = article(5000 + n, sections=2 + n % 3, notes=2 + n % 2)
        text, paragraphs = _document(art, 6000 + n)
        made.append(
            Case(
                name=f"md-{n}",
                filename=f"reading-{n}.md",
                data=text.encode("utf-8"),
                paragraphs=paragraphs,
                furniture=[*art.notes, "> ", "[^", "](https://"],
            )
        )
    return made
