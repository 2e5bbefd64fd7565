"""Data for the load benchmark (issue 11): a class, and optionally an institution around it.

Run with: DATABASE_URL=postgres://... .venv/bin/python bench/make_data.py --scale class
(bench/load.py runs it for you into its own PostgreSQL server.) The database must be migrated
and must not hold the benchmark's class seminar yet.

Scales:
- small: 2 readings of about 1,500 words, 4 themes, 10 students with 20 tags each and a key;
  for trying the scripts in seconds.
- class: 6 readings of about 8,000 words, 12 themes, 200 students with 150 tags each and the
  instructor's key (30,150 tags), written through the project's services (document_import,
  seminar_create, seminar_join, theme_create, annotation_set_create, passage_tag), as people
  would make it.
- institution: the same class, then 1,999 more seminars (6 readings, 12 themes, a key and 9
  students' sets of 150 tags each; 6,000 students shared between them) up to about 3,000,000
  tags, inserted with bulk_create in batches: the same rows and database constraints, without
  a service call per tag. `--seminars` and `--tags` shrink it for trying the bulk path.

Everything is deterministic for a given --seed (texts, tags, stances, notes; not the primary
keys). The texts are generated from a fixed vocabulary; the seed corpus is not copied.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402

from annotations.models import AnnotationSet, Tag, Theme  # noqa: E402
from annotations.palette import PALETTE  # noqa: E402
from annotations.services import annotation_set_create, passage_tag, theme_create  # noqa: E402
from readings.importing import split_text  # noqa: E402
from readings.models import (  # noqa: E402
    Document,
    Membership,
    Passage,
    Seminar,
    SeminarReading,
)
from readings.services import (  # noqa: E402
    DocumentMetadata,
    document_import,
    passages_from_split,
    seminar_create,
    seminar_join,
)

User = get_user_model()

CLASS_TITLE = "Load benchmark: the class"
OTHER_TITLE = "Load benchmark: seminar {n}"
PASSWORD = "bench-read-together"  # every benchmark account; sessions are made without it
INSTRUCTOR = "bench-instructor"
STUDENT = "bench-student-{n:03d}"

VOCABULARY = """
alliance partnership border trade sanctions energy pivot leverage summit treaty autonomy
primacy rapprochement deterrence security economy dependence rivalry hedging balance order
power influence region market pipeline gas oil grain arms technology chips finance currency
reserve dollar yuan rouble bank credit debt loan investment infrastructure railway port corridor
Moscow Beijing Washington Brussels Delhi Tokyo Seoul Kyiv Taipei Ankara Tehran Astana Berlin
the a of and in to that on for with as by from at which but not this its their these those
strategic historical political military economic diplomatic regional global domestic elite
leaders officials analysts scholars observers critics governments states nations partners
argue claim suggest insist doubt concede observe warn expect predict deny accept question
limits asymmetry mistrust convergence divergence interests values norms institutions regime
war peace crisis conflict cooperation competition negotiation agreement dispute settlement
Arctic Pacific Atlantic Eurasia Asia Europe Africa Siberia Xinjiang Mongolia Kazakhstan Ukraine
because although however therefore meanwhile nevertheless moreover indeed perhaps rarely often
long short deep shallow durable fragile stable uncertain rising declining junior senior equal
""".split()  # noqa: SIM905 - a paragraph of words reads better than 180 quoted ones
CAPITALISED = [w for w in VOCABULARY if w[0].isupper()]
THEME_NAMES = [
    "Energy",
    "Trade",
    "Military cooperation",
    "Central Asia",
    "Taiwan",
    "Ukraine",
    "Sanctions",
    "Technology",
    "The Arctic",
    "Ideology",
    "Finance",
    "Public opinion",
]


@dataclass(frozen=True)
class Scale:
    readings: int
    words: int
    themes: int
    students: int
    tags_per_set: int
    seminars: int = 1  # the class, plus (seminars - 1) others made in bulk
    other_students: int = 9  # sets per other seminar, besides its key
    student_pool: int = 6000  # the other seminars' students, shared between them


SCALES = {
    "small": Scale(readings=2, words=1500, themes=4, students=10, tags_per_set=20),
    "class": Scale(readings=6, words=8000, themes=12, students=200, tags_per_set=150),
    "institution": Scale(
        readings=6, words=8000, themes=12, students=200, tags_per_set=150, seminars=2000
    ),
}


# Texts ------------------------------------------------------------------------------------


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(9, 24))]
    return " ".join(words).capitalize() + "."


def reading_text(rng: random.Random, words: int, title: str) -> str:
    """About `words` words: a title block, headed sections of paragraphs, a few bullet lists
    and pull quotes, the shapes the splitter meets in real readings."""
    blocks = [title, f"By {rng.choice(CAPITALISED)} Author"]
    total, n = 0, 0
    while total < words:
        n += 1
        if n % 12 == 1:
            blocks.append(f"{rng.choice(CAPITALISED)} and the {rng.choice(VOCABULARY)} question")
            continue
        if n % 19 == 0:
            blocks.append("\n".join(f"• {_sentence(rng)}" for _ in range(3)))
            total += 45
            continue
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
        blocks.append(paragraph)
        total += len(paragraph.split())
    return "\n\n".join(blocks) + "\n"


# Tags -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagPlan:
    passage: int  # index into the seminar's taggable passages
    theme: int  # index into the themes
    span: tuple[int, int] | None
    stance: str
    note: str


STANCES = ["supports", "opposes", "qualifies"]


def _span(rng: random.Random, text: str) -> tuple[int, int]:
    """A quote of a few whole words inside `text`."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == " "]
    first = rng.randrange(len(starts))
    last = min(len(starts) - 1, first + rng.randint(3, 12))
    end = starts[last] - 1 if last > first else len(text)
    return starts[first], max(end, starts[first] + 1)


def key_plan(rng: random.Random, texts: list[str], themes: int, count: int) -> list[TagPlan]:
    """The instructor's key: each theme clusters around a few places in the readings."""
    centres = {t: [rng.randrange(len(texts)) for _ in range(4)] for t in range(themes)}
    pairs: dict[tuple[int, int], TagPlan] = {}
    while len(pairs) < count:
        theme = rng.randrange(themes)
        passage = min(len(texts) - 1, max(0, rng.choice(centres[theme]) + rng.randint(-6, 6)))
        span = _span(rng, texts[passage]) if rng.random() < 0.15 else None
        pairs.setdefault(
            (passage, theme),
            TagPlan(passage, theme, span, rng.choice(STANCES) if rng.random() < 0.6 else "", ""),
        )
    return list(pairs.values())


def student_plan(
    rng: random.Random, texts: list[str], themes: int, key: list[TagPlan], count: int
) -> list[TagPlan]:
    """A student finds about 60 % of the key's tags, agrees with most of its stances, and adds
    tags of their own elsewhere."""
    plans: dict[tuple[int, int, tuple[int, int] | None], TagPlan] = {}
    for tag in rng.sample(key, min(len(key), int(count * 0.6))):
        stance = tag.stance if rng.random() < 0.7 else rng.choice(["", *STANCES])
        plans[tag.passage, tag.theme, tag.span] = TagPlan(
            tag.passage, tag.theme, tag.span, stance, ""
        )
    while len(plans) < count:
        passage, theme = rng.randrange(len(texts)), rng.randrange(themes)
        span = _span(rng, texts[passage]) if rng.random() < 0.15 else None
        stance = rng.choice(STANCES) if rng.random() < 0.5 else ""
        note = (
            f"See {rng.choice(VOCABULARY)} and {rng.choice(VOCABULARY)}."
            if rng.random() < 0.1
            else ""
        )
        plans.setdefault((passage, theme, span), TagPlan(passage, theme, span, stance, note))
    return list(plans.values())


# The class, through the services ----------------------------------------------------------


def _users(names: list[str]) -> list:
    """Accounts with one shared password hash: hashing it once per account would take minutes."""
    hashed = make_password(PASSWORD)
    User.objects.bulk_create(User(username=name, password=hashed) for name in names)
    return list(User.objects.filter(username__in=names).order_by("username"))


def make_class(scale: Scale, seed: int) -> Seminar:
    rng = random.Random(f"{seed}-class")
    instructor, *students = _users(
        [INSTRUCTOR] + [STUDENT.format(n=n) for n in range(1, scale.students + 1)]
    )
    seminar = seminar_create(title=CLASS_TITLE, term="Benchmark", instructor=instructor)
    for n in range(scale.readings):
        title = f"Reading {n + 1}: {rng.choice(CAPITALISED)} and {rng.choice(CAPITALISED)}"
        document_import(
            raw_text=reading_text(rng, scale.words, title),
            metadata=DocumentMetadata(title=title, authors=[f"Author {chr(65 + n)}. Writer"]),
            original_format=Document.Format.TXT,
            owner=instructor,
            seminar=seminar,
        )
    themes = [
        theme_create(seminar=seminar, name=name, guiding_question=f"What about {name.lower()}?")
        for name in THEME_NAMES[: scale.themes]
    ]
    for student in students:
        seminar_join(code=seminar.join_code or "", user=student)
    passages = taggable_passages(seminar)
    texts = [p.text for p in passages]
    key = annotation_set_create(
        seminar=seminar, owner=instructor, title="Key", kind=AnnotationSet.Kind.KEY
    )
    key_tags = key_plan(rng, texts, len(themes), scale.tags_per_set)
    _tag_through_services(key, instructor, key_tags, passages, themes)
    for n, student in enumerate(students, 1):
        own = annotation_set_create(seminar=seminar, owner=student, title=f"Student {n} reading")
        plan = student_plan(rng, texts, len(themes), key_tags, scale.tags_per_set)
        _tag_through_services(own, student, plan, passages, themes)
        if n % 20 == 0:
            print(f"  class: {n} of {len(students)} students tagged", flush=True)
    return seminar


def taggable_passages(seminar: Seminar) -> list[Passage]:
    readings = SeminarReading.objects.filter(seminar=seminar).values("document_id")
    return list(
        Passage.objects.filter(
            document_id__in=readings, kind__in=[Passage.Kind.PARAGRAPH, Passage.Kind.LIST_ITEM]
        ).order_by("document_id", "position")
    )


def _tag_through_services(annotation_set, author, plan, passages, themes) -> None:
    with transaction.atomic():
        for tag in plan:
            passage_tag(
                annotation_set=annotation_set,
                passage=passages[tag.passage],
                theme=themes[tag.theme],
                author=author,
                span=tag.span,
                stance=tag.stance,
                note=tag.note,
            )


# The rest of the institution, in bulk ------------------------------------------------------


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def make_others(scale: Scale, seed: int, seminars: int, tag_budget: int) -> int:
    """`seminars` more seminars with bulk inserts; returns the tags written."""
    rng = random.Random(f"{seed}-institution")
    pool_texts = []
    for n in range(24):  # 24 distinct texts, each read in many seminars as separate documents
        text = reading_text(rng, scale.words, f"Pooled reading {n + 1}")
        pool_texts.append((f"Pooled reading {n + 1}", split_text(text)))
    instructors = _users([f"bench-teacher-{n:04d}" for n in range(seminars)])
    pool = _users([f"bench-pupil-{n:05d}" for n in range(scale.student_pool)])
    per_set = max(1, -(-tag_budget // max(1, seminars * (scale.other_students + 1))))
    written = 0
    codes = {
        code for code in Seminar.objects.values_list("join_code", flat=True) if code is not None
    }
    chunk = 50
    for first in range(0, seminars, chunk):
        started = time.perf_counter()
        with transaction.atomic():
            written += _other_chunk(
                scale,
                rng,
                range(first, min(seminars, first + chunk)),
                instructors,
                pool,
                pool_texts,
                per_set,
                codes,
            )
        print(
            f"  institution: {min(seminars, first + chunk)} of {seminars} seminars, "
            f"{written} tags ({time.perf_counter() - started:.1f} s for this chunk)",
            flush=True,
        )
    return written


def _other_chunk(scale, rng, numbers, instructors, pool, pool_texts, per_set, codes) -> int:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    made = []
    for n in numbers:
        code = "".join(rng.choice(alphabet) for _ in range(8))
        while code in codes:
            code = "".join(rng.choice(alphabet) for _ in range(8))
        codes.add(code)
        made.append(
            Seminar(
                title=OTHER_TITLE.format(n=n + 2),
                term="Benchmark",
                join_code=code,
                created_by=instructors[n],
            )
        )
    seminars = Seminar.objects.bulk_create(made)
    members: dict[int, list] = {}
    memberships, documents, links, themes = [], [], [], []
    for seminar, n in zip(seminars, numbers, strict=True):
        students = rng.sample(pool, scale.other_students)
        members[seminar.pk] = students
        memberships.append(
            Membership(seminar=seminar, user=instructors[n], role=Membership.Role.INSTRUCTOR)
        )
        memberships += [Membership(seminar=seminar, user=s) for s in students]
        for position, (title, split) in enumerate(rng.sample(pool_texts, scale.readings)):
            documents.append(
                (
                    seminar,
                    position,
                    split,
                    Document(
                        title=title,
                        authors=["Pooled Author"],
                        text=split.text,
                        content_hash=split.content_hash,
                        original_format=Document.Format.TXT,
                        owner=instructors[n],
                    ),
                )
            )
        for position, name in enumerate(THEME_NAMES[: scale.themes]):
            themes.append(
                Theme(
                    seminar=seminar,
                    name=name,
                    slug=name.lower().replace(" ", "-"),
                    colour=PALETTE[position % len(PALETTE)][0],
                    position=position,
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=2000)
    Document.objects.bulk_create([d for *_, d in documents], batch_size=100)
    passages: dict[int, list[Passage]] = {}
    rows = []
    for seminar, position, split, document in documents:
        links.append(SeminarReading(seminar=seminar, document=document, position=position))
        made_passages = passages_from_split(document, split)
        rows += made_passages
        passages.setdefault(seminar.pk, []).extend(
            p for p in made_passages if p.kind in (Passage.Kind.PARAGRAPH, Passage.Kind.LIST_ITEM)
        )
    SeminarReading.objects.bulk_create(links, batch_size=2000)
    Passage.objects.bulk_create(rows, batch_size=2000)
    Theme.objects.bulk_create(themes, batch_size=2000)
    themes_of: dict[int, list[Theme]] = {}
    for theme in themes:
        themes_of.setdefault(theme.seminar_id, []).append(theme)

    sets, plans = [], []
    for seminar, n in zip(seminars, numbers, strict=True):
        texts = [p.text for p in passages[seminar.pk]]
        key = key_plan(rng, texts, scale.themes, per_set)
        sets.append(AnnotationSet(seminar=seminar, owner=instructors[n], title="Key", kind="key"))
        plans.append((seminar.pk, instructors[n], key))
        for k, student in enumerate(members[seminar.pk], 1):
            sets.append(AnnotationSet(seminar=seminar, owner=student, title=f"Student {k} reading"))
            plans.append(
                (seminar.pk, student, student_plan(rng, texts, scale.themes, key, per_set))
            )
    AnnotationSet.objects.bulk_create(sets, batch_size=2000)
    tags = [
        Tag(
            annotation_set=annotation_set,
            passage=passages[seminar_id][plan.passage],
            theme=themes_of[seminar_id][plan.theme],
            span_start=plan.span[0] if plan.span else 0,
            span_end=plan.span[1] if plan.span else 0,
            stance=plan.stance,
            note=plan.note,
            author=owner,
        )
        for annotation_set, (seminar_id, owner, plan_list) in zip(sets, plans, strict=True)
        for plan in plan_list
    ]
    for batch in _batches(tags, 5000):
        Tag.objects.bulk_create(batch)
    return len(tags)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--seminars", type=int, help="institution: seminars in all (2000)")
    parser.add_argument("--tags", type=int, default=3_000_000, help="institution: tags in all")
    parser.add_argument(
        "--around-class",
        action="store_true",
        help="institution: the database holds the class already (a copy of the class scale's)",
    )
    args = parser.parse_args()
    scale = SCALES[args.scale]
    made = Seminar.objects.filter(title=CLASS_TITLE).first()
    if args.around_class and made is None:
        sys.exit(f"--around-class: this database holds no “{CLASS_TITLE}”.")
    if made is not None and not args.around_class:
        sys.exit(f"This database already holds “{CLASS_TITLE}”: use a fresh one.")
    started = time.perf_counter()
    seminar = made or make_class(scale, args.seed)
    class_tags = Tag.objects.filter(annotation_set__seminar=seminar).count()
    print(
        f"class seminar {seminar.pk}: {class_tags} tags"
        + ("" if made else f" through the services in {time.perf_counter() - started:.0f} s"),
        flush=True,
    )
    seminars = (args.seminars or scale.seminars) - 1
    if seminars > 0:
        bulk_started = time.perf_counter()
        written = make_others(scale, args.seed, seminars, args.tags - class_tags)
        print(
            f"{seminars} more seminars, {written} tags in bulk "
            f"in {time.perf_counter() - bulk_started:.0f} s",
            flush=True,
        )
    print(
        f"made: {Seminar.objects.count()} seminars, {Tag.objects.count()} tags, "
        f"{Passage.objects.count()} passages, {User.objects.count()} users "
        f"in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
