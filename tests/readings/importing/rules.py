"""Run the splitter's rules one at a time, for the rule tests."""

from __future__ import annotations

from readings.importing.blocks import Unit, units_from_text
from readings.importing.normalise import normalise_text


def units(text: str) -> list[Unit]:
    return units_from_text(normalise_text(text))


def roles(items: list[Unit]) -> list[tuple[str, str]]:
    return [(u.role, u.text) for u in items]
