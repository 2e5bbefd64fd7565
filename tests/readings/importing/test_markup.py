from __future__ import annotations

import pytest

from readings.importing.markup import Marked, join_marked, parse_inline


def emphasised(marked: Marked) -> list[str]:
    return [marked.text[a:b] for a, b in marked.emphasis]


def test_emphasis_markers_become_spans() -> None:
    marked = parse_inline("Nixon wrote in *Foreign Affairs* in 1967")
    assert marked.text == "Nixon wrote in Foreign Affairs in 1967"
    assert marked.emphasis == ((15, 30),)


@pytest.mark.parametrize(
    ("source", "text", "spans"),
    [
        ("**bold** and _it_", "bold and it", ["bold", "it"]),
        ("__strong__ words", "strong words", ["strong"]),
        ("*outer **inner** outer*", "outer inner outer", ["outer inner outer"]),
        ("***both***", "both", ["both"]),
        ("un*believ*able", "unbelievable", ["believ"]),
    ],
)
def test_emphasis_variants(source: str, text: str, spans: list[str]) -> None:
    marked = parse_inline(source)
    assert marked.text == text
    assert emphasised(marked) == spans


@pytest.mark.parametrize(
    "literal",
    ["5 * 3 = 15", "snake_case_name", "a* b*", "*", "**", "_ _", "price: 3*", "x_1 and y_2"],
)
def test_markers_that_open_or_close_nothing_stay(literal: str) -> None:
    marked = parse_inline(literal)
    assert marked.text == literal
    assert marked.emphasis == ()


@pytest.mark.parametrize(
    ("source", "text"),
    [
        (r"\$240 billion", "$240 billion"),
        (r"\*not emphasis\*", "*not emphasis*"),
        (r"\_x\_", "_x_"),
        (r"a \\ b", "a \\ b"),
        (r"\# not a heading", "# not a heading"),
        (r"\- not a bullet", "- not a bullet"),
        (r"\• not a bullet", "• not a bullet"),
        (r"C:\Users\me", r"C:\Users\me"),  # a backslash before a letter is no escape
        ("ends with \\", "ends with \\"),
    ],
)
def test_escapes(source: str, text: str) -> None:
    assert parse_inline(source).text == text


def test_escaped_backslash_does_not_escape_the_marker_after_it() -> None:
    marked = parse_inline(r"\\*x*")
    assert marked.text == "\\x"
    assert emphasised(marked) == ["x"]


def test_text_is_recomposed_after_markers_go() -> None:
    marked = parse_inline("e*\u0301*")
    assert marked.text == "é"


def test_many_unmatched_openers_are_linear_not_quadratic() -> None:
    # With one shared stack, each closer would scan every opener of the other kind.
    source = "_a " * 20_000 + "b* " * 20_000
    marked = parse_inline(source)
    assert marked.text == source.strip()


def test_join_marked_moves_spans() -> None:
    joined = join_marked([parse_inline("a *b*"), parse_inline("*c* d")])
    assert joined.text == "a b c d"
    assert emphasised(joined) == ["b", "c"]
