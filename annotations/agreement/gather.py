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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from django.db.models import Count
from django.db.models.functions import TruncDate
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
    votes: list[Vote]  # every passage at least one coder tagged, most disputed first

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
    days: list[tuple[datetime.date, int]]  # tags added per day, oldest first
    tags: int
    today: datetime.date

    @property
    def first(self) -> datetime.date | None:
        return self.days[0][0] if self.days else None

    @property
    def last(self) -> datetime.date | None:
        return self.days[-1][0] if self.days else None

    @property
    def recent(self) -> list[tuple[datetime.date, int]]:
        """Tags per day over the ACTIVITY_DAYS ending today, quiet days included."""
        counts = dict(self.days)
        start = self.today - datetime.timedelta(days=ACTIVITY_DAYS - 1)
        return [
            (day, counts.get(day, 0))
            for day in (start + datetime.timedelta(days=n) for n in range(ACTIVITY_DAYS))
        ]

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


def _stance(stances: list[str]) -> str:
    """One coder's stance on a passage from their tags for a theme: the commonest given,
    ties to the first in reading order; "" when none gave one."""
    given = [s for s in stances if s]
    if not given:
        return ""
    counts = Counter(given)
    return max(given, key=lambda s: (counts[s], -given.index(s)))


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
    units = [
        Unit(*row)
        for row in Passage.objects.filter(document_id__in=list(reading_of))
        .exclude(kind__in=[Passage.Kind.FRONT_MATTER, Passage.Kind.HEADING, Passage.Kind.NOT_TEXT])
        .in_reading_order()
        .values_list("pk", "document_id", "position", "label", "anchor", "section", "text")
    ]
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

    # Each set's answers as arrays over (set, unit): whether it tagged the unit with a theme,
    # the stance it gave (STANCE_CODE, or -1), and which readings it has reached (tagged
    # anything in). Rows: the students in `coders` order, then the key.
    row_of = {set_id: index for index, set_id in enumerate(counted)}
    column_of = {unit.pk: index for index, unit in enumerate(units)}
    reading_index = {document_id: index for index, document_id in enumerate(order)}
    theme_index = {theme.pk: index for index, theme in enumerate(themes)}
    shape = (len(themes), len(counted), len(units))
    given: dict[tuple[int, int, int], list[str]] = defaultdict(list)
    reached = np.zeros((len(counted), len(readings)), dtype=bool)
    in_scope = Tag.objects.filter(
        annotation_set_id__in=counted,
        passage__document_id__in=list(reading_of),
        theme__seminar=seminar,
    )
    tags = in_scope.order_by("passage__position", "span_start", "pk").values_list(
        "annotation_set_id",
        "theme_id",
        "passage_id",
        "passage__document_id",
        "stance",
    )
    for set_id, theme_id, passage_id, document_id, stance in tags:
        row = row_of[set_id]
        reached[row, reading_index[document_id]] = True
        if theme_id in theme_index and passage_id in column_of:
            given[theme_index[theme_id], row, column_of[passage_id]].append(stance)
    tagged = np.zeros(shape, dtype=bool)
    stance_of = np.full(shape, -1, dtype=np.int8)
    for (t, row, column), stances in given.items():
        tagged[t, row, column] = True
        stance_of[t, row, column] = STANCE_CODE.get(_stance(stances), -1)
    unit_reading = np.array([reading_index[u.document_id] for u in units], dtype=int)
    answered = reached[:, unit_reading] if units else np.zeros((len(counted), 0), dtype=bool)

    students_n = len(coders)
    rows = []
    for t, theme in enumerate(themes):
        mine, seen = tagged[t, :students_n], answered[:students_n]
        on_theme = np.where(seen, mine.astype(float), np.nan)
        codes = stance_of[t, :students_n].astype(float)
        on_stance = np.where(seen & mine & (codes >= 0), codes, np.nan)
        key_row = (tagged[t, students_n], answered[students_n]) if key else None
        rows.append(
            ThemeAgreement(
                theme,
                alpha_matrix(on_theme),
                alpha_matrix(on_stance),
                _votes(units, reading_of, mine, seen, stance_of[t, :students_n], key_row),
            )
        )

    agreement = Agreement(readings, themes, coders, key, rows)
    if students:
        # Tags per set and day (in the site's time zone), counted by the database.
        activity: dict[int, Counter[datetime.date]] = defaultdict(Counter)
        per_day = (
            in_scope.annotate(day=TruncDate("created_at"))
            .values_list("annotation_set_id", "day")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for set_id, day, count in per_day:
            activity[set_id][day] += count
        agreement.students = _students(
            coders, themes, tagged, answered, key is not None, activity, timezone.localdate()
        )
    return agreement


def _votes(
    units: list[Unit],
    reading_of: dict[int, SeminarReading],
    mine: np.ndarray,
    seen: np.ndarray,
    stance: np.ndarray,
    key: tuple[np.ndarray, np.ndarray] | None,
) -> list[Vote]:
    """Every unit at least one student tagged with the theme, most divided first.

    `mine`, `seen`, `stance`: (student, unit) arrays for one theme. A unit's split is the mean
    distance between two students' answers over all pairs who answered: 1 for tagged against
    not tagged or for two different stances, ½ for a stance against a tag that gives none (it
    did not say), 0 for the same answer. It is counted from the answers' tallies rather than
    pair by pair, so that a lecture of 200 costs no more than a seminar of 12 (the tests check
    it against the pairwise definition)."""
    coders = seen.sum(axis=0)
    yes = mine.sum(axis=0)
    given = [(mine & (stance == code)).sum(axis=0) for code in range(len(STANCES))]
    unmarked = yes - sum(given)
    votes = []
    for u in np.flatnonzero(yes):
        n, m = int(coders[u]), int(yes[u])
        counts = [int(g[u]) for g in given]
        stated = sum(counts)
        conflicts = sum(a * b for a, b in combinations(counts, 2))
        pairs = n * (n - 1) // 2
        distance = (n - m) * m + conflicts + 0.5 * int(unmarked[u]) * stated
        key_tagged = None
        if key is not None and key[1][u]:
            key_tagged = bool(key[0][u])
        stances: Counter[str] = Counter(dict(zip(STANCES, counts, strict=True)))
        stances[""] = int(unmarked[u])
        votes.append(
            Vote(
                unit=units[u],
                reading=reading_of[units[u].document_id],
                tagged=m,
                coders=n,
                stances=+stances,
                key_tagged=key_tagged,
                split=distance / pairs if pairs else 0.0,
                conflicts=conflicts,
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
    activity: dict[int, Counter[datetime.date]],
    today: datetime.date,
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
        days = activity[coder.set_id]
        rows = [column[i] for column in columns]
        figures.append(StudentFigures(coder, rows, sorted(days.items()), sum(days.values()), today))
    return figures


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
            len(row.disputed),
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
