"""Each reader and the splitter under the limits of readings.importing.limits (issue 19, item
2): what once took minutes or gigabytes is refused with a message, or is now linear.

Timing is asserted only where the old code was worse by orders of magnitude (quadratic
patterns on 100 KB), so a loaded machine does not make these fail; the budgets themselves are
tested with a clock that moves when told to."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from docx.styles.styles import Styles

from readings.importing import ImportRejected, read_document, split_text
from readings.importing.limits import Budget, Limits
from readings.importing.markup import parse_inline
from readings.importing.readers import pdf as pdf_reader
from readings.importing.readers.docx import read_docx
from readings.importing.readers.html import html_to_text
from readings.importing.readers.pdf import read_pdf
from tests.readings.importing.builders import text_pdf, word_document
from tests.security.hostile import files


class Ticking:
    """A clock that moves a second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1
        return self.now


def rejection(filename: str, data: bytes) -> str:
    with pytest.raises(ImportRejected) as caught:
        read_document(filename=filename, data=data)
    return caught.value.message


def refusal(read: Callable[[], object]) -> str:
    with pytest.raises(ImportRejected) as caught:
        read()
    return caught.value.message


# Splitting --------------------------------------------------------------------------------------


def test_more_paragraphs_than_passages_allowed_are_refused_before_any_is_built() -> None:
    text = "\n\n".join(f"Paragraph {n}." for n in range(1000))
    with pytest.raises(ImportRejected) as caught:
        split_text(text, Budget(Limits(max_passages=500)))
    assert caught.value.message == (
        "The text has more than 500 paragraphs, more than one reading can hold and still be "
        "read and compared. Split it into several readings (a chapter each, say) and upload "
        "them one by one."
    )
    assert len(split_text(text, Budget(Limits(max_passages=1000))).passages) == 1000


def test_list_items_count_as_passages_too() -> None:
    with pytest.raises(ImportRejected, match="more than 500 paragraphs"):
        split_text("\n".join(f"- item {n}" for n in range(1000)), Budget(Limits(max_passages=500)))


def test_a_block_of_millions_of_markers_is_stopped_by_the_time_budget() -> None:
    budget = Budget(Limits(seconds=10), what="The text", clock=Ticking())
    with pytest.raises(ImportRejected, match="The text took longer than 10 s to read"):
        parse_inline("*a _b " * 200_000, budget)


def test_a_paragraph_of_more_markers_than_elements_allowed_is_refused() -> None:
    with pytest.raises(ImportRejected) as caught:
        parse_inline("*a _b " * 10_000, Budget(Limits(max_elements=5000), what="The text"))
    assert caught.value.message.startswith(
        "The text holds more than 5,000 emphasis markers (* and _) in one paragraph"
    )


def test_splitting_stops_at_the_deadline() -> None:
    with pytest.raises(ImportRejected, match="The text took longer than 5 s to read"):
        split_text(
            files.prose(100_000), Budget(Limits(seconds=5), what="The text", clock=Ticking())
        )


# Markdown ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["[", "![", "[a](", "x \u00a0"])
def test_markdown_patterns_are_linear_on_one_long_line(unit: str) -> None:
    """Each of these lines took minutes (quadratic backtracking) at 100 KB; now milliseconds."""
    data = (unit * (100_000 // len(unit))).encode()
    start = time.process_time()
    read_document(filename="line.md", data=data)
    assert time.process_time() - start < 1


def test_read_document_reads_under_the_callers_budget_named_for_the_format() -> None:
    data = ("<p>x</p>" * 20).encode()
    with pytest.raises(ImportRejected, match="^The HTML file holds more than 10 elements"):
        read_document(filename="a.html", data=data, budget=Budget(Limits(max_elements=10)))
    assert rejection("deep.htm", b"<i>" * 300).startswith("The HTML file nests more than 200")


def test_markdown_links_images_and_setext_headings_still_read() -> None:
    source = "Title  \n=====\n\n[a link](http://x) and ![img](y.png) end\n\n[not [nested]](z)"
    assert read_document(filename="a.md", data=source.encode()).text == (
        # CommonMark: balanced brackets nest inside a link's text.
        "# Title\n\na link and end\n\nnot [nested]"
    )


# HTML -------------------------------------------------------------------------------------------


def test_deeply_nested_html_is_refused_before_it_is_sanitised() -> None:
    page = "<div>" * 300 + "deep" + "</div>" * 300
    assert rejection("deep.html", page.encode()) == (
        "The HTML file nests more than 200 levels deep; real files nest a few dozen at most, so "
        "it was not read. Save it again from the program that made it and upload it again."
    )


def test_html_with_more_tags_than_the_limit_is_refused_before_it_is_parsed() -> None:
    page = "<p>x</p>" * 200
    message = refusal(lambda: html_to_text(page, Budget(Limits(max_elements=100))))
    assert message.startswith("The file holds more than 100 elements (tags)")


def test_open_formatting_is_not_rebuilt_after_every_block() -> None:
    """html5ever (under nh3) rebuilt the 150 <b> closed by the first </div> inside each of
    10,000 more: 130 KB of HTML became 1.5 million elements and took seconds."""
    bold = "".join(f'<b id="{n}">' for n in range(150))
    page = f"<div>{bold}</div>" + "<div>x</div>" * 10_000
    start = time.process_time()
    text = html_to_text(page)
    assert time.process_time() - start < 1
    assert text.count("x") == 10_000


# Word -------------------------------------------------------------------------------------------


def test_styles_are_looked_up_once_per_document_not_once_per_run(monkeypatch) -> None:
    """python-docx scans every style for the default of each run without a style of its own:
    12 ms a run. The reader reads the names once."""
    data = word_document(lambda document: [document.add_paragraph("word " * 5) for _ in range(200)])
    calls = []
    default = Styles.default

    def counted(self, kind):
        calls.append(kind)
        return default(self, kind)

    monkeypatch.setattr(Styles, "default", counted)
    raw = read_document(filename="runs.docx", data=data)
    assert raw.text.count("word") == 1000
    assert len(calls) <= 4


def test_a_word_document_with_more_elements_than_allowed_is_refused_while_unpacking() -> None:
    data = word_document(lambda document: [document.add_paragraph("p") for _ in range(300)])
    message = refusal(lambda: read_docx(data, Budget(Limits(max_elements=500), what="The docx")))
    assert message.startswith("The docx holds more than 500 elements (tags)")


def test_a_deeply_nested_word_document_says_so() -> None:
    assert rejection("deep.docx", files.nested_docx(300).data).startswith(
        "The Word document nests more than 200 levels deep"
    )


def test_a_word_document_whose_text_does_not_unpack_says_which_part() -> None:
    assert rejection("corrupt.docx", files.corrupt_deflate_docx().data) == (
        "The Word document is damaged: word/document.xml cannot be unpacked. Export it again "
        "and upload it again."
    )


# PDF --------------------------------------------------------------------------------------------


def test_a_pdf_with_more_pages_than_allowed_is_refused_from_its_page_count() -> None:
    data = text_pdf([["A line."]] * 5)
    assert refusal(lambda: read_pdf(data, Budget(Limits(max_pages=4)))) == (
        "The PDF has 5 pages; one reading may have at most 4. Split it into smaller PDFs (a "
        "chapter each, say) and upload them one by one."
    )


def test_the_deadline_is_checked_inside_a_page_not_only_between_pages() -> None:
    data = text_pdf([[f"Line {n} of one very long page." for n in range(600)]])
    # Read once when made, once before the page, then every 256 lines shown: the third read
    # inside the page is past the deadline.
    budget = Budget(Limits(seconds=2), what="The PDF", clock=Ticking())
    message = refusal(lambda: read_pdf(data, budget))
    assert message.startswith("The PDF took longer than 2 s to read")


def test_a_page_of_more_drawing_instructions_than_allowed_is_refused_as_too_complex(
    monkeypatch,
) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CONTENT", 1_000)
    data = text_pdf([["Short page."], [f"Line {n}." for n in range(100)]])
    assert rejection("complex.pdf", data) == (
        "Page 2 of the PDF is far more complex than a page of text (drawing instructions of "
        "more than 1,000 bytes), so the PDF was not read. Print it to a new PDF, or export its "
        "text, and upload that."
    )
