"""Anchoring a quote in a reading's text: by position, by exact quote, then by fuzzy search.

Pure Python, no Django. Every offset counts Unicode code points (Python `str` indices), which
is what the W3C TextPositionSelector and REFI-QDA's PlainTextSelection count.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from readings.importing.limits import Budget

CONTEXT = 32  # code points of prefix and suffix written around a quote
FUZZY_THRESHOLD = 0.8  # share of the quote that must match for a fuzzy anchor
_MAX_OCCURRENCES = 200  # per probe: bounds the work on texts that repeat a phrase
# Windows aligned per quote, the places most probes agree on: a 1 KB quote of common words
# once made 750 windows of a 200 KB reading, 13 s of difflib for one annotation.
_MAX_WINDOWS = 24


@dataclass(frozen=True)
class Quote:
    """What an annotation says about its place: a quote, its context and maybe a position."""

    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    method: str  # "position", "quote" or "fuzzy"


def quote_at(text: str, start: int, end: int, context: int = CONTEXT) -> Quote:
    """The quote, prefix and suffix a selector gives for text[start:end]."""
    return Quote(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _occurrences(text: str, needle: str, limit: int = _MAX_OCCURRENCES) -> list[int]:
    found: list[int] = []
    at = text.find(needle)
    while at != -1 and len(found) < limit:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _context_score(text: str, start: int, end: int, quote: Quote) -> tuple[int, int]:
    """Higher is better: matching context first, then nearness to the recorded position."""
    context = _common_suffix(text[max(0, start - len(quote.prefix)) : start], quote.prefix)
    context += _common_prefix(text[end : end + len(quote.suffix)], quote.suffix)
    distance = abs(start - quote.start) if quote.start is not None else 0
    return context, -distance


def _by_quote(text: str, quote: Quote) -> Anchor | None:
    hits = _occurrences(text, quote.exact)
    if not hits:
        return None
    size = len(quote.exact)
    best = max(hits, key=lambda at: _context_score(text, at, at + size, quote))
    return Anchor(best, best + size, "quote")


def _fuzzy(text: str, quote: Quote, budget: Budget | None = None) -> Anchor | None:
    """The window of `text` most like the quote, if at least FUZZY_THRESHOLD of it matches.

    Candidate places come from short probes of the quote (and its context) found verbatim;
    each candidate window is aligned with difflib, so the work stays near-linear in the text.
    Of the windows the quote's own probes suggest, only the _MAX_WINDOWS most probes agree on
    are aligned; those its context or position suggests always are.
    """
    exact = quote.exact
    size = len(exact)
    if size < 4:
        return None
    probe = max(3, min(12, size // 4))
    slack = size // 4 + probe
    votes: Counter[int] = Counter()  # window (candidate // slack) -> probes that point there
    candidates: set[int] = set()
    for offset in range(0, size - probe + 1, probe):
        for at in _occurrences(text, exact[offset : offset + probe]):
            candidates.add(max(0, at - offset))
            votes[max(0, at - offset) // slack] += 1
    chosen = {bucket for bucket, _ in votes.most_common(_MAX_WINDOWS)}
    if quote.prefix:
        tail = quote.prefix[-probe:]
        placed = [at + len(tail) for at in _occurrences(text, tail)]
        candidates.update(placed)
        chosen.update(at // slack for at in placed)
    if quote.suffix:
        head = quote.suffix[:probe]
        placed = [max(0, at - size) for at in _occurrences(text, head)]
        candidates.update(placed)
        chosen.update(at // slack for at in placed)
    if quote.start is not None and 0 <= quote.start < len(text):
        candidates.add(quote.start)
        chosen.add(quote.start // slack)
    best: tuple[float, tuple[int, int], Anchor] | None = None
    seen: set[int] = set()
    for candidate in sorted(candidates):
        bucket = candidate // slack
        if bucket in seen or bucket not in chosen:
            continue
        seen.add(bucket)
        if budget is not None:
            budget.check()
        lo = max(0, candidate - slack)
        window = text[lo : candidate + size + slack]
        matcher = SequenceMatcher(None, window, exact, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if not blocks:
            continue
        matched = sum(b.size for b in blocks)
        start, end = lo + blocks[0].a, lo + blocks[-1].a + blocks[-1].size
        ratio = 2 * matched / (size + (end - start))
        if ratio < FUZZY_THRESHOLD:
            continue
        key = (ratio, _context_score(text, start, end, quote))
        if best is None or key > (best[0], best[1]):
            best = (ratio, key[1], Anchor(start, end, "fuzzy"))
    return best[2] if best else None


def anchor_in(
    text: str, quote: Quote, *, fuzzy: bool = True, budget: Budget | None = None
) -> Anchor | None:
    """Where `quote` lies in `text`: its position if the text there is the quote, else the
    quote's best occurrence (context decides between several), else a fuzzy match."""
    start, end = quote.start, quote.end
    if (
        start is not None
        and end is not None
        and 0 <= start < end <= len(text)
        and (not quote.exact or text[start:end] == quote.exact)
    ):
        return Anchor(start, end, "position")
    if not quote.exact:
        return None
    return _by_quote(text, quote) or (_fuzzy(text, quote, budget) if fuzzy else None)


@dataclass(frozen=True)
class Located:
    key: object  # whichever key the caller gave the text
    anchor: Anchor


def locate(
    texts: Sequence[tuple[object, str]],
    quote: Quote,
    *,
    preferred: object = None,
    budget: Budget | None = None,
) -> Located | str:
    """Anchor the quote in the preferred text, else in any text; a string says why not.

    A position is only trusted in the preferred text: elsewhere it counts in another text.
    """
    ordered = sorted(texts, key=lambda item: item[0] != preferred)
    for fuzzy in (False, True):
        for key, text in ordered:
            trusted = quote if key == preferred else Quote(quote.exact, quote.prefix, quote.suffix)
            found = anchor_in(text, trusted, fuzzy=fuzzy, budget=budget)
            if found is not None:
                return Located(key, found)
    if not quote.exact:
        if preferred is None:
            return "It gives a position but no quote, and names no reading of this seminar."
        return "Its position lies outside the reading, and it gives no quote."
    return "Its quote was not found, even approximately, in any reading of this seminar."


@dataclass(frozen=True)
class Placed:
    passage: object  # the caller's passage key
    span_start: int  # 0/0 means the whole passage
    span_end: int


def place(passages: Sequence[tuple[object, int, int]], start: int, end: int) -> Placed | str:
    """The passage holding text[start:end], as a whole-passage tag or a span inside it.

    `passages` are (key, start, end) in text order. A range equal to a passage is the whole
    passage. A range that crosses from one passage into another is refused with the reason,
    rather than cut in two: a tag is one claim about one passage.
    """
    starts = [p[1] for p in passages]
    index = bisect.bisect_right(starts, start) - 1
    if index < 0 or start >= passages[index][2]:
        # Starts in the gap between passages: begin at the next passage if the range reaches it.
        index += 1
        if index >= len(passages) or passages[index][1] >= end:
            return "Its text lies between passages (blank lines or left-out page furniture)."
        start = passages[index][1]
    key, p_start, p_end = passages[index]
    if end > p_end:
        following = [p for p in passages[index + 1 :] if p[1] < end]
        if following:
            return (
                f"Its text crosses from one passage into {len(following)} more; "
                "tag each passage on its own."
            )
        end = p_end  # only trailing separator characters were past the passage
    if (start, end) == (p_start, p_end):
        return Placed(key, 0, 0)
    return Placed(key, start - p_start, end - p_start)
