"""What a handout contains: the dataclasses every format reads (PDF, Word, Markdown and the
builder's preview), and the options they are built from. Built by `handout_build` in
annotations/handouts/model.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import zip_longest

from annotations.compare.gather import Remark
from annotations.excerpts import AUTO

PAPERS = {"a4": "A4", "letter": "US Letter"}
DEFAULT_LIMIT = 3


@dataclass(frozen=True)
class HandoutOptions:
    """What the instructor chose in the builder; the query string, parsed and checked."""

    source: str | None = None
    min_people: int = 1
    themes: tuple[str, ...] = ()  # theme slugs in handout order; empty: every active theme
    readings: tuple[int, ...] = ()  # document ids; empty: every reading
    summaries: bool = True
    notes: bool = True
    stances: bool = True
    context: bool = False
    footnotes: bool = False  # the readings' own footnotes and endnotes, under their passage
    disputed: bool = True  # the passages picked in the discussion view (instructors only)
    questions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # theme slug → lines
    title: str = ""
    date: datetime.date | None = None
    paper: str = "a4"
    # Issue 25: what of each passage, how many passages, which ones, and how many pages.
    excerpt: str = AUTO  # AUTO, SENTENCES or WHOLE (annotations/excerpts.py)
    sentences: int = 2  # the first sentences an excerpt keeps...
    words: int = 40  # ... up to this many words
    limit: int = DEFAULT_LIMIT  # passages per theme and reading; 0: every passage
    pins: dict[str, tuple[int, ...]] = field(default_factory=dict)  # theme slug → passage ids
    drops: dict[str, tuple[int, ...]] = field(default_factory=dict)
    wholes: dict[str, tuple[int, ...]] = field(default_factory=dict)  # passages printed whole
    fit: int | None = None  # at most this many PDF pages, trimmed in the documented order

    @property
    def key(self) -> str:
        """Everything chosen, in one canonical string: equal choices, equal keys (caches)."""
        fields = vars(self).copy()
        for name in ("questions", "pins", "drops", "wholes"):
            fields[name] = sorted(fields[name].items())
        return repr(sorted(fields.items()))


@dataclass(frozen=True)
class HandoutPassage:
    citation: str  # "McFaul & Medeiros, ¶ 8"
    label: str
    section: str
    pieces: list[tuple[str, bool]]  # the text cut at the quoted spans: (text, highlighted)
    remarks: list[Remark]
    people: str  # "2 of 3 people" on the combined view, else ""
    document_id: int
    position: int
    before: str = ""
    after: str = ""
    footnotes: tuple[tuple[int, str], ...] = ()  # (number, text), the reading's own notes
    passage_id: int = 0
    pinned: bool = False
    whole: bool = False  # asked for whole, whatever the excerpt option
    rank: int = 0  # its place in the fill order of its column (0: first filled)
    shortened: bool = False  # the excerpt leaves some of the passage's words out
    whole_text: str = ""  # the passage as written, and its tags' quote spans: to cut again
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def text(self) -> str:
        return "".join(piece for piece, _ in self.pieces)


@dataclass(frozen=True)
class LeftOut:
    """A passage of the column that the handout does not print, and why."""

    passage_id: int
    label: str
    citation: str
    reason: str  # DROPPED, OVER_LIMIT or TO_FIT
    opening: str = ""  # its first words, to tell it from the others in the preview


DROPPED = "dropped"
OVER_LIMIT = "over the limit"
TO_FIT = "left out to fit the pages"


@dataclass(frozen=True)
class HandoutColumn:
    author_line: str
    title: str
    summary: str | None  # None: summaries left out or none written
    passages: list[HandoutPassage]
    left_out: list[LeftOut] = field(default_factory=list)


@dataclass(frozen=True)
class DisputedPassage:
    """A passage the instructor picked in the discussion view, with how the class voted."""

    citation: str
    section: str
    text: str
    votes: str  # "2 of 3 tagged it: 1 supports, 1 opposes"
    picked: bool = True  # False: found by the agreement figures, not picked by the instructor


@dataclass(frozen=True)
class HandoutSection:
    name: str
    slug: str
    guiding_question: str
    verdict: str
    verdict_explanation: str
    columns: list[HandoutColumn]
    questions: tuple[str, ...]
    disputed: tuple[DisputedPassage, ...] = ()

    @property
    def rows(self) -> list[list[HandoutPassage | None]]:
        """The columns' passages side by side, one row per place in the column. A paged
        layout keeps each row on one page, so no passage is split across pages."""
        return [list(row) for row in zip_longest(*(c.passages for c in self.columns))]

    @property
    def has_left_out(self) -> bool:
        return any(column.left_out for column in self.columns)

    @property
    def disputed_heading(self) -> str:
        if any(item.picked for item in self.disputed):
            return "Where the class read it differently"
        return "Where the class split"

    @property
    def has_summaries(self) -> bool:
        return any(column.summary for column in self.columns)


@dataclass(frozen=True)
class Reference:
    author_line: str
    text: str  # the full reference, plain text


@dataclass(frozen=True)
class Fitted:
    """What "fit to N pages" did: the pages asked for and reached, and what it trimmed."""

    target: int
    pages: int
    shortened: str  # how excerpts were cut shorter than chosen, in a sentence; "" if not
    left_out: tuple[str, ...]  # "Theme: citation", in the order they were left out

    @property
    def fits(self) -> bool:
        return self.pages <= self.target


@dataclass(frozen=True)
class Handout:
    seminar: str
    seminar_slug: str
    title: str
    date: datetime.date
    source: str  # whose tags: a set's title, or "all sets, at least k of n people"
    paper: str
    options: HandoutOptions
    sections: list[HandoutSection]
    references: list[Reference]
    fitted: Fitted | None = None  # set by annotations/handouts/budget.py when asked to fit

    def filename(self, extension: str) -> str:
        """`<seminar>-<theme, or "themes">-<date>.<extension>`."""
        theme = self.sections[0].slug if len(self.sections) == 1 else "themes"
        return f"{self.seminar_slug}-{theme}-{self.date.isoformat()}.{extension}"
