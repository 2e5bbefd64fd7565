"""Everything the compare and overview pages show, gathered in a constant number of queries.

`comparison_gather()` is the one selector: it reads the readings, the active themes, the sets the
member may read, their tags counted per theme and passage by the database (and, for one theme,
the tagged passages and position summaries), then builds the rest in Python. Templates get
plain objects and make no queries.

Queries, whatever the number of tags: readings, themes, sets, tags; plus, on a compare page, the
chosen theme's tags with their passages and the position summaries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Max, Q, Sum
from django.http import Http404

from annotations.compare.verdicts import StanceMix, Verdict, verdict
from annotations.excerpts import highlight_pieces
from annotations.models import AnnotationSet, PositionSummary, Tag, Theme
from annotations.ribbons import RIBBON_LENGTH, RibbonBuilder, RibbonLane
from annotations.selectors import sets_for_member
from annotations.stances import LABELS, STANCES
from readings.access import SeminarAccess
from readings.models import Document, Passage, SeminarReading

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ReadingStats(TypedDict):
    """What `_readings()` annotates on each SeminarReading (None when it has no passages)."""

    words: int | None
    extent: int | None


ALL = "all"
RIBBON_LANE = 22  # SVG user units: the overview's ribbons stack one lane per theme
RIBBON_MARK = 16
RIBBON_MIN_MARK = 4  # of the ribbon's 1000 units along the text


@dataclass(frozen=True)
class Source:
    """Whose tags are compared: one annotation set, or every set the member may read."""

    key: str  # the ?source= value: a set's pk, or "all"
    sets: tuple[AnnotationSet, ...]
    people: int  # distinct owners of `sets`
    min_people: int  # the "at least k of n" threshold; 1 for a single set
    summary_set: AnnotationSet | None  # whose position summaries stand on top of the columns

    @property
    def is_all(self) -> bool:
        return self.key == ALL

    @property
    def annotation_set(self) -> AnnotationSet | None:
        return None if self.is_all else self.sets[0]

    @property
    def query(self) -> str:
        """The query string that keeps this source in a link."""
        query = f"?source={self.key}"
        return query + (f"&min={self.min_people}" if self.min_people > 1 else "")

    @property
    def thresholds(self) -> range:
        return range(1, max(self.people, 1) + 1)


@dataclass
class Cell:
    """One theme in one reading: the passages that pass the threshold."""

    reading: WithAnnotations[SeminarReading, ReadingStats]
    passages: int = 0
    words: int = 0
    mix: StanceMix = field(default_factory=StanceMix)

    @property
    def share(self) -> float:
        total = self.reading.words or 0
        return self.words / total if total else 0.0

    @property
    def bar(self) -> list[tuple[str, int, int]]:
        """The stance mix as (stance, x, width) segments of a 100-unit SVG bar."""
        total, x, segments = self.mix.total, 0, []
        for stance, _, count in self.mix.parts:
            width = round(100 * (x + count) / total) - round(100 * x / total)
            segments.append((stance or "none", round(100 * x / total), width))
            x += count
        return segments

    @property
    def share_label(self) -> str:
        if not self.words:
            return "0%"
        percent = self.share * 100
        return "<1%" if percent < 1 else f"{percent:.0f}%"


@dataclass
class ThemeRow:
    theme: Theme
    cells: list[Cell]

    @property
    def verdict(self) -> Verdict:
        return verdict([cell.mix for cell in self.cells])


@dataclass(frozen=True)
class Remark:
    """What one tag says about its passage: a stance, a note, and whose set it is in (the
    compare columns and the handouts, which may leave any of the three out)."""

    stance: str
    note: str
    who: str

    @property
    def stance_label(self) -> str:
        return LABELS[self.stance] if self.stance else ""


@dataclass
class Entry:
    """A passage in a compare column, with what the tags in scope say about it."""

    passage: Passage
    people: int
    mix: StanceMix
    remarks: list[Remark]
    pieces: list[tuple[str, bool]]  # the text cut at the quote spans: (text, highlighted)

    @property
    def notes(self) -> list[Remark]:
        return [remark for remark in self.remarks if remark.note]


@dataclass
class Column:
    reading: SeminarReading
    cell: Cell
    entries: list[Entry]
    summary: PositionSummary | None

    @property
    def document(self) -> Document:
        return self.reading.document


@dataclass(frozen=True)
class Ribbon:
    """One reading's lanes, stacked in one SVG as wide as the ribbon is long."""

    reading: SeminarReading
    lanes: list[RibbonLane]
    width = RIBBON_LENGTH
    mark_height = RIBBON_MARK

    @property
    def height(self) -> int:
        return max(len(self.lanes), 1) * RIBBON_LANE

    @property
    def rows(self) -> list[tuple[RibbonLane, int]]:
        """Each lane with the y of its marks, centred in the lane."""
        margin = (RIBBON_LANE - RIBBON_MARK) // 2
        return [(lane, index * RIBBON_LANE + margin) for index, lane in enumerate(self.lanes)]


@dataclass
class Comparison:
    readings: list[WithAnnotations[SeminarReading, ReadingStats]]
    themes: list[Theme]
    sets: list[AnnotationSet]  # every set the member may read: the source choices
    source: Source
    rows: list[ThemeRow]
    ribbons: list[Ribbon]
    theme: Theme | None = None
    columns: list[Column] = field(default_factory=list)

    @property
    def row(self) -> ThemeRow | None:
        return next((row for row in self.rows if row.theme == self.theme), None)


def _readings(access: SeminarAccess) -> list[WithAnnotations[SeminarReading, ReadingStats]]:
    """The seminar's readings in column order, with `words` (the text's words outside the
    title block) and `extent` (where its last passage ends) for shares and ribbons."""
    body = ~Q(document__passages__kind__in=[Passage.Kind.FRONT_MATTER, Passage.Kind.NOT_TEXT])
    return list(
        SeminarReading.objects.filter(seminar=access.seminar)
        .select_related("document")
        .defer("document__text")
        .annotate(
            words=Sum("document__passages__word_count", filter=body),
            extent=Max("document__passages__end"),
        )
        .order_by("position", "pk")
    )


def _source(
    sets: list[AnnotationSet], user_id: int, requested: str | None, min_people: int
) -> Source:
    """The source named by ?source=, or the default: the first instructor key the member may
    read, else their own set, else every set they may read. A set they may not read is 404."""
    if requested in (None, ""):
        chosen = next((s for s in sets if s.kind == AnnotationSet.Kind.KEY), None)
        chosen = chosen or next((s for s in sets if s.owner_id == user_id), None)
        requested = str(chosen.pk) if chosen else ALL
    if requested == ALL:
        scope = tuple(sets)
        key = next((s for s in sets if s.kind == AnnotationSet.Kind.KEY), None)
        people = len({s.owner_id for s in scope})
        return Source(
            key=ALL,
            sets=scope,
            people=people,
            min_people=max(1, min(min_people, people)),
            summary_set=key,
        )
    chosen = next((s for s in sets if str(s.pk) == requested), None)
    if chosen is None:
        raise Http404("No such annotation set.")
    return Source(key=str(chosen.pk), sets=(chosen,), people=1, min_people=1, summary_set=chosen)


def comparison_gather(
    access: SeminarAccess,
    *,
    source: str | None = None,
    min_people: int = 1,
    theme_slug: str | None = None,
) -> Comparison:
    """The overview's matrix for every active theme and, given `theme_slug`, that theme's
    compare columns. Unknown themes, and sets the member may not read, are 404."""
    readings = _readings(access)
    themes = list(Theme.objects.active().filter(seminar=access.seminar).order_by("position", "pk"))
    sets = list(sets_for_member(access))
    chosen = _source(sets, access.membership.user_id, source, min_people)
    theme = None
    if theme_slug is not None:
        theme = next((t for t in themes if t.slug == theme_slug), None)
        if theme is None:
            raise Http404("No such theme.")

    owner_of = {s.pk: s.owner_id for s in chosen.sets}
    in_scope = Tag.objects.filter(
        annotation_set_id__in=list(owner_of),
        theme_id__in=[t.pk for t in themes],
        passage__document_id__in=[r.document_id for r in readings],
    )
    # One row per theme and passage, counted by the database: a class of 200 tags 30,000
    # times, in a few thousand (theme, passage) pairs (issue 11). Reading order, so ribbon marks
    # and entries come out sorted. When every set has its own owner (the usual case), people
    # are counted by set, without joining the sets to every tag.
    one_each = len(set(owner_of.values())) == len(owner_of)
    rows = (
        in_scope.values_list(
            "theme_id",
            "passage_id",
            "passage__document_id",
            "passage__word_count",
            "passage__start",
            "passage__end",
            "passage__label",
            "passage__anchor",
            "passage__position",
        )
        .annotate(
            people=Count(
                "annotation_set_id" if one_each else "annotation_set__owner_id", distinct=True
            ),
            **{stance: Count("pk", filter=Q(stance=stance)) for stance in STANCES},
            tags=Count("pk"),
        )
        .filter(people__gte=chosen.min_people)
        .order_by("passage__position", "passage_id")
    )
    kept: set[tuple[int, int]] = set()
    cells = {(t.pk, r.document_id): Cell(reading=r) for t in themes for r in readings}
    ribbons = {
        r.document_id: RibbonBuilder(r.extent or 1, min_size=RIBBON_MIN_MARK) for r in readings
    }
    urls = {r.document_id: r.document.get_absolute_url() for r in readings}
    for row in rows:
        theme_id, passage_id, document_id, word_count, start, end, label, anchor = row[:8]
        supports, opposes, qualifies, tags = row[-4:]
        kept.add((theme_id, passage_id))
        cell = cells[theme_id, document_id]
        cell.passages += 1
        cell.words += word_count
        # Any other stance counts as none, as StanceMix.of() counts it.
        cell.mix += StanceMix(supports, opposes, qualifies, tags - supports - opposes - qualifies)
        ribbons[document_id].add(
            theme_id, start, end, href=f"{urls[document_id]}#{anchor}", label=label
        )
    comparison = Comparison(
        readings=readings,
        themes=themes,
        sets=sets,
        source=chosen,
        rows=[ThemeRow(t, [cells[t.pk, r.document_id] for r in readings]) for t in themes],
        ribbons=[Ribbon(r, ribbons[r.document_id].lanes(themes)) for r in readings],
        theme=theme,
    )
    if theme is not None:
        comparison.columns = _columns(comparison, in_scope, kept)
    return comparison


def _columns(comparison: Comparison, in_scope, kept: set[tuple[int, int]]) -> list[Column]:
    """The chosen theme's columns: its passages that passed the threshold, in reading order."""
    theme, source, row = comparison.theme, comparison.source, comparison.row
    assert theme is not None and row is not None  # called only once a theme is chosen
    who = {s.pk: s.owner.get_username() for s in source.sets}
    owner_of = {s.pk: s.owner_id for s in source.sets}
    # Tuples, not Tag and Passage instances: over every set of a class that is thousands of
    # tags on a few hundred passages (issue 11).
    names = [f.attname for f in Passage._meta.concrete_fields]
    rows = (
        in_scope.filter(theme=theme, passage_id__in=[p for t, p in kept if t == theme.pk])
        .order_by("passage__position", "passage_id", "span_start", "annotation_set_id", "pk")
        .values_list(
            "annotation_set_id",
            "stance",
            "note",
            "span_start",
            "span_end",
            *(f"passage__{name}" for name in names),
        )
    )
    passages: dict[int, Passage] = {}
    by_passage: dict[int, list[tuple[int, str, str, int, int]]] = defaultdict(list)
    for set_id, stance, note, span_start, span_end, *values in rows:
        if values[0] not in passages:
            passages[values[0]] = Passage.from_db(in_scope.db, names, values)
        by_passage[values[0]].append((set_id, stance, note, span_start, span_end))
    summaries = {}
    if source.summary_set is not None:
        summaries = {
            s.document_id: s
            for s in PositionSummary.objects.filter(annotation_set=source.summary_set, theme=theme)
        }
    entries: dict[int, list[Entry]] = defaultdict(list)
    for passage_id, passage_tags in by_passage.items():
        passage = passages[passage_id]
        entries[passage.document_id].append(
            Entry(
                passage=passage,
                people=len({owner_of[set_id] for set_id, *_ in passage_tags}),
                mix=StanceMix.of(stance for _, stance, *_ in passage_tags),
                remarks=[
                    Remark(stance=stance, note=note, who=who[set_id])
                    for set_id, stance, note, *_ in passage_tags
                    if stance or note
                ],
                pieces=highlight_pieces(
                    passage.text, [(start, end) for *_, start, end in passage_tags]
                ),
            )
        )
    return [
        Column(
            reading=reading,
            cell=row.cells[index],
            entries=entries.get(reading.document_id, []),
            summary=summaries.get(reading.document_id),
        )
        for index, reading in enumerate(comparison.readings)
    ]
