"""A passage's text cut up: at its emphasis and quote spans, or down to a few words.

The reader's highlights, the compare columns' and the handouts' quotes are cut by
`text_segments`; the agreement pages' excerpts and the handouts' context by `cut_to_words`.
Pure Python, no Django (tests/annotations/test_excerpts.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby


@dataclass(frozen=True)
class Segment[K]:
    text: str
    emphasis: bool
    keys: tuple[K, ...]  # whatever the caller marks the spans with, in span order


def text_segments[K](
    text: str, emphasis: Iterable[Sequence[int]], spans: Iterable[tuple[int, int, K]]
) -> list[Segment[K]]:
    """Cut `text` wherever an emphasis or a quote span starts or ends.

    Offsets are code points relative to `text`, end exclusive; out-of-range ones are clamped.
    The segments' texts joined give back `text` exactly, which the reader's script relies on to
    turn a selection into offsets.
    """
    size = len(text)
    stressed = [(max(0, s), min(size, e)) for s, e in emphasis if min(size, e) > max(0, s)]
    quoted = [(max(0, s), min(size, e), key) for s, e, key in spans if min(size, e) > max(0, s)]
    cuts = sorted(
        {0, size, *(x for s, e in stressed for x in (s, e))}
        | {x for s, e, _ in quoted for x in (s, e)}
    )
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        segments.append(
            Segment(
                text=text[start:end],
                emphasis=any(s <= start and end <= e for s, e in stressed),
                keys=tuple(key for s, e, key in quoted if s <= start and end <= e),
            )
        )
    return segments


def highlight_pieces(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut at the quote spans, as (text, highlighted) pieces: overlapping and touching
    spans make one piece; whole-passage tags (0, 0) highlight nothing. The pieces are plain
    text: the template escapes them."""
    segments = text_segments(text, [], [(start, end, True) for start, end in spans])
    return [
        ("".join(segment.text for segment in run), quoted)
        for quoted, run in groupby(segments, key=lambda segment: bool(segment.keys))
    ]


def cut_to_words(text: str, count: int, *, from_end: bool = False, ellipsis: str = "") -> str:
    """At most `count` words of `text`, its first or (`from_end`) its last, one space apart;
    `ellipsis` stands where words were left out, if any were."""
    words = text.split()
    if len(words) <= count:
        return " ".join(words)
    if from_end:
        return ellipsis + " ".join(words[-count:])
    return " ".join(words[:count]) + ellipsis
