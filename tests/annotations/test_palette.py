from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotations.palette import (
    BLACK,
    PALETTE,
    WHITE,
    colour_is_accessible,
    contrast_ratio,
    next_colour,
    relative_luminance,
    text_colour_for,
)

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "counterpoint.css"


@pytest.mark.parametrize(("colour", "name"), PALETTE, ids=[name for _, name in PALETTE])
def test_every_palette_colour_passes_the_contrast_checks(colour: str, name: str) -> None:
    assert colour_is_accessible(colour)
    assert contrast_ratio(colour, text_colour_for(colour)) >= 4.5
    assert contrast_ratio(colour, "#fbfaf7") >= 3


def test_palette_colours_and_names_are_distinct_lowercase_hex() -> None:
    colours = [colour for colour, _ in PALETTE]
    names = [name for _, name in PALETTE]
    assert len(set(colours)) == len(colours) and len(set(names)) == len(names)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for colour in colours)


def test_contrast_ratio_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)
    assert contrast_ratio("#1f77b4", "#1f77b4") == pytest.approx(1)
    # WebAIM's checker: #767676 on white is the classic just-passing AA grey, 4.54:1.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert relative_luminance("#ffffff") == pytest.approx(1)
    assert relative_luminance("#000000") == pytest.approx(0)


def test_text_colour_is_the_one_that_reads_better() -> None:
    assert text_colour_for("#000000") == WHITE
    assert text_colour_for("#1f4e79") == WHITE
    assert text_colour_for("#ffffff") == BLACK
    assert text_colour_for("#ffd700") == BLACK
    for colour, _ in PALETTE:
        chosen = text_colour_for(colour)
        other = BLACK if chosen == WHITE else WHITE
        assert contrast_ratio(colour, chosen) >= contrast_ratio(colour, other)


@pytest.mark.parametrize(
    "colour",
    [
        "#ffff00",  # yellow: black text passes, but the chip vanishes on the light page
        "#eeeeee",  # too close to the page
        "#808080",  # mid grey: neither white nor near-black text reaches 4.5:1
        "#ff7f0e",  # matplotlib orange: dark text reads, but the chip fades into the page
        "#fbfaf7",  # the page itself
    ],
)
def test_colours_that_fail_either_check_are_refused(colour: str) -> None:
    assert not colour_is_accessible(colour)


def test_next_colour_takes_the_first_unused_and_cycles_when_all_are_used() -> None:
    assert next_colour(set()) == PALETTE[0][0]
    assert next_colour({PALETTE[0][0], PALETTE[2][0]}) == PALETTE[1][0]
    every = {colour for colour, _ in PALETTE}
    assert next_colour(every) in every


def test_the_stylesheet_has_a_rule_for_every_palette_colour() -> None:
    """Templates set a theme's colour by class (the CSP forbids style attributes)."""
    css = STYLESHEET.read_text(encoding="utf-8")
    for colour, name in PALETTE:
        rule = re.search(rf"\.chip-{colour[1:]}\s*\{{([^}}]*)\}}", css)
        assert rule, f"No .chip-{colour[1:]} rule for {name} in {STYLESHEET.name}"
        assert f"--theme: {colour};" in rule.group(1)
        assert f"--theme-text: {text_colour_for(colour)};" in rule.group(1)
