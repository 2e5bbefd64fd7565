"""Each reader and the splitter under the limits of readings.importing.limits (issue 19, item
2): what once took minutes or gigabytes is refused with a message, or is now linear.

Timing is asserted only where the old code was worse by orders of magnitude (quadratic
patterns on 100 KB), so a loaded machine does not make these fail; the budgets themselves are
tested with a clock that moves when told to."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from readings.importing import ImportRejected, read_document, split_text
from readings.importing.limits import Budget, Limits
from readings.importing.markup import parse_inline
from readings.importing.readers.html import html_to_text
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


def test_splitting_stops_at_the_deadline() -> None:
    with pytest.raises(ImportRejected, match="The text took longer than 5 s to read"):
        split_text(
            files.prose(100_000), Budget(Limits(seconds=5), what="The text", clock=Ticking())
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
