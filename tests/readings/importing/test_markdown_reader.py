from __future__ import annotations

from readings.importing import read_document, split_text


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
    assert raw.text == "# Introduction\n\nSee the essay and  *now*.\n"
    passages = split_text(raw.text).passages
    assert [(p.kind, p.text) for p in passages] == [
        ("heading", "Introduction"),
        ("paragraph", "See the essay and now."),
    ]


def test_inline_author_list() -> None:
    raw = read_document(filename="a.markdown", data=b"---\nauthors: [Ann Lee, Bo Sun]\n---\nText.")
    assert raw.metadata == {"authors": "Ann Lee, Bo Sun"}
    assert raw.text == "Text."
