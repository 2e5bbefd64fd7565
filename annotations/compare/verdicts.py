"""Where authors stand on a theme: the stance mix of a reading and the verdict across readings.

Pure Python, no Django, so the rules are tested on small cases
(tests/annotations/compare/test_verdicts.py).

A stance answers the theme's guiding question: supports, opposes or qualifies; a tag may carry
none. The rules, per theme:

- A reading *addresses* the theme when at least one of its passages is tagged with it (after
  the comparison's "at least k of n people" threshold).
- A reading's *position* is the marked stance its tags give most often. A tie between
  supports and opposes makes it qualifies (the author argues both ways); a tie of qualifies
  with one side makes it that side (a qualified yes is still a yes). Tags without a stance do
  not count; a reading whose tags carry no stance at all has no position.
- The verdict across the readings:
  - silent: no reading addresses the theme;
  - one-sided: exactly one reading addresses it;
  - diverge: one addressing reading's position is supports and another's is opposes;
  - converge: every addressing reading has the same position (all supports, all opposes, or
    all qualifies);
  - mixed: anything else: two or more readings address it, no two are opposed, yet their
    positions differ (one supports, another qualifies) or one has no position. The issue's four
    verdicts stay exact this way instead of forcing these cases into one of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from annotations.stances import LABELS, NO_STANCE, OPPOSES, QUALIFIES, STANCES, SUPPORTS

_COUNTED = {
    SUPPORTS: "supporting",
    OPPOSES: "opposing",
    QUALIFIES: "qualifying",
    NO_STANCE: "with no stance",
}


@dataclass(frozen=True)
class StanceMix:
    """How many tags carry each stance (`unmarked`: tags with none)."""

    supports: int = 0
    opposes: int = 0
    qualifies: int = 0
    unmarked: int = 0

    @classmethod
    def of(cls, stances: Iterable[str]) -> StanceMix:
        counts = dict.fromkeys((*STANCES, NO_STANCE), 0)
        for stance in stances:
            counts[stance if stance in counts else NO_STANCE] += 1
        return cls(counts[SUPPORTS], counts[OPPOSES], counts[QUALIFIES], counts[NO_STANCE])

    def __add__(self, other: StanceMix) -> StanceMix:
        return StanceMix(
            self.supports + other.supports,
            self.opposes + other.opposes,
            self.qualifies + other.qualifies,
            self.unmarked + other.unmarked,
        )

    @property
    def total(self) -> int:
        return self.supports + self.opposes + self.qualifies + self.unmarked

    @property
    def parts(self) -> list[tuple[str, str, int]]:
        """(stance, label, count) for the stances present, in a fixed order."""
        pairs = [
            (SUPPORTS, self.supports),
            (OPPOSES, self.opposes),
            (QUALIFIES, self.qualifies),
            (NO_STANCE, self.unmarked),
        ]
        return [(stance, LABELS[stance], count) for stance, count in pairs if count]

    @property
    def summary(self) -> str:
        """The mix in words: "7 supporting, 2 with no stance"."""
        return ", ".join(f"{count} {_COUNTED[stance]}" for stance, _, count in self.parts)

    @property
    def position(self) -> str | None:
        """The reading's stance on the theme (see the module's docstring), or None."""
        counts = {SUPPORTS: self.supports, OPPOSES: self.opposes, QUALIFIES: self.qualifies}
        top = max(counts.values())
        if top == 0:
            return None
        leaders = {stance for stance, count in counts.items() if count == top}
        if len(leaders) == 1:
            return leaders.pop()
        if {SUPPORTS, OPPOSES} <= leaders:
            return QUALIFIES
        return (leaders - {QUALIFIES}).pop()


class Verdict(StrEnum):
    CONVERGE = "converge"
    DIVERGE = "diverge"
    ONE_SIDED = "one-sided"
    SILENT = "silent"
    MIXED = "mixed"

    @property
    def label(self) -> str:
        return {
            Verdict.CONVERGE: "Converge",
            Verdict.DIVERGE: "Diverge",
            Verdict.ONE_SIDED: "One-sided",
            Verdict.SILENT: "Silent",
            Verdict.MIXED: "Mixed",
        }[self]

    @property
    def explanation(self) -> str:
        return {
            Verdict.CONVERGE: "The authors who address it take the same stance.",
            Verdict.DIVERGE: "One author supports what another opposes.",
            Verdict.ONE_SIDED: "Only one author addresses it.",
            Verdict.SILENT: "No author addresses it.",
            Verdict.MIXED: "The authors address it, but their stances neither match nor clash.",
        }[self]


def verdict(mixes: Sequence[StanceMix]) -> Verdict:
    """The verdict on one theme, from one stance mix per reading (see the module's docstring)."""
    addressing = [mix for mix in mixes if mix.total]
    if not addressing:
        return Verdict.SILENT
    if len(addressing) == 1:
        return Verdict.ONE_SIDED
    positions = {mix.position for mix in addressing}
    if {SUPPORTS, OPPOSES} <= positions:
        return Verdict.DIVERGE
    if len(positions) == 1 and None not in positions:
        return Verdict.CONVERGE
    return Verdict.MIXED
