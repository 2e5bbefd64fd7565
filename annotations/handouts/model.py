"""The one handout model: what every format shows, built on `comparison_gather()`.

Each chosen theme is one call to the comparison selector (its columns are per theme), so the
handout shows exactly what the compare page shows for the same source and threshold. Context
passages, when asked for, cost one more query for all themes together.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from itertools import zip_longest

from django.db.models import Count, Q
from django.utils.text import slugify

from annotations.agreement.gather import agreement_gather
from annotations.compare.gather import Column, Comparison, Entry, Remark, comparison_gather
from annotations.excerpts import AUTO, cut_to_words, passage_excerpt
from annotations.models import AnnotationSet, DiscussionPick, Tag, Theme
from annotations.stances import NO_STANCE
from readings.access import SeminarAccess
from readings.importing.normalise import clean_all
from readings.models import Document, Note, Passage, SeminarReading

PAPERS = {"a4": "A4", "letter": "US Letter"}
CONTEXT_WORDS = 40
DEFAULT_LIMIT = 3
OPENING_WORDS = 8  # of a passage left out, in the preview
SPLIT_PER_THEME = 1  # "the place where the class split" (issue 25), per theme without a pick
SPLIT_WORDS = 30


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
    fit: int | None = None  # at most this many PDF pages, trimmed in the documented order

    @property
    def key(self) -> str:
        """Everything chosen, in one canonical string: equal choices, equal keys (caches)."""
        fields = vars(self).copy()
        for name in ("questions", "pins", "drops"):
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
    shortened: bool  # excerpts cut shorter than chosen
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


def _spans(pieces: list[tuple[str, bool]]) -> tuple[tuple[int, int], ...]:
    """The quote spans back from the compare entry's highlighted pieces, as offsets."""
    spans, at = [], 0
    for piece, marked in pieces:
        if marked:
            spans.append((at, at + len(piece)))
        at += len(piece)
    return tuple(spans)


def excerpt_of(
    passage: HandoutPassage,
    options: HandoutOptions,
    *,
    kind: str | None = None,
    sentences: int | None = None,
    words: int | None = None,
) -> HandoutPassage:
    """`passage` with its pieces cut as the options (or the fit, overriding them) say."""
    excerpt = passage_excerpt(
        passage.whole_text,
        passage.spans,
        kind=kind or options.excerpt,
        sentences=sentences or options.sentences,
        max_words=words or options.words,
    )
    return replace(passage, pieces=excerpt.pieces, shortened=excerpt.shortened)


def _passage(
    entry: Entry,
    author_line: str,
    comparison: Comparison,
    options: HandoutOptions,
    *,
    rank: int,
    pinned: bool,
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
    passage = HandoutPassage(
        citation=f"{author_line}, {entry.passage.label}",
        label=entry.passage.label,
        section=entry.passage.section,
        pieces=entry.pieces,
        remarks=[remark for remark in remarks if remark.note or remark.stance],
        people=people,
        document_id=entry.passage.document_id,
        position=entry.passage.position,
        passage_id=entry.passage.pk,
        pinned=pinned,
        rank=rank,
        whole_text=entry.passage.text,
        spans=_spans(entry.pieces),
    )
    return excerpt_of(passage, options)


@dataclass(frozen=True)
class Standing:
    """What the fill order reads about one passage under one theme."""

    key_stance: bool  # the instructor key tags it with a stance
    students: int  # student sets that tag it


def _standings(comparison: Comparison, theme_ids: list[int]) -> dict[tuple[int, int], Standing]:
    """Per (theme, passage): does the key give it a stance, and how many students tagged it.
    Only the sets this member may read count (`comparison.sets`): one query."""
    visible = [s.pk for s in comparison.sets]
    rows = (
        Tag.objects.filter(annotation_set_id__in=visible, theme_id__in=theme_ids)
        .values_list("theme_id", "passage_id")
        .annotate(
            key=Count(
                "pk",
                filter=Q(annotation_set__kind=AnnotationSet.Kind.KEY) & ~Q(stance=NO_STANCE),
            ),
            students=Count(
                "annotation_set_id",
                filter=Q(annotation_set__kind=AnnotationSet.Kind.STUDENT),
                distinct=True,
            ),
        )
        .order_by()
    )
    return {(t, p): Standing(key > 0, students) for t, p, key, students in rows}


def fill_order(
    entries: list[Entry], theme_id: int, standings: dict[tuple[int, int], Standing]
) -> list[Entry]:
    """The documented order in which a column's places are filled: the key's passages with a
    stance first, then those most tagged by the class's students, then reading order."""
    nothing = Standing(False, 0)

    def place(entry: Entry) -> tuple[bool, int, int]:
        standing = standings.get((theme_id, entry.passage.pk), nothing)
        return (not standing.key_stance, -standing.students, entry.passage.position)

    return sorted(entries, key=place)


def _choose(
    column: Column,
    theme: Theme,
    comparison: Comparison,
    options: HandoutOptions,
    standings: dict[tuple[int, int], Standing],
) -> tuple[list[HandoutPassage], list[LeftOut]]:
    """The column's passages the handout prints, in reading order, and those it leaves out:
    pinned ones always, dropped ones never, the rest in fill order up to the limit."""
    pins = set(options.pins.get(theme.slug, ()))
    drops = set(options.drops.get(theme.slug, ())) - pins
    ordered = fill_order(column.entries, theme.pk, standings)
    rank = {entry.passage.pk: index for index, entry in enumerate(ordered)}
    kept = {e.passage.pk for e in ordered if e.passage.pk in pins}
    for entry in ordered:
        if options.limit and len(kept) >= options.limit:
            break
        if entry.passage.pk not in drops:
            kept.add(entry.passage.pk)
    author_line = column.document.author_line
    printed, left_out = [], []
    for entry in column.entries:  # reading order
        pk = entry.passage.pk
        if pk in kept:
            printed.append(
                _passage(entry, author_line, comparison, options, rank=rank[pk], pinned=pk in pins)
            )
        else:
            left_out.append(
                LeftOut(
                    passage_id=pk,
                    label=entry.passage.label,
                    citation=f"{author_line}, {entry.passage.label}",
                    reason=DROPPED if pk in drops else OVER_LIMIT,
                    opening=cut_to_words(entry.passage.text, OPENING_WORDS, ellipsis=" …"),
                )
            )
    return printed, left_out


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


def _class_revealed(access: SeminarAccess) -> bool:
    """Whether the class's sets are open to the class: there are student sets, and none is
    still blind. Only then does a handout say where the class split."""
    counts = AnnotationSet.objects.filter(
        seminar=access.seminar, kind=AnnotationSet.Kind.STUDENT, archived_at__isnull=True
    ).aggregate(sets=Count("pk"), blind=Count("pk", filter=Q(blind=True, revealed_at__isnull=True)))
    return bool(counts["sets"]) and not counts["blind"]


def _quoted(text: str, options: HandoutOptions) -> str:
    """A passage under "where the class split": its votes are the point, so one sentence is
    enough, unless the instructor asked for whole passages."""
    excerpt = passage_excerpt(
        text, [], kind=options.excerpt, sentences=1, max_words=min(options.words, SPLIT_WORDS)
    )
    return excerpt.text


def _disputed(
    access: SeminarAccess, slugs: list[str], options: HandoutOptions
) -> dict[str, tuple[DisputedPassage, ...]]:
    """Where the class read a theme differently, per theme slug, in reading order, with the
    class's votes: the passages picked in the discussion view or, for a theme with no pick
    once the student sets are revealed, the SPLIT_PER_THEME passages that split the class
    most. Only for instructors: the votes speak of sets that may still be blind."""
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
    revealed = _class_revealed(access)
    if not picks and not revealed:
        return {}
    agreement = agreement_gather(access, students=False)
    votes = {
        (row.theme.pk, vote.unit.pk): vote.summary for row in agreement.rows for vote in row.votes
    }
    order = {r.document_id: index for index, r in enumerate(agreement.readings)}
    found: dict[str, list[tuple[tuple[int, int], DisputedPassage]]] = {}
    for pick in picks:
        passage = pick.passage
        found.setdefault(pick.theme.slug, []).append(
            (
                (order.get(passage.document_id, 0), passage.position),
                DisputedPassage(
                    citation=f"{passage.document.author_line}, {passage.label}",
                    section=passage.section,
                    text=_quoted(passage.text, options),
                    votes=votes.get((pick.theme_id, passage.pk), "No student tagged it"),
                ),
            )
        )
    if revealed:
        for row in agreement.rows:
            if row.theme.slug not in slugs or row.theme.slug in found:
                continue
            for vote in row.disputed[:SPLIT_PER_THEME]:  # most divided first
                unit = vote.unit
                found.setdefault(row.theme.slug, []).append(
                    (
                        (order.get(unit.document_id, 0), unit.position),
                        DisputedPassage(
                            citation=f"{vote.reading.document.author_line}, {unit.label}",
                            section=unit.section,
                            text=_quoted(unit.text, options),
                            votes=vote.summary,
                            picked=False,
                        ),
                    )
                )
    return {
        slug: tuple(item for _, item in sorted(items, key=lambda pair: pair[0]))
        for slug, items in found.items()
    }


def _not_repeated(
    items: tuple[DisputedPassage, ...], columns: list[HandoutColumn]
) -> tuple[DisputedPassage, ...]:
    """A split the agreement figures found in a passage the columns print already is named
    with its votes, without printing its words a second time."""
    printed = {p.citation for column in columns for p in column.passages}
    return tuple(
        replace(item, text="") if not item.picked and item.citation in printed else item
        for item in items
    )


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

    disputed = _disputed(access, slugs, options) if options.disputed else {}
    standings = _standings(first, [by_slug[slug].pk for slug in slugs])
    sections: list[HandoutSection] = []
    for slug in slugs:
        comparison = comparison_gather(
            access,
            source=first.source.key,
            min_people=first.source.min_people,
            theme_slug=slug,
        )
        row = comparison.row
        theme = comparison.theme
        assert theme is not None and row is not None  # gathered with a theme_slug it knows
        columns = []
        for column in comparison.columns:
            if column.document.pk not in chosen_readings:
                continue
            document = column.document
            passages, left_out = _choose(column, theme, comparison, options, standings)
            summary = column.summary.text if options.summaries and column.summary else None
            columns.append(
                HandoutColumn(document.author_line, document.title, summary, passages, left_out)
            )
        sections.append(
            HandoutSection(
                name=theme.name,
                slug=theme.slug,
                guiding_question=theme.guiding_question,
                verdict=row.verdict.label,
                verdict_explanation=row.verdict.explanation,
                columns=columns,
                questions=options.questions.get(slug, ()),
                disputed=_not_repeated(disputed.get(slug, ()), columns),
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
