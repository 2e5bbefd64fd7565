"""Line-end hyphens: a word broken by hyphenation is rejoined, a true compound keeps its hyphen.

The document's own vocabulary decides first (a word it also prints whole, or hyphenated in
mid-line), then a word list that wordfreq ships, in the document's language.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from wordfreq import zipf_frequency

# What typesetters print at a hyphenation break. A soft hyphen always marks one.
HYPHENS = "-\u2010\u00ad"
SOFT_HYPHEN = "\u00ad"
_WORD_RE = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")
# A compound is kept when its joined spelling is at least this many zipf units (a factor of 10
# each) rarer than the rarer of its halves: "longterm" 2.75 against "term" 5.23.
_COMPOUND_MARGIN = 2.0


class Vocabulary:
    """How often the document itself prints each word whole, and each pair of words joined by
    a hyphen, away from line ends."""

    def __init__(self, language: str = "en") -> None:
        self.words: Counter[str] = Counter()
        self.pairs: Counter[str] = Counter()
        self.language = language

    def add_line(self, text: str) -> None:
        """Count the words of a line but its last (which may be cut at the line end)."""
        words = _WORD_RE.findall(text)
        for word in words[:-1] if text.rstrip().endswith(tuple(HYPHENS)) else words:
            parts = re.split("[-\u2010]", word.casefold())
            self.words.update(parts)
            if len(parts) > 1:
                self.pairs.update(f"{a}-{b}" for a, b in zip(parts, parts[1:], strict=False))
                self.words[word.casefold().replace("\u2010", "-")] += 1

    def keeps_hyphen(self, left: str, right: str) -> bool:
        """Rule: "long-" + "term" -> True (a compound); "nation-" + "al" -> False.
        A capital after the hyphen keeps it ("Moscow-" + "Beijing"). Otherwise the document
        decides when it prints either form elsewhere; then the word list: the hyphen stays when
        both halves are words and the joined spelling is far rarer than either."""
        if not left or not right:
            return False
        if right[0].isupper():
            return True
        a, b = left.casefold(), right.casefold()
        joined, paired = self.words[a + b], self.pairs[f"{a}-{b}"]
        if joined or paired:
            return paired > joined
        halves = min(_zipf(a, self.language), _zipf(b, self.language))
        if halves < 1.0 or len(a) < 2:
            return False
        return _zipf(a + b, self.language) < halves - _COMPOUND_MARGIN


def warm(language: str = "en") -> None:
    """Load the language's word list now (0.15 s) rather than inside the first import's
    time limit: the app calls it when it starts."""
    _zipf("the", language)


@cache
def _zipf(word: str, language: str) -> float:
    try:
        return float(zipf_frequency(word, language, wordlist="large"))
    except LookupError:  # no large list for the language: the small one, or none at all
        try:
            return float(zipf_frequency(word, language))
        except LookupError:
            return 0.0


def ends_with_break(text: str) -> bool:
    """Example: "the inter-" -> True; "a -" -> False; "2019-" -> False."""
    return len(text) >= 2 and text[-1] in HYPHENS and text[-2].isalpha()


def join_lines(left: str, right: str, vocabulary: Vocabulary) -> str:
    """The text of two consecutive lines of one paragraph, joined as a person reads them.
    Example: "the inter‐" + "national order" -> "the international order";
    "the long-" + "term view" -> "the long-term view"."""
    if not left:
        return right
    if not right:
        return left
    if ends_with_break(left) and right[0].isalpha():
        head = left[:-1]
        if left[-1] == SOFT_HYPHEN:
            return head + right
        start = max(head.rfind(" "), head.rfind("-"), head.rfind("\u2010")) + 1
        first = re.match(r"[^\W\d_]+", right)
        if vocabulary.keeps_hyphen(head[start:], first.group() if first else ""):
            return head + "-" + right
        return head + right
    return f"{left} {right}"
