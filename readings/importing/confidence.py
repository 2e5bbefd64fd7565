"""Which passages of a split text OCR read with low confidence, so the preview can mark them.

The PDF reader hands over the light Markdown blocks whose words Tesseract was unsure of
(`RawDocument.uncertain`); the splitter may have cut, merged or cleaned them. Each block is
put through the same splitter, so both sides are compared as passages are stored.
"""

from __future__ import annotations

from collections.abc import Sequence

from readings.importing.errors import ImportRejected
from readings.importing.limits import Budget
from readings.importing.splitter import SplitPassage, split_text

# A passage this short ("Introduction", "1972.") is found inside many paragraphs: it is marked
# only when it is a whole uncertain block.
_SHORTEST_PART = 40


def uncertain_positions(
    passages: Sequence[SplitPassage], uncertain: Sequence[str], budget: Budget | None = None
) -> set[int]:
    """Rule: a passage is uncertain when its text is an uncertain block's, lies within one
    (a block the splitter cut in two), or holds one (blocks the splitter joined across a
    page break). Example: the block "Tbe qnick brown fox" -> the passage of that text."""
    budget = budget or Budget(what="The text")
    texts: list[str] = []
    for block in uncertain:
        budget.check()
        try:
            split = split_text(block, budget)
        except ImportRejected:
            continue
        texts.extend(passage.text for passage in split.passages)
    found: set[int] = set()
    for passage in passages:
        text = passage.text
        if any(
            text == other
            or (len(text) >= _SHORTEST_PART and text in other)
            or (len(other) >= _SHORTEST_PART and other in text)
            for other in texts
        ):
            found.add(passage.position)
    return found
