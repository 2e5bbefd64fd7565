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


# Excerpts: what a handout quotes of a passage (issue 25) ------------------------------------

ELLIPSIS = "…"  # the one mark an excerpt adds to the author's words, where words are left out
WHOLE = "whole"
AUTO = "auto"  # the quote spans where the passage has some, else its first sentences
SENTENCES = "sentences"
EXCERPT_KINDS = (AUTO, SENTENCES, WHOLE)

_TERMINALS = ".!?…"
_CLOSERS = "”\"’'»)]}›"
_OPENERS = "“\"‘'«([{‹„‚"
# A full stop after these is not a sentence's end ("Dr. Ames", "e.g. trade", "vs. Europe").
# fmt: off
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "vs", "cf", "e.g", "i.e", "no", "nos", "vol", "pp",
    "p", "ch", "fig", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "jr", "sr", "inc", "co",
    "corp", "ltd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "approx", "est", "ca", "al",
})
# fmt: on


@dataclass(frozen=True)
class Excerpt:
    """What a handout prints of a passage: (text, highlighted) pieces, the author's words
    and ELLIPSIS pieces where words are left out."""

    pieces: list[tuple[str, bool]]
    kind: str  # WHOLE, "quote" or SENTENCES: what was taken
    shortened: bool  # some of the passage's words are left out

    @property
    def text(self) -> str:
        return "".join(piece for piece, _ in self.pieces)


def _is_space(char: str) -> bool:
    return char.isspace()


def _word_start(text: str, index: int) -> int:
    while index > 0 and not _is_space(text[index - 1]):
        index -= 1
    return index


def _word_end(text: str, index: int) -> int:
    while index < len(text) and not _is_space(text[index]):
        index += 1
    return index


def sentence_ends(text: str) -> list[int]:
    """Where each sentence of `text` ends (after its closing quotes), in order; the last is
    the end of the text. A full stop ends a sentence when a capital or a digit follows, after
    spaces and opening quotes, and it does not close an initial ("Evan S. Medeiros"), an
    abbreviation ("Dr.", "e.g.") or a dotted one ("U.S. officials")."""
    ends: list[int] = []
    size = len(text.rstrip())
    index = 0
    while index < size:
        char = text[index]
        if char not in _TERMINALS:
            index += 1
            continue
        end = index + 1
        while end < size and text[end] in _TERMINALS:
            end += 1
        while end < size and text[end] in _CLOSERS:
            end += 1
        after = end
        while after < size and _is_space(text[after]):
            after += 1
        following = text[after:size].lstrip(_OPENERS)[:1]
        starts_next = after > end and (following.isupper() or following.isdigit())
        if starts_next and (
            char != "." or not _abbreviation(text[_word_start(text, index) : index])
        ):
            ends.append(end)
        index = end
    if size and (not ends or ends[-1] < size):
        ends.append(size)
    return ends


def _abbreviation(word: str) -> bool:
    word = word.lstrip(_OPENERS)
    if len(word) == 1 and word.isalpha():
        return True  # an initial
    return "." in word or word.casefold() in _ABBREVIATIONS


def _first_words(text: str, count: int) -> int:
    """The end of the `count`-th word of `text`."""
    index, seen = 0, 0
    size = len(text)
    while index < size and seen < count:
        while index < size and _is_space(text[index]):
            index += 1
        index = _word_end(text, index)
        seen += 1
    return index


def _sentences(text: str, sentences: int, max_words: int) -> Excerpt:
    """The first `sentences` sentences, fewer if they pass `max_words` words; the first
    sentence alone cut after `max_words` words if it is longer."""
    body = text.strip()
    offset = len(text) - len(text.lstrip())
    ends = sentence_ends(body)
    cut = 0
    for end in ends[: max(1, sentences)]:
        if cut and len(body[:end].split()) > max_words:
            break
        cut = end
    if len(body[:cut].split()) > max_words:
        cut = _first_words(body, max_words)
    taken = body[:cut].rstrip()
    if cut >= len(body):
        return Excerpt([(text[offset : offset + len(body)], False)], SENTENCES, False)
    return Excerpt([(taken, False), (" " + ELLIPSIS, False)], SENTENCES, True)


def _quotes(text: str, spans: list[tuple[int, int]]) -> Excerpt:
    """The quote spans, widened to whole words, merged where they touch, with ELLIPSIS where
    the passage's words between, before or after them are left out."""
    widened = sorted(
        (_word_start(text, start), _word_end(text, end))
        for start, end in spans
        if text[start:end].strip()
    )
    merged: list[list[int]] = []
    for start, end in widened:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[tuple[str, bool]] = []
    body_start = len(text) - len(text.lstrip())
    body_end = len(text.rstrip())
    for index, (start, end) in enumerate(merged):
        quoted = text[start:end].strip()
        if index == 0 and text[body_start:start].strip():
            pieces.append((ELLIPSIS + " ", False))
        elif index > 0:
            pieces.append((" " + ELLIPSIS + " ", False))
        pieces.append((quoted, False))
    shortened = bool(text[body_start : merged[0][0]].strip()) or len(merged) > 1
    if text[merged[-1][1] : body_end].strip():
        pieces.append((" " + ELLIPSIS, False))
        shortened = True
    return Excerpt(pieces, "quote", shortened)


def passage_excerpt(
    text: str,
    spans: Iterable[tuple[int, int]],
    *,
    kind: str = AUTO,
    sentences: int = 2,
    max_words: int = 60,
) -> Excerpt:
    """What a handout quotes of a passage whose tags quote `spans` (offsets in `text`; a
    whole-passage tag is (0, 0)): the whole text with the spans highlighted, the spans alone
    (AUTO, where there are some), or the first `sentences` sentences up to `max_words` words.
    Never a cut inside a word; every character is the passage's own, or ELLIPSIS."""
    size = len(text)
    quoted = [
        (max(0, start), min(size, end)) for start, end in spans if min(size, end) > max(0, start)
    ]
    if kind == WHOLE or not text.strip():
        return Excerpt(highlight_pieces(text, quoted), WHOLE, False)
    if kind == AUTO and any(text[s:e].strip() for s, e in quoted):
        return _quotes(text, quoted)
    return _sentences(text, sentences, max_words)
