"""What is attached to passages follows them when a reading is corrected.

readings/ imports nothing from annotations/, yet tags (and discussion picks, and any later row
with a foreign key to Passage, such as notes) live there. They are plugged in by
settings.COUNTERPOINT_PASSAGE_FOLLOWERS: dotted paths of modules that each offer

    attached(passage_ids) -> dict[int, int]   how many of their rows each passage holds
    follow(remap) -> list[str]                move their rows as `remap` says; a sentence per
                                              change a person should hear of. Raise
                                              CorrectionRefused to undo the whole correction.

A settings hook and not a signal: the followers must be able to refuse a correction and to say
what they moved, in the correction's own transaction, and a signal does neither.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from types import ModuleType

from django.conf import settings


class CorrectionRefused(Exception):
    """A correction that would lose or garble something; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Spot:
    """Where a quote lies after a correction: a passage, and a span in it (0/0: all of it)."""

    passage_id: int
    start: int
    end: int


# (passage id, span start, span end) before -> its Spot after, or None when no one passage holds
# it any more (a split inside the quote, a fix that deletes the quoted words).
Placer = Callable[[int, int, int], Spot | None]


@dataclass(frozen=True)
class Remap:
    """How one correction moved the text between passages.

    Either `place` says where each quote went (merge, split, text fix), or, when a new file
    replaces the text, `place` is None and the followers anchor each quote of `text_before`
    in `text_after` by its words and context (readings/ has no quote matcher: annotations/
    has one), then find the passage of `spans_after` that holds it. A quote that none holds
    is an orphan: listed, and removed only when `orphans_confirmed` is how many there are.
    """

    passages: frozenset[int]  # the passages whose rows may move (the others keep theirs)
    place: Placer | None
    texts: dict[int, str] = field(default_factory=dict)  # after, by passage id
    labels: dict[int, str] = field(default_factory=dict)  # after, by passage id
    text_before: str = ""
    text_after: str = ""
    spans_before: dict[int, tuple[int, int]] = field(default_factory=dict)
    spans_after: tuple[tuple[int, int, int], ...] = ()  # (passage id, start, end), in order
    orphans_confirmed: int | None = None


class OrphansFound(CorrectionRefused):
    """Replacing the text would leave these tags with no passage holding their words."""

    def __init__(self, orphans: list[str]) -> None:
        count = len(orphans)
        super().__init__(
            f"{count} tag{'s' if count != 1 else ''} of the old text cannot be placed in the "
            "new one: their words are not in it."
        )
        self.orphans = orphans


@cache
def _followers() -> tuple[ModuleType, ...]:
    return tuple(import_module(path) for path in settings.COUNTERPOINT_PASSAGE_FOLLOWERS)


def attached_counts(passage_ids: Collection[int]) -> dict[int, int]:
    """Rows attached to each of these passages, all followers together."""
    counts: dict[int, int] = {}
    for follower in _followers():
        for passage_id, count in follower.attached(passage_ids).items():
            counts[passage_id] = counts.get(passage_id, 0) + count
    return counts


def rows_follow(remap: Remap) -> list[str]:
    """The one place that moves rows attached to passages; called by every correction."""
    notes: list[str] = []
    for follower in _followers():
        notes.extend(follower.follow(remap))
    return notes
