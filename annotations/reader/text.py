"""A passage's text with highlights: emphasis and the set's quote spans.

`text_segments` cuts the text wherever an emphasis or a quote span starts or ends (pure Python);
`passage_html` renders the segments as <em> and <mark>, adding nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotations.models import Tag, Theme
from readings.models import Passage


@dataclass(frozen=True)
class Segment:
    text: str
    emphasis: bool
    keys: tuple  # whatever the caller marks the span with (here: themes), in span order


def text_segments(
    text: str, emphasis: Iterable[Sequence[int]], spans: Iterable[tuple[int, int, object]]
) -> list[Segment]:
    """Cut `text` wherever an emphasis or a quote span starts or ends.

    Offsets are code points relative to `text`, end exclusive; out-of-range ones are clamped.
    The segments' texts joined give back `text` exactly, which the reader's script relies on to
    turn a selection into offsets.
    """
    size = len(text)
    emphasis = [(max(0, s), min(size, e)) for s, e in emphasis if min(size, e) > max(0, s)]
    spans = [(max(0, s), min(size, e), key) for s, e, key in spans if min(size, e) > max(0, s)]
    cuts = sorted(
        {0, size, *(x for s, e in emphasis for x in (s, e))}
        | {x for s, e, _ in spans for x in (s, e)}
    )
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        segments.append(
            Segment(
                text=text[start:end],
                emphasis=any(s <= start and end <= e for s, e in emphasis),
                keys=tuple(key for s, e, key in spans if s <= start and end <= e),
            )
        )
    return segments


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
