"""How alike the class reads the passages: Krippendorff's alpha per theme, the passages that
split the class, and each student's figures (issue 9).

The unit is a passage a reader can tag (front matter and headings are not); each student set is
a coder. Per theme a coder's answer on a passage is "tagged with this theme" or "not tagged";
for stance it is the stance they gave, where they gave one. A coder who has not tagged anything
in a reading yet has no answers for its passages (missing data, not a row of "no"): a student
who has not started the second text does not disagree with everyone about it.

`agreement_gather()` reads everything in a constant number of queries (readings, passages,
themes, sets, tags, and tags per set and day for the students' figures) and counts with NumPy
arrays over (set, passage), so a lecture of 200 costs little more than a seminar of 12. Alpha
itself is annotations/agreement/alpha.py.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from django.db import connections
from django.db.models import Case, Count, IntegerField, Max, Min, QuerySet, Value, When
from django.utils import timezone

from annotations.agreement.alpha import Alpha, alpha_matrix, alpha_with_key
from annotations.excerpts import cut_to_words
from annotations.interchange.exports.csv import spreadsheet_csv
from annotations.models import AnnotationSet, Tag, Theme
from annotations.stances import LABELS, NO_STANCE, STANCES
from readings.access import SeminarAccess
from readings.models import Passage, SeminarReading

ACTIVITY_DAYS = 28  # the activity chart's window, ending today
STANCE_CODE = {stance: code for code, stance in enumerate(STANCES)}


@dataclass(frozen=True)
class Coder:
    """A set whose answers count: a student's set, or the instructor key."""

    set_id: int
    owner_id: int
    name: str  # the owner's name, for the instructor's tables
    title: str


@dataclass(frozen=True)
class Unit:
    """A passage a reader can tag, with what a list of votes needs to show it."""

    pk: int
    document_id: int
    position: int
    label: str
    anchor: str
    section: str
    text: str


@dataclass
class Vote:
    """How the class filed one passage under one theme."""

    unit: Unit
    reading: SeminarReading
    tagged: int  # coders who tagged it with the theme
    coders: int  # coders with answers for its reading
    stances: Counter[str]  # stance → coders; "" for tagged without a stance
    key_tagged: bool | None  # None: no key, or the key has not reached this reading
    split: float  # mean distance between students' answers, 0 (all alike) to 1 (see _votes)
    conflicts: int  # pairs of coders who gave different stances

    @property
    def not_tagged(self) -> int:
        return self.coders - self.tagged

    @property
    def stance_parts(self) -> list[tuple[str, str, int]]:
        """(stance, label, coders) in a fixed order, for the stances given."""
        order = [*STANCES, NO_STANCE]
        return [(s, LABELS[s], self.stances[s]) for s in order if self.stances[s]]

    @property
    def summary(self) -> str:
        """ "2 of 3 tagged it: 1 supports, 1 opposes"."""
        text = f"{self.tagged} of {self.coders} tagged it"
        if self.stance_parts:
            text += ": " + ", ".join(
                f"{count} {label.lower()}" for stance, label, count in self.stance_parts
            )
        return text

    @property
    def excerpt(self) -> str:
        return cut_to_words(self.unit.text, 40, ellipsis=" …")

    @property
    def short_excerpt(self) -> str:
        """For a slide, in large type."""
        return cut_to_words(self.unit.text, 25, ellipsis=" …")


@dataclass
class ThemeAgreement:
    theme: Theme
    tagged: Alpha  # tagged with the theme or not
    stance: Alpha  # the stance given, where two or more coders gave one
    disputed_count: int  # passages that split the class (split > 0), counted without votes
    build_votes: Callable[[], list[Vote]] = field(repr=False, compare=False)

    @cached_property
    def votes(self) -> list[Vote]:
        """Every passage at least one coder tagged, most disputed first: built when a page
        lists them (the discussion, a slide, the handout), not for the agreement table."""
        return self.build_votes()

    @property
    def disputed(self) -> list[Vote]:
        return [vote for vote in self.votes if vote.split > 0]


@dataclass
class StudentTheme:
    theme: Theme
    tagged: int  # passages the student filed under the theme
    found: int  # of those, passages the key also filed there
    key_total: int  # passages the key filed there, in readings the student has tagged
    with_key: Alpha | None  # None: no key to compare with

    @property
    def found_label(self) -> str:
        return f"{self.found} of {self.key_total}" if self.key_total else "—"


@dataclass
class StudentFigures:
    coder: Coder
    themes: list[StudentTheme]
    recent: list[tuple[datetime.date, int]]  # tags per day over the ACTIVITY_DAYS ending today
    tags: int
    first: datetime.date | None  # the day of the first tag
    last: datetime.date | None

    @property
    def recent_total(self) -> int:
        return sum(count for _, count in self.recent)

    @property
    def bars(self) -> list[tuple[datetime.date, int, int, int, int]]:
        """(day, tags, x, y, height) of the days with tags in `recent`, for a
        4·ACTIVITY_DAYS × 24 SVG whose bars stand on its bottom edge."""
        recent = self.recent
        peak = max((count for _, count in recent), default=0)
        bars = []
        for index, (day, count) in enumerate(recent):
            if count:
                height = max(2, round(22 * count / peak))
                bars.append((day, count, index * 4, 24 - height, height))
        return bars


@dataclass
class Agreement:
    readings: list[SeminarReading]
    themes: list[Theme]
    coders: list[Coder]  # the student sets, by owner name
    key: Coder | None
    rows: list[ThemeAgreement]
    students: list[StudentFigures] = field(default_factory=list)

    def row_for(self, slug: str) -> ThemeAgreement | None:
        return next((row for row in self.rows if row.theme.slug == slug), None)


def _integers(rows: QuerySet, width: int) -> np.ndarray:
    """A values_list() of integer columns as one (row, column) array, read from the cursor
    without the ORM's per-value converters, which cost more than the query itself for the
    30,000 tags of a class of 200."""
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return np.array(found, dtype=np.int64).reshape(len(found), width)


def _indices(values: np.ndarray, keys: list[int]) -> np.ndarray:
    """Each value's index in `keys`, -1 for a value not in it."""
    if not keys or not len(values):
        return np.full(len(values), -1, dtype=np.int64)
    keys_array = np.asarray(keys, dtype=np.int64)
    by_value = np.argsort(keys_array, kind="stable")
    ordered = keys_array[by_value]
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return np.where(ordered[at] == values, by_value[at], -1)


def _stance(cells: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One coder's stance on a passage from their tags for a theme: the commonest given,
    ties to the first in reading order; none (no entry) when no tag gave one.

    `cells` and `codes` are the tags in reading order (by quote position, then as written):
    the (theme, set, unit) cell of each and its STANCE_CODE, -1 for no stance. Returns the
    cells with a stance and the stance of each."""
    given = codes >= 0
    cells, codes = cells[given], codes[given]
    if not len(cells):
        return cells, codes.astype(np.int8)
    # Per (cell, stance): how many tags gave it and where it first appears.
    pairs, first, count = np.unique(
        cells * len(STANCES) + codes, return_index=True, return_counts=True
    )
    pair_cells = pairs // len(STANCES)
    # Per cell, the stance given most often, and among those the one given first.
    best = np.lexsort((first, -count, pair_cells))
    chosen = best[np.r_[True, pair_cells[best][1:] != pair_cells[best][:-1]]]
    return pair_cells[chosen], (pairs[chosen] % len(STANCES)).astype(np.int8)


def agreement_gather(access: SeminarAccess, *, students: bool = True) -> Agreement:
    """Agreement over the seminar's student sets for every active theme, with the key's
    figures per student. The caller decides who may see what (see the views)."""
    seminar = access.seminar
    readings = list(
        SeminarReading.objects.filter(seminar=seminar)
        .select_related("document")
        .defer("document__text")
        .order_by("position", "pk")
    )
    reading_of = {r.document_id: r for r in readings}
    # Every passage of the readings (which reading a tag is in: a tag on a heading shows the
    # reading reached) and, of those, the units.
    not_units = {Passage.Kind.FRONT_MATTER, Passage.Kind.HEADING, Passage.Kind.NOT_TEXT}
    every_passage = list(
        Passage.objects.filter(document_id__in=list(reading_of))
        .in_reading_order()
        .values_list("kind", "pk", "document_id", "position", "label", "anchor", "section", "text")
    )
    units = [Unit(*row[1:]) for row in every_passage if row[0] not in not_units]
    passages = np.array([row[1:3] for row in every_passage], dtype=np.int64).reshape(-1, 2)
    order = {r.document_id: index for index, r in enumerate(readings)}
    units.sort(key=lambda u: (order[u.document_id], u.position))
    themes = list(Theme.objects.active().filter(seminar=seminar).order_by("position", "pk"))
    sets = list(
        AnnotationSet.objects.filter(seminar=seminar, archived_at__isnull=True)
        .select_related("owner")
        .order_by("kind", "title", "pk")
    )
    key_set = next((s for s in sets if s.kind == AnnotationSet.Kind.KEY), None)
    student_sets = [s for s in sets if s.kind == AnnotationSet.Kind.STUDENT]

    def coder(s: AnnotationSet) -> Coder:
        name = s.owner.get_full_name() or s.owner.get_username()
        return Coder(s.pk, s.owner_id, name, s.title)

    # The key is the one compare uses by default: the first by title. Students by name.
    coders = sorted((coder(s) for s in student_sets), key=lambda c: (c.name.casefold(), c.set_id))
    key = coder(key_set) if key_set else None
    counted = [c.set_id for c in coders] + ([key.set_id] if key else [])

    # Each set's answers as arrays over (theme, set, unit): whether it tagged the unit with the
    # theme, the stance it gave (STANCE_CODE, or -1), and which readings it has reached (tagged
    # anything in). Rows: the students in `coders` order, then the key. The tags arrive as one
    # integer array and are placed with NumPy: a class of 200 has some 30,000 of them.
    shape = (len(themes), len(counted), len(units))
    in_scope = Tag.objects.filter(annotation_set_id__in=counted)
    stance_code = Case(
        *(When(stance=stance, then=Value(code)) for stance, code in STANCE_CODE.items()),
        default=Value(-1),
        output_field=IntegerField(),
    )
    found = _integers(
        in_scope.order_by("span_start", "pk").values_list(
            "annotation_set_id", "theme_id", "passage_id", stance_code
        ),
        4,
    )
    # Tags on a reading that has left the seminar do not count.
    passage_rows = _indices(found[:, 2], passages[:, 0].tolist())
    found, passage_rows = found[passage_rows >= 0], passage_rows[passage_rows >= 0]
    set_rows = _indices(found[:, 0], counted)
    reached = np.zeros((len(counted), len(readings)), dtype=bool)
    reached[set_rows, _indices(passages[passage_rows, 1], list(order))] = True
    theme_rows = _indices(found[:, 1], [theme.pk for theme in themes])
    columns = _indices(found[:, 2], [unit.pk for unit in units])
    kept = (theme_rows >= 0) & (columns >= 0)  # an archived theme, a heading
    cells = (
        np.ravel_multi_index((theme_rows[kept], set_rows[kept], columns[kept]), shape)
        if kept.any()
        else np.zeros(0, dtype=np.int64)
    )
    tagged = np.zeros(shape, dtype=bool)
    tagged.flat[cells] = True
    stance_of = np.full(shape, -1, dtype=np.int8)
    cell_stances = _stance(cells, found[kept, 3])
    stance_of.flat[cell_stances[0]] = cell_stances[1]
    unit_reading = np.array([order[u.document_id] for u in units], dtype=np.int64)
    answered = reached[:, unit_reading] if units else np.zeros((len(counted), 0), dtype=bool)

    students_n = len(coders)
    rows = []
    for t, theme in enumerate(themes):
        mine, seen = tagged[t, :students_n], answered[:students_n]
        on_theme = np.where(seen, mine.astype(float), np.nan)
        codes = stance_of[t, :students_n]
        on_stance = np.where(seen & mine & (codes >= 0), codes.astype(float), np.nan)
        key_row = (tagged[t, students_n], answered[students_n]) if key else None
        tallies = _tallies(mine, seen, codes)

        def build(tallies: Tallies = tallies, key_row=key_row) -> list[Vote]:
            return _votes(units, reading_of, tallies, key_row)

        rows.append(
            ThemeAgreement(
                theme,
                alpha_matrix(on_theme),
                alpha_matrix(on_stance),
                int((tallies.split > 0).sum()),
                build,
            )
        )

    agreement = Agreement(readings, themes, coders, key, rows)
    if students:
        agreement.students = _students(
            coders,
            themes,
            tagged,
            answered,
            key is not None,
            _activity(in_scope),
        )
    return agreement


@dataclass(frozen=True)
class Tallies:
    """How the students answered each unit on one theme: (unit,) arrays."""

    coders: np.ndarray  # students with answers for the unit's reading
    tagged: np.ndarray  # students who tagged it with the theme
    stances: np.ndarray  # (len(STANCES), unit): students who gave each stance

    @cached_property
    def stated(self) -> np.ndarray:
        return np.asarray(self.stances.sum(axis=0))

    @property
    def unmarked(self) -> np.ndarray:
        """Tagged without a stance."""
        return np.asarray(self.tagged - self.stated)

    @cached_property
    def conflicts(self) -> np.ndarray:
        """Pairs of students who gave different stances."""
        return np.asarray((self.stated**2 - (self.stances**2).sum(axis=0)) // 2)

    @cached_property
    def split(self) -> np.ndarray:
        """The mean distance between two students' answers over all pairs who answered: 1
        for tagged against not tagged or for two different stances, ½ for a stance against a
        tag that gives none (it did not say), 0 for the same answer; 0 with fewer than two."""
        n, m = self.coders, self.tagged
        distance = (n - m) * m + self.conflicts + 0.5 * self.unmarked * self.stated
        pairs = n * (n - 1) // 2
        return np.asarray(np.divide(distance, pairs, out=np.zeros(len(n)), where=pairs > 0))


def _tallies(mine: np.ndarray, seen: np.ndarray, stance: np.ndarray) -> Tallies:
    """`mine`, `seen`, `stance`: (student, unit) arrays for one theme. Counted from the
    answers' tallies rather than pair by pair, so that a lecture of 200 costs no more than a
    seminar of 12 (the tests check it against the pairwise definition)."""
    stances = np.stack([(mine & (stance == code)).sum(axis=0) for code in range(len(STANCES))])
    return Tallies(
        seen.sum(axis=0).astype(np.int64),
        mine.sum(axis=0).astype(np.int64),
        stances.reshape(len(STANCES), mine.shape[1]).astype(np.int64),
    )


def _votes(
    units: list[Unit],
    reading_of: dict[int, SeminarReading],
    tallies: Tallies,
    key: tuple[np.ndarray, np.ndarray] | None,
) -> list[Vote]:
    """Every unit at least one student tagged with the theme, most divided first."""
    votes = []
    unmarked, split, conflicts = tallies.unmarked, tallies.split, tallies.conflicts
    for u in np.flatnonzero(tallies.tagged):
        counts = [int(c) for c in tallies.stances[:, u]]
        key_tagged = None
        if key is not None and key[1][u]:
            key_tagged = bool(key[0][u])
        stances: Counter[str] = Counter(dict(zip(STANCES, counts, strict=True)))
        stances[""] = int(unmarked[u])
        votes.append(
            Vote(
                unit=units[u],
                reading=reading_of[units[u].document_id],
                tagged=int(tallies.tagged[u]),
                coders=int(tallies.coders[u]),
                stances=+stances,
                key_tagged=key_tagged,
                split=float(split[u]),
                conflicts=int(conflicts[u]),
            )
        )
    # Most divided first; among equals, opposed stances, then the passages more people tagged,
    # then reading order.
    votes.sort(key=lambda v: (-v.split, -v.conflicts, -v.tagged))
    return votes


def _students(
    coders: list[Coder],
    themes: list[Theme],
    tagged: np.ndarray,
    answered: np.ndarray,
    has_key: bool,
    activity: Activity,
) -> list[StudentFigures]:
    count = len(coders)
    # Per theme, per student: passages tagged, the key's passages found, the key's passages in
    # readings the student has reached, alpha with the key.
    columns: list[list[StudentTheme]] = []
    for t, theme in enumerate(themes):
        mine, seen = tagged[t, :count], answered[:count]
        tagged_n = mine.sum(axis=1)
        if not has_key:
            columns.append([StudentTheme(theme, int(n), 0, 0, None) for n in tagged_n])
            continue
        key, key_seen = tagged[t, count], answered[count]
        found, total = (mine & key).sum(axis=1), (seen & key).sum(axis=1)
        alphas = alpha_with_key(mine, seen, key, key_seen)
        columns.append(
            [
                StudentTheme(theme, int(n), int(f), int(k), a)
                for n, f, k, a in zip(tagged_n, found, total, alphas, strict=True)
            ]
        )
    figures = []
    for i, coder in enumerate(coders):
        rows = [column[i] for column in columns]
        figures.append(StudentFigures(coder, rows, *activity(coder.set_id)))
    return figures


# A set's tags per recent day, its number of tags, the days of its first and last.
ActivityRow = tuple[
    list[tuple[datetime.date, int]], int, datetime.date | None, datetime.date | None
]
Activity = Callable[[int], ActivityRow]


def _activity(tags: QuerySet[Tag]) -> Activity:
    """Per set: its tags per day over the ACTIVITY_DAYS ending today (in the site's time zone),
    its number of tags, and the days of its first and last (all of the set's tags: work on a
    reading that has since left the seminar was work done).

    The database counts them with comparisons against the days' bounds, worked out here, so
    that no row goes through a date function (on SQLite that is a Python call per tag)."""
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(ACTIVITY_DAYS - 1, -1, -1)]
    zone = timezone.get_current_timezone()
    bounds = [
        datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
        for day in [*days, today + datetime.timedelta(days=1)]
    ]
    # Each tag's day in the window (0 the oldest, -1 outside it), by comparisons: in a class
    # most tags are today's, and the first comparison places them.
    day = Case(
        When(created_at__gte=bounds[-1], then=Value(-1)),
        *(When(created_at__gte=bounds[n], then=Value(n)) for n in reversed(range(ACTIVITY_DAYS))),
        default=Value(-1),
        output_field=IntegerField(),
    )
    counts: dict[int, list[int]] = {}
    firsts: dict[int, list[datetime.datetime]] = {}
    lasts: dict[int, list[datetime.datetime]] = {}
    per_day = (
        tags.order_by()
        .annotate(day=day)
        .values("annotation_set_id", "day")
        .annotate(n=Count("pk"), first=Min("created_at"), last=Max("created_at"))
    )
    for row in per_day:
        set_id = row["annotation_set_id"]
        counts.setdefault(set_id, [0] * (ACTIVITY_DAYS + 1))[row["day"]] += row["n"]
        firsts.setdefault(set_id, []).append(row["first"])
        lasts.setdefault(set_id, []).append(row["last"])

    def local_day(moment: datetime.datetime | None) -> datetime.date | None:
        return timezone.localdate(moment) if moment is not None else None

    def of(set_id: int) -> ActivityRow:
        if set_id not in counts:
            return [(day, 0) for day in days], 0, None, None
        per_day = counts[set_id]  # the last entry: outside the window
        recent = [(day, per_day[n]) for n, day in enumerate(days)]
        return recent, sum(per_day), local_day(min(firsts[set_id])), local_day(max(lasts[set_id]))

    return of


def agreement_csv(agreement: Agreement) -> bytes:
    """The instructor's agreement table for a spreadsheet: one row per theme, the class's
    alphas, then per student the passages tagged, the key's passages found and alpha with the
    key. Undefined alphas are empty cells; the header says what each column is."""
    header = [
        "theme",
        "student sets",
        "passages answered by two or more",
        "alpha (tagged or not)",
        "alpha (stance)",
        "passages with two or more stances",
        "disputed passages",
    ]
    for coder in agreement.coders:
        header += [
            f"{coder.name}: passages tagged",
            f"{coder.name}: key passages found",
            f"{coder.name}: alpha with key",
        ]
    by_coder = {s.coder.set_id: s for s in agreement.students}

    def number(alpha: Alpha | None) -> str:
        return "" if alpha is None or alpha.value is None else f"{alpha.value:.3f}"

    lines: list[list[str | int]] = [list(header)]
    for index, row in enumerate(agreement.rows):
        line: list[str | int] = [
            row.theme.name,
            row.tagged.coders,
            row.tagged.units,
            number(row.tagged),
            number(row.stance),
            row.stance.units,
            row.disputed_count,
        ]
        for coder in agreement.coders:
            figures = by_coder.get(coder.set_id)
            theme = figures.themes[index] if figures else None
            line += [
                theme.tagged if theme else "",
                theme.found if theme and theme.with_key else "",
                number(theme.with_key) if theme else "",
            ]
        lines.append(line)
    return spreadsheet_csv(lines)
