"""The reader's filters, read from and written to the query string (pure: no database)."""

from __future__ import annotations

from django.http import QueryDict

from annotations.models import Tag, Theme
from annotations.reader.filters import ReaderFilters

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
