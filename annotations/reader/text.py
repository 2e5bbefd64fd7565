"""A passage's text with highlights: emphasis and the set's quote spans.

`text_segments` (annotations/excerpts.py) cuts the text wherever an emphasis or a quote span
starts or ends; `passage_html` renders the segments as <em> and <mark>, adding nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotations.excerpts import text_segments
from annotations.models import Tag, Theme
from readings.models import Passage


def _chip_class(theme: Theme) -> str:
    return f"chip-{theme.colour[1:]}"


def passage_html(passage: Passage, span_tags: Sequence[Tag]) -> SafeString:
    """The passage text with emphasis as <em> and quote spans as <mark>, and nothing else:
    no whitespace is added, so the element's text content is the passage text."""
    if not span_tags and not passage.emphasis:
        return escape(passage.text)  # most passages: nothing to cut
    spans = [(tag.span_start, tag.span_end, tag.theme) for tag in span_tags]
    parts = []
    for segment in text_segments(passage.text, passage.emphasis or [], spans):
        html: str = escape(segment.text)
        if segment.emphasis:
            html = f"<em>{html}</em>"
        if segment.keys:
            themes = list(dict.fromkeys(segment.keys))
            classes = ["quote", _chip_class(themes[0])] + (
                ["quote-multi"] if len(themes) > 1 else []
            )
            html = f'<mark class="{" ".join(classes)}">{html}</mark>'
        parts.append(html)
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above
