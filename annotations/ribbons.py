"""Where each theme occurs along a reading: a lane per theme, a mark per passage tagged with it,
placed by where the passage stands in the text.

The reader draws one reading's lanes down the side of the text (annotations/reader/passages.py),
the overview each reading's lanes across the page (annotations/compare/gather.py); both build
them with `RibbonBuilder`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from annotations.models import Theme

RIBBON_LENGTH = 1000  # SVG user units from the beginning of the text to its end


@dataclass(frozen=True)
class RibbonMark:
    href: str
    label: str
    at: int  # where the passage starts, in RIBBON_LENGTH units
    size: int  # how far it reaches, at least the builder's `min_size`


@dataclass(frozen=True)
class RibbonLane:
    theme: Theme
    marks: list[RibbonMark]

    @property
    def marks_html(self) -> SafeString:
        """The marks as SVG links down the reader's 12-unit-wide bar: a page has hundreds,
        too many for a template loop."""
        name = self.theme.name
        return format_html_join(
            "",
            '<a href="{}" aria-label="{}, {}"><rect class="reader-ribbon-mark" x="0" y="{}"'
            ' width="12" height="{}"/></a>',
            ((mark.href, name, mark.label, mark.at, mark.size) for mark in self.marks),
        )


class RibbonBuilder:
    """One reading's ribbon: its tagged passages added one by one, then a lane per theme."""

    def __init__(self, length: int, *, min_size: int) -> None:
        self.length = max(length, 1)  # where the reading's last passage ends
        self.min_size = min_size  # so that a one-line passage stays visible and clickable
        self.marks: defaultdict[int, list[RibbonMark]] = defaultdict(list)

    def add(self, theme_id: int, start: int, end: int, *, href: str, label: str) -> None:
        """A mark for the passage text[start:end] in the theme's lane, kept inside the ribbon."""
        size = max(self.min_size, round((end - start) * RIBBON_LENGTH / self.length))
        at = min(round(start * RIBBON_LENGTH / self.length), RIBBON_LENGTH - size)
        self.marks[theme_id].append(RibbonMark(href=href, label=label, at=at, size=size))

    def lanes(self, themes: Iterable[Theme]) -> list[RibbonLane]:
        """A lane per theme, in the order given; a theme without marks has an empty one."""
        return [RibbonLane(theme=theme, marks=self.marks[theme.pk]) for theme in themes]
