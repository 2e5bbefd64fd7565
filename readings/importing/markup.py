"""Inline light Markdown: backslash escapes and emphasis, turned into plain text plus spans."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from itertools import pairwise

from readings.importing.limits import Budget

Span = tuple[int, int]

# CommonMark's escapable ASCII punctuation, plus the bullets and dashes the readers escape at the
# start of a block so they are not mistaken for list markers.
ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~•–—")
_ESCAPE_RE = re.compile(r"\\([" + re.escape("".join(sorted(ESCAPABLE))) + "])")
_RUN_RE = re.compile(r"\*+|_+")


@dataclass(frozen=True)
class Marked:
    """Plain text with emphasised spans (code-point offsets into `text`, end exclusive)."""

    text: str
    emphasis: tuple[Span, ...] = ()
    # Note calls taken out of the text: (offset into `text`, note number); see notes.py.
    calls: tuple[tuple[int, int], ...] = ()


@dataclass
class _Opener:
    lo: int  # delimiters still unused are chars[lo:hi]
    hi: int
    seq: int


def parse_inline(source: str, budget: Budget | None = None) -> Marked:
    """Remove escapes and emphasis markers from one block of text, recording emphasised spans.

    Rule: a backslash before ASCII punctuation makes it literal (`\\$240` -> `$240`); `*x*`,
    `**x**`, `_x_`, `__x__` mark emphasis and the markers go. A marker opens only before a
    non-space and closes only after one, so `5 * 3` keeps its star; `_` never opens or closes
    inside a word, so `snake_case_name` is left alone. Unmatched markers stay as text.
    Example: "Nixon wrote in *Foreign Affairs* about \\$5" -> "Nixon wrote in Foreign Affairs
    about $5" with emphasis ((15, 30),).
    """
    if "\\" not in source and "*" not in source and "_" not in source:
        return Marked(source)
    # Both strings in C, whatever the length: the unescaped text, and the same text with each
    # escaped character masked as "x" so the marker search skips it (positions agree).
    plain, scan = source, source
    if "\\" in source:
        plain, scan = _ESCAPE_RE.sub(r"\1", source), _ESCAPE_RE.sub("x", source)
    spans: list[Span] = []
    removed = sorted(_match_emphasis(plain, scan, spans, budget))
    # A position moves left by the number of removed markers before it.
    spans = [(a - bisect_left(removed, a), b - bisect_left(removed, b)) for a, b in spans]
    kept: list[str] = []
    previous = 0
    for index in removed:
        kept.append(plain[previous:index])
        previous = index + 1
    kept.append(plain[previous:])
    return _tidy("".join(kept), spans)


def _match_emphasis(
    chars: str, scan: str, spans: list[Span], budget: Budget | None = None
) -> list[int]:
    """Pair delimiter runs like CommonMark does (without its rarer rules).

    Appends emphasised spans (in `chars` positions) to `spans`; returns the used marker positions.
    """
    removed: list[int] = []
    # One stack per delimiter character, so a closer finds its opener in O(1); `seq` lets a match
    # discard the other character's openers that lie inside it, as CommonMark does.
    stacks: dict[str, list[_Opener]] = {"*": [], "_": []}
    seq = 0
    m = len(chars)
    for count, run in enumerate(_RUN_RE.finditer(scan)):
        if budget is not None and count % 4096 == 4095:
            # A block of millions of markers would take minutes, and a few hundred MB for
            # the markers and spans kept.
            budget.check()
            budget.check_elements(count, noun="emphasis markers (* and _) in one paragraph")
        i, j = run.span()
        c = scan[i]
        before = chars[i - 1] if i > 0 else " "
        after = chars[j] if j < m else " "
        can_open = not after.isspace()
        can_close = not before.isspace()
        if c == "_":
            can_open = can_open and not before.isalnum()
            can_close = can_close and not after.isalnum()
        lo, hi = i, j
        stack = stacks[c]
        other = stacks["_" if c == "*" else "*"]
        while can_close and lo < hi and stack:
            opener = stack[-1]
            use = 2 if opener.hi - opener.lo >= 2 and hi - lo >= 2 else 1
            removed.extend(range(opener.hi - use, opener.hi))
            removed.extend(range(lo, lo + use))
            spans.append((opener.hi, lo))
            opener.hi -= use
            lo += use
            while other and other[-1].seq > opener.seq:
                other.pop()
            if opener.hi == opener.lo:
                stack.pop()
        if can_open and lo < hi:
            stack.append(_Opener(lo, hi, seq))
            seq += 1
    return removed


def _tidy(text: str, spans: list[Span]) -> Marked:
    """Strip, recompose and merge spans so they are sorted, non-empty and non-overlapping."""
    if not unicodedata.is_normalized("NFC", text):
        # Removing a marker can put a combining mark next to a base letter.
        text, spans = _recompose(text, spans)
    stripped = text.strip()
    offset = len(text) - len(text.lstrip())
    limit = len(stripped)
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        a, b = max(a - offset, 0), min(b - offset, limit)
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return Marked(stripped, tuple((a, b) for a, b in merged))


def _recompose(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """NFC-normalise `text`, keeping spans when their boundaries allow it (linear time)."""
    bounds = sorted({0, len(text), *(a for a, _ in spans), *(b for _, b in spans)})
    new_bound = {0: 0}
    pieces: list[str] = []
    for x, y in pairwise(bounds):
        pieces.append(unicodedata.normalize("NFC", text[x:y]))
        new_bound[y] = new_bound[x] + len(pieces[-1])
    joined = "".join(pieces)
    if unicodedata.is_normalized("NFC", joined):
        return joined, [(new_bound[a], new_bound[b]) for a, b in spans]
    # A span boundary falls inside a composed character: the text wins over the emphasis.
    return unicodedata.normalize("NFC", text), []


def shift_spans(spans: tuple[Span, ...], by: int) -> tuple[Span, ...]:
    return tuple((a + by, b + by) for a, b in spans)


def join_marked(parts: list[Marked], sep: str = " ") -> Marked:
    """Concatenate marked texts with `sep`, moving each part's spans to their new place."""
    texts: list[str] = []
    spans: list[Span] = []
    calls: list[tuple[int, int]] = []
    position = 0
    for part in parts:
        if texts:
            position += len(sep)
        texts.append(part.text)
        spans.extend(shift_spans(part.emphasis, position))
        if part.calls:
            calls.extend((offset + position, number) for offset, number in part.calls)
        position += len(part.text)
    return Marked(sep.join(texts), tuple(spans), tuple(calls))
