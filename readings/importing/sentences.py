"""Sentence-boundary tests on whole blocks: does a block end a sentence, or start inside one?"""

from __future__ import annotations

import re

_TERMINAL = frozenset(".!?…:")
# Closing quotes and brackets count as an ending only when what they close ended the sentence:
# `…his neighbors.”` ends one, `…called it “reverse Kissinger”` does not.
_CLOSERS = "”\"’'»)]}›"
_OPENERS = "“\"‘'«([{‹„‚"
_CONTINUATION_START = frozenset(",;:)]}”’»—–…")
# Words a sentence never ends on; a block ending on one was cut by a page break.
# fmt: off
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "of", "to", "and", "or", "but", "nor", "for", "with", "in", "on", "at",
    "by", "from", "as", "than", "that", "which", "who", "whose", "whom", "his", "her", "its",
    "their", "our", "your", "my", "this", "these", "those", "into", "onto", "upon", "about",
    "between", "through", "under", "over", "without", "within", "is", "are", "was", "were",
    "be", "been", "has", "have", "had", "will", "would", "could", "should",
})
# fmt: on
_LAST_WORD_RE = re.compile(r"(\w+)$")


def ends_sentence(text: str) -> bool:
    """Rule: a block ends a sentence if its last character, after closing quotes and brackets,
    is . ! ? … or :. Example: "…his neighbors.”" -> True; "…for the United States" -> False."""
    core = text.rstrip().rstrip(_CLOSERS)
    return bool(core) and core[-1] in _TERMINAL


def ends_on_function_word(text: str) -> bool:
    """Example: "…has called for the" -> True (no sentence ends on "the")."""
    if not text or not text[-1].isalpha():
        return False  # trailing punctuation: not a bare word
    match = _LAST_WORD_RE.search(text)
    return match is not None and match.group(1).casefold() in _FUNCTION_WORDS


def starts_mid_sentence(text: str) -> bool:
    """Rule: a block starts mid-sentence if it begins with continuation punctuation, or with a
    lowercase letter once opening quotes are set aside.
    Example: "“to have a relationship” with Russia…" -> True; "The idea…" -> False."""
    if not text:
        return False
    if text[0] in _CONTINUATION_START:
        return True
    core = text.lstrip(_OPENERS)
    return bool(core) and core[0].islower()


def starts_lowercase(text: str) -> bool:
    core = text.lstrip(_OPENERS)
    return bool(core) and core[0].islower()


def is_all_caps(text: str) -> bool:
    """Example: "A FOOL'S ERRAND" -> True; "NATO and the EU" -> False; "1972" -> False."""
    cased = 0
    for c in text:
        if c.islower():
            return False
        if c.isupper():
            cased += 1
    return cased >= 2


def word_count(text: str) -> int:
    return len(text.split())
