"""PDFs read by their layout, as a person reads the page: typeset with WeasyPrint (hyphenation,
running heads, page numbers, columns, footnotes, pull quotes), then imported."""

from __future__ import annotations

import pytest

from readings.importing import read_document, split_text
from readings.importing.readers.pdf import NO_ENCODING, read_pdf
from readings.importing.readers.pdf.hyphens import Vocabulary, join_lines
from readings.importing.readers.pdf.lines import Line, Page, plain
from readings.importing.readers.pdf.roles import mark_furniture
from tests.readings.importing.builders import text_pdf, typeset_pdf

PROSE = (
    "The internationalisation of the currency was characteristically overstated by "
    "representatives of the administration, notwithstanding the comprehensively documented "
    "objections of the parliamentary opposition and of the independent auditors. "
)


def passages(data: bytes) -> list[tuple[str, str]]:
    raw = read_document(filename="article.pdf", data=data)
    return [(p.kind, p.text) for p in split_text(raw.text).passages]


def body(data: bytes) -> list[str]:
    return [text for kind, text in passages(data) if kind == "paragraph"]


# Hyphens -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("the nation\u2010", "al interest", "the national interest"),
        ("the inter-", "national order", "the international order"),
        ("a long-", "term view", "a long-term view"),
        ("a well-", "known economist", "a well-known economist"),
        ("the Moscow-", "Beijing axis", "the Moscow-Beijing axis"),
        ("the twenty-first-cen\u2010", "tury balance", "the twenty-first-century balance"),
        ("counter\u00ad", "productive", "counterproductive"),
        ("in 2019-", "2020", "in 2019- 2020"),
    ],
)
def test_a_line_end_hyphen_is_rejoined_unless_it_is_a_compounds(
    left: str, right: str, joined: str
) -> None:
    assert join_lines(left, right, Vocabulary()) == joined


def test_the_documents_own_spelling_decides_before_the_word_list() -> None:
    vocabulary = Vocabulary()
    assert join_lines("so counter-", "productive", vocabulary) == "so counterproductive"
    vocabulary.add_line("it was counter-productive, as counter-productive as ever")
    assert join_lines("so counter-", "productive", vocabulary) == "so counter-productive"
    vocabulary.add_line("a longterm plan, and another longterm plan")
    assert join_lines("a long-", "term plan", vocabulary) == "a longterm plan"


def test_hyphenated_justified_text_comes_out_word_for_word() -> None:
    data = typeset_pdf(f"<p>{PROSE * 6}</p><p>{PROSE * 3}</p>", "p { width: 60mm }")
    assert body(data) == [(PROSE * 6).strip(), (PROSE * 3).strip()]


# Furniture and page breaks ----------------------------------------------------------------------

FURNITURE_CSS = """
@page { @top-center { content: "JOURNAL OF COMPARATIVE POLITICS"; font-size: 8pt }
        @bottom-center { content: counter(page); font-size: 9pt } }
@page :first { @top-center { content: none } }
"""


def test_running_heads_and_page_numbers_are_dropped_and_paragraphs_rejoined_across_pages() -> None:
    paragraphs = [f"Paragraph {n}. " + PROSE * (4 + n % 3) for n in range(1, 13)]
    data = typeset_pdf("".join(f"<p>{p}</p>" for p in paragraphs), FURNITURE_CSS)
    found = passages(data)
    assert [text for _, text in found] == [p.strip() for p in paragraphs]
    assert not any("JOURNAL" in text for _, text in found)


def test_furniture_rule_needs_repetition_at_the_same_height_or_a_bare_number() -> None:
    def page(number: int, *lines: tuple[float, str]) -> Page:
        made = [Line(number, 70, y, 520, y + 10, text, 10) for y, text in lines]
        return Page(number, 595, 842, made)

    body = [(300, "Body text that goes on and on."), (314, "More body text.")]
    pages = [
        page(1, (40, "A Journal 1"), *body, (800, "1")),
        page(2, (40, "A Journal 2"), *body, (800, "2")),
        page(3, (300, "A Journal 3"), (800, "ii")),
    ]
    mark_furniture(pages)
    roles = [[(line.text, line.role) for line in p.lines] for p in pages]
    assert roles[0] == [
        ("A Journal 1", "furniture"),
        ("Body text that goes on and on.", ""),
        ("More body text.", ""),
        ("1", "furniture"),
    ]
    assert roles[2] == [("A Journal 3", ""), ("ii", "furniture")]  # mid-page: text


# Columns, title, notes, pull quotes -------------------------------------------------------------


def test_two_columns_are_read_left_column_first_under_a_two_line_title() -> None:
    paragraphs = [f"Paragraph {n}. " + PROSE * 3 for n in range(1, 7)]
    data = typeset_pdf(
        "<h1>A Title Long Enough to Be Set on Two Lines of Large Type</h1>"
        f'<div class="cols">{"".join(f"<p>{p}</p>" for p in paragraphs)}</div>',
        "h1 { font: bold 24pt 'DejaVu Sans'; width: 120mm } .cols { column-count: 2 }",
        title="Microsoft Word - draft3.docx",  # the metadata's title: what the page shows wins
    )
    raw = read_document(filename="article.pdf", data=data)
    assert raw.metadata["title"] == "A Title Long Enough to Be Set on Two Lines of Large Type"
    found = [(p.kind, p.text) for p in split_text(raw.text).passages]
    assert found[0] == ("front_matter", raw.metadata["title"])
    assert [text for kind, text in found[1:]] == [p.strip() for p in paragraphs]


def test_footnotes_are_handed_on_as_notes_called_from_their_sentence() -> None:
    data = typeset_pdf(
        f"<p>{PROSE}It was argued.<span class=n>See the report of 2018, p. 4.</span> "
        f"{PROSE}</p><p>{PROSE.strip()}<span class=n>Interview, Brussels, 2021.</span></p>",
        ".n { float: footnote; font-size: 8pt }"
        " ::footnote-call { vertical-align: super; font-size: 6pt }"
        " ::footnote-marker { font-size: 7pt }",
    )
    raw = read_document(filename="article.pdf", data=data)
    assert raw.notes == ("See the report of 2018, p. 4.", "Interview, Brussels, 2021.")
    first, second = raw.text.split("\n\n")
    assert "It was argued.\ue0001\ue001 The internationalisation" in first
    assert second.endswith("independent auditors.\ue0002\ue001")
    assert "Brussels" not in raw.text


def test_a_pull_quote_is_read_after_the_paragraph_it_interrupts() -> None:
    quote = "Nobody expected the reforms to succeed."
    paragraph = PROSE * 4 + quote + " " + PROSE * 4
    data = typeset_pdf(
        f"<p>{PROSE * 2}</p><aside>{quote}</aside><p>{paragraph}</p>",
        "aside { float: right; width: 50%; font: italic 15pt 'DejaVu Sans'; margin: 6pt }",
    )
    assert passages(data) == [
        ("paragraph", (PROSE * 2).strip()),
        ("paragraph", paragraph.strip()),
        ("pull_quote", quote),
    ]


# Characters -------------------------------------------------------------------------------------


def test_ligatures_become_letters_and_nothing_else_is_compatibility_mapped() -> None:
    assert plain("e\ufb00ective \ufb01rst  o\ufb03ce x²") == "effective first office x²"


def test_text_whose_font_names_no_letters_is_refused_with_what_would_read_it() -> None:
    data = text_pdf([["\x01\x02\x03\x04\x05 \x06\x07\x08\x0e\x0f"]])
    with pytest.raises(Exception) as caught:
        read_pdf(data)
    assert getattr(caught.value, "message", "") == NO_ENCODING


def test_a_character_whose_font_names_no_letter_is_left_out_with_a_warning() -> None:
    raw = read_pdf(text_pdf([["An ordinary line of text with one odd \x01 character in it."]]))
    assert raw.text == "An ordinary line of text with one odd character in it."
    assert raw.warnings == (
        "1 character of the PDF does not say which letter it shows (its font has no text "
        "encoding for it) and was left out.",
    )


def test_a_caption_in_small_type_is_read_after_the_paragraph_around_its_figure() -> None:
    caption = "Figure 1. Exports by region, 2014-2016."
    first, rest = PROSE * 3, PROSE * 3
    data = typeset_pdf(
        f'<p>{first}<span class="fig"><span class="box"></span>'
        f'<span class="cap">{caption}</span></span>{rest}</p>',
        ".fig { float: right; width: 45%; margin: 6pt } .box { display: block; height: 30mm;"
        " border: 1pt solid } .cap { display: block; font-size: 7.5pt; text-align: left }",
    )
    assert passages(data) == [
        ("paragraph", (first + rest).strip()),
        ("paragraph", caption),
    ]


def test_ragged_right_paragraphs_are_told_apart_by_their_indent_not_their_line_ends() -> None:
    sentences = [
        "Exports fell.",
        "The ministry hesitated for months.",
        "Nobody in the capital expected the reforms to succeed at all.",
        "Its critics said so.",
    ]
    paragraphs = [" ".join((sentences[k % 4 :] + sentences[: k % 4]) * 3) for k in range(8)]
    data = typeset_pdf(
        f'<div class="cols">{"".join(f"<p>{p}</p>" for p in paragraphs)}</div>',
        "body { text-align: left } .cols { column-count: 2 }",
    )
    assert body(data) == [p.strip() for p in paragraphs]
