"""The copy form's title: something a person can read."""

from __future__ import annotations

import pytest

from annotations.lifecycle.forms import SeminarCopyForm


@pytest.mark.parametrize("title", ["   ", "\x00\x01", "\u200b", "\u200b \u2060"])
def test_a_title_with_nothing_visible_is_refused(title: str) -> None:
    form = SeminarCopyForm({"title": title})
    assert not form.is_valid()
    assert form.errors["title"] == ["Give the new seminar a title."]


def test_a_title_is_kept_as_typed_without_the_spaces_around_it() -> None:
    form = SeminarCopyForm({"title": "  Reading Power, autumn  ", "term": "Autumn 2027"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Reading Power, autumn"
