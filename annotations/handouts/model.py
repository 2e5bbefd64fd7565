"""The one handout model: what every format shows, built on `comparison_gather()`.

Each chosen theme is one call to the comparison selector (its columns are per theme), so the
handout shows exactly what the compare page shows for the same source and threshold. Context
passages, when asked for, cost one more query for all themes together.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from itertools import zip_longest

from django.db.models import Q
from django.utils.text import slugify

from annotations.agreement.gather import agreement_gather
from annotations.compare.gather import Comparison, Entry, Remark, comparison_gather
from annotations.excerpts import cut_to_words
from annotations.models import DiscussionPick
from readings.access import SeminarAccess
from readings.importing.normalise import clean_all
from readings.models import Document, Note, Passage, SeminarReading

PAPERS = {"a4": "A4", "letter": "US Letter"}
CONTEXT_WORDS = 40


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

    @property
    def text(self) -> str:
        return "".join(piece for piece, _ in self.pieces)


@dataclass(frozen=True)
class HandoutColumn:
    author_line: str
    title: str
    summary: str | None  # None: summaries left out or none written
    passages: list[HandoutPassage]


@dataclass(frozen=True)
class DisputedPassage:
    """A passage the instructor picked in the discussion view, with how the class voted."""

    citation: str
    section: str
    text: str
    votes: str  # "2 of 3 tagged it: 1 supports, 1 opposes"


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
    def has_summaries(self) -> bool:
        return any(column.summary for column in self.columns)


@dataclass(frozen=True)
class Reference:
    author_line: str
    text: str  # the full reference, plain text


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

    def filename(self, extension: str) -> str:
        """`<seminar>-<theme, or "themes">-<date>.<extension>`."""
        theme = self.sections[0].slug if len(self.sections) == 1 else "themes"
        return f"{self.seminar_slug}-{theme}-{self.date.isoformat()}.{extension}"


def reference(document: Document) -> str:
    """A reading's full reference from its metadata, author–date style:
    Michael McFaul and Evan S. Medeiros. 2025-04-04. “Title: Subtitle.” Foreign Affairs."""
    names = [name.strip() for name in document.authors if name.strip()]
    if len(names) > 1:
        who = ", ".join(names[:-1]) + " and " + names[-1]
    else:
        who = names[0] if names else document.publication
    title = document.title + (f": {document.subtitle}" if document.subtitle else "")
    title = title if title[-1:] in ".?!" else title + "."
    parts = [f"{who}." if who else "", f"{document.published}." if document.published else ""]
    parts.append(f"“{title}”")
    if names and document.publication:
        parts.append(f"{document.publication}.")
    return " ".join(part for part in parts if part)


def _source_label(comparison: Comparison) -> str:
    source = comparison.source
    if source.is_all:
        people = source.people
        if source.min_people > 1:
            return f"All sets: passages tagged by at least {source.min_people} of {people} people"
        return f"All sets ({people} {'person' if people == 1 else 'people'})"
    return source.sets[0].title


def _passage(
    entry: Entry, author_line: str, comparison: Comparison, options: HandoutOptions
) -> HandoutPassage:
    combined = comparison.source.is_all
    # A single set is named once, in the title block, not on each remark.
    remarks = [
        replace(
            remark,
            who=remark.who if combined else "",
            stance=remark.stance if options.stances else "",
            note=remark.note if options.notes else "",
        )
        for remark in entry.remarks
    ]
    people = ""
    if combined:
        people = f"{entry.people} of {comparison.source.people} people"
    return HandoutPassage(
        citation=f"{author_line}, {entry.passage.label}",
        label=entry.passage.label,
        section=entry.passage.section,
        pieces=entry.pieces,
        remarks=[remark for remark in remarks if remark.note or remark.stance],
        people=people,
        document_id=entry.passage.document_id,
        position=entry.passage.position,
    )


def _with_context(sections: list[HandoutSection]) -> None:
    """Fill in each cited passage's neighbours, in one query for the whole handout: the end
    of the one before and the start of the one after, CONTEXT_WORDS of each. Whole paragraphs
    would bury the cited passage (and double the pages)."""
    cited = {(p.document_id, p.position) for s in sections for c in s.columns for p in c.passages}
    if not cited:
        return
    near = Q()
    for document_id, position in cited:
        near |= Q(document_id=document_id, position__in=[position - 1, position + 1])
    neighbours = Passage.objects.filter(near).exclude(
        kind__in=[Passage.Kind.FRONT_MATTER, Passage.Kind.NOT_TEXT]
    )
    text = {
        (p.document_id, p.position): p.text
        for p in neighbours.only("document_id", "position", "text")
    }
    for section in sections:
        for column in section.columns:
            column.passages[:] = [
                replace(
                    p,
                    before=cut_to_words(
                        text.get((p.document_id, p.position - 1), ""), CONTEXT_WORDS, from_end=True
                    ),
                    after=cut_to_words(
                        text.get((p.document_id, p.position + 1), ""), CONTEXT_WORDS
                    ),
                )
                for p in column.passages
            ]


def _disputed(access: SeminarAccess, slugs: list[str]) -> dict[str, tuple[DisputedPassage, ...]]:
    """The passages picked in the discussion view, per theme slug, in reading order, with the
    class's votes. Only for instructors: the votes speak of sets that may still be blind."""
    if not access.is_instructor:
        return {}
    readings = SeminarReading.objects.filter(seminar=access.seminar).values("document_id")
    picks = list(
        # A pick of a reading since removed from the seminar stays stored, but is not shown.
        DiscussionPick.objects.filter(
            theme__seminar=access.seminar,
            theme__slug__in=slugs,
            passage__document_id__in=readings,
        )
        .select_related("theme", "passage__document")
        .defer("passage__document__text")
    )
    if not picks:
        return {}
    agreement = agreement_gather(access, students=False)
    votes = {
        (row.theme.pk, vote.unit.pk): vote.summary for row in agreement.rows for vote in row.votes
    }
    order = {r.document_id: index for index, r in enumerate(agreement.readings)}
    picks.sort(key=lambda p: (order.get(p.passage.document_id, 0), p.passage.position))
    found: dict[str, list[DisputedPassage]] = {}
    for pick in picks:
        passage = pick.passage
        found.setdefault(pick.theme.slug, []).append(
            DisputedPassage(
                citation=f"{passage.document.author_line}, {passage.label}",
                section=passage.section,
                text=passage.text,
                votes=votes.get((pick.theme_id, passage.pk), "No student tagged it"),
            )
        )
    return {slug: tuple(items) for slug, items in found.items()}


def _with_footnotes(sections: list[HandoutSection]) -> None:
    """Give each cited passage the reading's footnotes and endnotes it calls: one query."""
    cited: dict[int, set[int]] = {}
    for section in sections:
        for column in section.columns:
            for p in column.passages:
                cited.setdefault(p.document_id, set()).add(p.position)
    if not cited:
        return
    near = Q()
    for document_id, positions in cited.items():
        near |= Q(document_id=document_id, passage__position__in=sorted(positions))
    found: dict[tuple[int, int], list[tuple[int, str]]] = {}
    rows = Note.objects.filter(near).order_by("number")
    for document_id, position, number, text in rows.values_list(
        "document_id", "passage__position", "number", "text"
    ):
        found.setdefault((document_id, position), []).append((number, text))
    for section in sections:
        for column in section.columns:
            column.passages[:] = [
                replace(p, footnotes=tuple(found.get((p.document_id, p.position), ())))
                for p in column.passages
            ]


def handout_build(access: SeminarAccess, options: HandoutOptions) -> tuple[Handout, Comparison]:
    """The handout for these options, and the comparison it started from (whose sets, themes
    and readings the builder offers as choices). Sets the member may not read are 404."""
    first = comparison_gather(access, source=options.source, min_people=options.min_people)
    by_slug = {theme.slug: theme for theme in first.themes}
    slugs = [slug for slug in options.themes if slug in by_slug] or list(by_slug)
    chosen_readings = set(options.readings) or {r.document_id for r in first.readings}

    disputed = _disputed(access, slugs) if options.disputed else {}
    sections: list[HandoutSection] = []
    for slug in slugs:
        comparison = comparison_gather(
            access,
            source=first.source.key,
            min_people=first.source.min_people,
            theme_slug=slug,
        )
        row = comparison.row
        columns = []
        for column in comparison.columns:
            if column.document.pk not in chosen_readings:
                continue
            document = column.document
            passages = [
                _passage(entry, document.author_line, comparison, options)
                for entry in column.entries
            ]
            summary = column.summary.text if options.summaries and column.summary else None
            columns.append(HandoutColumn(document.author_line, document.title, summary, passages))
        theme = comparison.theme
        assert theme is not None and row is not None  # gathered with a theme_slug it knows
        sections.append(
            HandoutSection(
                name=theme.name,
                slug=theme.slug,
                guiding_question=theme.guiding_question,
                verdict=row.verdict.label,
                verdict_explanation=row.verdict.explanation,
                columns=columns,
                questions=options.questions.get(slug, ()),
                disputed=disputed.get(slug, ()),
            )
        )
    if options.context:
        _with_context(sections)
    if options.footnotes:
        _with_footnotes(sections)

    readings = [r for r in first.readings if r.document_id in chosen_readings]
    seminar = access.seminar
    handout = Handout(
        seminar=seminar.title,
        seminar_slug=slugify(seminar.title)[:50].strip("-") or "seminar",
        title=options.title or seminar.title,
        date=options.date or datetime.date.today(),
        source=_source_label(first),
        paper=options.paper if options.paper in PAPERS else "a4",
        options=options,
        sections=sections,
        references=[Reference(r.document.author_line, reference(r.document)) for r in readings],
    )
    # Rows stored before every form cleaned its text may hold control characters, which a
    # Word file cannot (python-docx: "All strings must be XML compatible"): no format gets them.
    return clean_all(handout), first
