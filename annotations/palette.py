"""The theme palette: colours a chip can carry with readable text, in light and dark schemes.

Pure Python (no Django) so the contrast rules are tested on their own. Chips always show the
theme's name too: colour is never the only signal.
"""

from __future__ import annotations

# Okabe-Ito-inspired hues, darkened or lightened until each passes the checks below.
PALETTE: tuple[tuple[str, str], ...] = (
    ("#1f77b4", "Blue"),
    ("#b35900", "Orange"),
    ("#1a7f5a", "Green"),
    ("#a8326e", "Magenta"),
    ("#6a4fb3", "Violet"),
    ("#8a6d00", "Ochre"),
    ("#0f7c8c", "Teal"),
    ("#b02a2a", "Red"),
    ("#4d5a68", "Slate"),
)

WHITE = "#ffffff"
BLACK = "#1d1d1f"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of '#rrggbb'."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio, from 1 (none) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_for(background: str) -> str:
    """White or near-black, whichever reads better on `background`."""
    if contrast_ratio(background, WHITE) >= contrast_ratio(background, BLACK):
        return WHITE
    return BLACK


def colour_is_accessible(colour: str) -> bool:
    """Chip text passes AA (4.5:1) and the chip stands out from the light page (3:1).

    On the dark page the chip's text and border carry it; the colour is a second signal only.
    """
    return (
        contrast_ratio(colour, text_colour_for(colour)) >= 4.5
        and contrast_ratio(colour, "#fbfaf7") >= 3
    )


def next_colour(used: set[str]) -> str:
    """The first palette colour not yet used, cycling when all are."""
    for colour, _ in PALETTE:
        if colour not in used:
            return colour
    return PALETTE[len(used) % len(PALETTE)][0]
