"""The reader's pure pieces: cutting a passage into highlighted segments, and its filters."""

from __future__ import annotations

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from annotations.models import Tag, Theme
from annotations.reader.filters import ReaderFilters
from annotations.reader.text import text_segments

TEXT = "Trade binds them; security divides them."


def test_segments_join_back_to_the_text_with_spans_and_emphasis_marked() -> None:
    segments = text_segments(TEXT, emphasis=[[18, 26]], spans=[(0, 11, "trade"), (6, 16, "ties")])
    assert "".join(s.text for s in segments) == TEXT
    assert [(s.text, s.emphasis, s.keys) for s in segments] == [
        ("Trade ", False, ("trade",)),
        ("binds", False, ("trade", "ties")),
        (" them", False, ("ties",)),
        ("; ", False, ()),
        ("security", True, ()),
        (" divides them.", False, ()),
    ]


def test_offsets_beyond_the_text_are_clamped_and_empty_spans_dropped() -> None:
    segments = text_segments("short", emphasis=[[3, 99]], spans=[(2, 2, "empty"), (4, 50, "x")])
    assert [(s.text, s.emphasis, s.keys) for s in segments] == [
        ("sho", False, ()),
        ("r", True, ()),
        ("t", True, ("x",)),
    ]


@given(
    text=st.text(min_size=1, max_size=40),
    cuts=st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45)), max_size=6),
)
def test_segments_always_rebuild_the_text_exactly(text: str, cuts) -> None:
    spans = [(min(a, b), max(a, b), i) for i, (a, b) in enumerate(cuts)]
    segments = text_segments(text, emphasis=[], spans=spans)
    assert "".join(s.text for s in segments) == text
    assert all(s.text for s in segments)


# Unsaved instances: the filters only read pk, slug and theme_id.
THEMES = [Theme(pk=1, slug="trade"), Theme(pk=2, slug="taiwan")]


def test_filters_read_and_write_get_parameters() -> None:
    filters = ReaderFilters.from_params(
        QueryDict("only=tagged&theme=taiwan&layout=parallel"), THEMES
    )
    assert filters.tagged_only and filters.theme is THEMES[1] and filters.parallel
    assert filters.query() == "?only=tagged&theme=taiwan"
    assert filters.query(layout=True, open=7) == "?only=tagged&theme=taiwan&layout=parallel&open=7"
    assert ReaderFilters.from_params(QueryDict("theme=unknown"), THEMES).theme is None
    assert ReaderFilters().query() == ""


def test_filters_decide_what_shows() -> None:
    trade, taiwan = Tag(theme_id=1), Tag(theme_id=2)
    assert ReaderFilters().shows([])
    assert not ReaderFilters(tagged_only=True).shows([])
    assert ReaderFilters(tagged_only=True).shows([taiwan])
    assert not ReaderFilters(theme=THEMES[0]).shows([taiwan])
    assert ReaderFilters(theme=THEMES[0]).shows([taiwan, trade])
