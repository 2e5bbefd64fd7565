from __future__ import annotations

from readings.importing import read_document, split_text
from readings.importing.readers.markdown import SIMPLER_RULES


def test_markdown_front_matter_links_images_and_setext_headings() -> None:
    source = (
        "---\n"
        'title: "On Power: A Reading"\n'
        "author:\n"
        "  - Ann Lee\n"
        "  - Bo Sun\n"
        "date: 2025-04-04\n"
        "lang: en-GB\n"
        "---\n"
        "Introduction\n"
        "============\n\n"
        "See [the essay](https://example.org/x) and ![a chart](chart.png) *now*.\n"
    )
    raw = read_document(filename="reading.md", data=source.encode())
    assert raw.format == "md"
    assert raw.metadata == {
        "title": "On Power: A Reading",
        "authors": "Ann Lee, Bo Sun",
        "published": "2025-04-04",
        "language": "en-GB",
    }
    assert raw.text == "# Introduction\n\nSee the essay and *now*."
    passages = split_text(raw.text).passages
    assert [(p.kind, p.text) for p in passages] == [
        ("heading", "Introduction"),
        ("paragraph", "See the essay and now."),
    ]


def test_inline_author_list() -> None:
    raw = read_document(filename="a.markdown", data=b"---\nauthors: [Ann Lee, Bo Sun]\n---\nText.")
    assert raw.metadata == {"authors": "Ann Lee, Bo Sun"}
    assert raw.text == "Text."


ARTICLE = """---
title: The Quiet Treaty
date: 2024-03-02
---
# The Quiet Treaty

*By Jane Doe and Ann Lee*

Treaties are signed in public and kept in private.[^ames] Nobody *reads* them twice.

> The clauses that matter are the ones nobody reads,
> as every negotiator knows.[^2]

## What the parties wanted

- Peace on the border, **at once**.
- Trade within a year.

[^ames]: Ames, *The Haste of Treaties* (1901), p. 4.
[^2]: Said at the signing,
    and often since.
"""


def test_markdown_article_reads_as_a_person_reads_it() -> None:
    raw = read_document(filename="treaty.md", data=ARTICLE.encode())
    assert raw.metadata == {
        "title": "The Quiet Treaty",
        "published": "2024-03-02",
        "authors": "Jane Doe, Ann Lee",
    }
    assert raw.notes == (
        "Ames, The Haste of Treaties (1901), p. 4.",
        "Said at the signing, and often since.",
    )
    result = split_text(raw.text, notes=raw.notes)
    assert [(p.kind, p.text) for p in result.passages] == [
        ("front_matter", "The Quiet Treaty"),
        ("front_matter", "By Jane Doe and Ann Lee"),  # the italic byline: no heading
        (
            "paragraph",
            "Treaties are signed in public and kept in private. Nobody reads them twice.",
        ),
        (
            "paragraph",  # the block quote, without its "> "
            "The clauses that matter are the ones nobody reads, as every negotiator knows.",
        ),
        ("heading", "What the parties wanted"),
        ("list_item", "Peace on the border, at once."),
        ("list_item", "Trade within a year."),
    ]
    body = result.passages[2]
    assert [body.text[a:b] for a, b in body.emphasis] == ["reads"]
    assert [(n.number, n.position) for n in result.notes] == [(1, 2), (2, 3)]
    assert "[^" not in result.text and "Ames" not in result.text


def test_a_heading_followed_by_an_ordinary_paragraph_stays_a_heading() -> None:
    raw = read_document(filename="a.md", data=b"# Origins\n\nIt began with trade and war.\n")
    passages = split_text(raw.text).passages
    assert [(p.kind, p.text) for p in passages] == [
        ("heading", "Origins"),
        ("paragraph", "It began with trade and war."),
    ]


def test_a_typed_note_marker_in_markdown_cannot_forge_a_call() -> None:
    source = "Forged \ue0001\ue001 here and real.[^a]\n\n[^a]: Real note.\n"
    raw = read_document(filename="a.md", data=source.encode())
    result = split_text(raw.text, notes=raw.notes)
    assert result.passages[0].text == "Forged 1 here and real."
    assert [(n.text, n.offset) for n in result.notes] == [("Real note.", 23)]


def test_a_reference_to_a_missing_footnote_stays_text() -> None:
    raw = read_document(filename="a.md", data=b"A claim.[^gone]\n")
    assert raw.text == "A claim.[^gone]"
    assert raw.notes == ()


def test_a_paragraph_full_of_markup_is_read_by_the_simple_rules_with_a_warning() -> None:
    source = "Intro paragraph.\n\n" + "[x] " * 3000
    raw = read_document(filename="a.md", data=source.encode())
    assert raw.text.startswith("Intro paragraph.")
    assert raw.warnings == (SIMPLER_RULES,)
