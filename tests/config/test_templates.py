"""Rules for every template that no formatter checks."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ROOT.glob("templates/**/*.html"))


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 40


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_comments_end_on_the_line_they_start(path: Path) -> None:
    """Django's {# #} comment is one line; one that runs on is printed into the page."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        start = line.rfind("{#")
        assert start < 0 or "#}" in line[start:], f"{path.name}:{number}: use {{% comment %}}"
