"""The Django side of bench/load.py: what the load generator needs from the database.

bench/load.py runs it with the server's environment (DATABASE_URL and the production
settings); it is not meant to be run by hand.

- `plan OUT.json`: logs the class's instructor and students in by creating their sessions
  directly in the session table (django.contrib.sessions' SessionStore with the same three keys
  django.contrib.auth.login() writes; the log-in form is rate limited per address, and the
  password hash would cost more than the pages measured), picks for each student passages and
  themes their set has not tagged yet (so every tagging POST creates exactly one tag), and writes
  the URLs and cookies the locustfile uses.
- `count`: the class seminar's tags, for the "no tag lost" check.
- `export OUT.json`: the class's readings, themes and tags, for loading into the peer.
- `explain OUT.txt`: EXPLAIN (ANALYZE, BUFFERS) of every query the compare page over all sets
  makes, on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402

from annotations.compare.gather import comparison_gather  # noqa: E402
from annotations.models import AnnotationSet, Tag, Theme  # noqa: E402
from readings.access import get_seminar_for_user  # noqa: E402
from readings.models import Passage, Seminar, SeminarReading  # noqa: E402

CLASS_TITLE = "Load benchmark: the class"  # bench/make_data.py
POSTS_PER_STUDENT = 120
COMPARE_MIN = 5  # "at least 5 of n people" on the compare page over all sets


def _session(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = (
        getattr(settings, "AUTHENTICATION_BACKENDS", None)
        or ["django.contrib.auth.backends.ModelBackend"]
    )[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key or ""


def _seminar() -> Seminar:
    return Seminar.objects.select_related("created_by").get(title=CLASS_TITLE)


def plan(out: Path) -> None:
    seminar = _seminar()
    rng = random.Random(11)
    key = AnnotationSet.objects.get(seminar=seminar, kind=AnnotationSet.Kind.KEY)
    students = list(
        AnnotationSet.objects.filter(seminar=seminar, kind=AnnotationSet.Kind.STUDENT)
        .select_related("owner")
        .order_by("pk")
    )
    documents = list(
        SeminarReading.objects.filter(seminar=seminar)
        .order_by("position")
        .values_list("document_id", flat=True)
    )
    themes = list(Theme.objects.active().filter(seminar=seminar).order_by("position"))
    passages = list(
        Passage.objects.filter(
            document_id__in=documents, kind__in=[Passage.Kind.PARAGRAPH, Passage.Kind.LIST_ITEM]
        ).values_list("pk", flat=True)
    )
    tagged: dict[int, set[tuple[int, int]]] = {}
    rows = Tag.objects.filter(annotation_set__in=students, span_end=0).values_list(
        "annotation_set_id", "passage_id", "theme_id"
    )
    for set_id, passage_id, theme_id in rows:
        tagged.setdefault(set_id, set()).add((passage_id, theme_id))
    base = f"/seminars/{seminar.pk}"
    people = []
    for annotation_set in students:
        taken = tagged.get(annotation_set.pk, set())
        posts: list[tuple[int, int]] = []
        while len(posts) < POSTS_PER_STUDENT:
            pair = (rng.choice(passages), rng.choice(themes).pk)
            if pair not in taken:
                taken.add(pair)
                posts.append(pair)
        people.append(
            {
                "session": _session(annotation_set.owner),
                "readers": [f"{base}/sets/{annotation_set.pk}/read/{d}/" for d in documents],
                "posts": [
                    {"url": f"{base}/sets/{annotation_set.pk}/passages/{p}/tags/", "theme": t}
                    for p, t in posts
                ],
            }
        )
    data = {
        "seminar": seminar.pk,
        "csrf": secrets.token_hex(16),  # 32 characters: an unmasked CSRF secret
        "instructor": _session(seminar.created_by),
        "students": people,
        "compare_key": [f"{base}/compare/{t.slug}/?source={key.pk}" for t in themes],
        "compare_all": [f"{base}/compare/{t.slug}/?source=all&min={COMPARE_MIN}" for t in themes],
        "overview": [f"{base}/overview/"],
        "agreement": [f"{base}/agreement/"],
        "discussion": [f"{base}/discussion/"],
        "tags": Tag.objects.filter(annotation_set__seminar=seminar).count(),
        "sets": len(students) + 1,
        "counts": {
            "seminars": Seminar.objects.count(),
            "tags": Tag.objects.count(),
            "passages": Passage.objects.count(),
        },
    }
    out.write_text(json.dumps(data))


def export(out: Path) -> None:
    """The class for the peer: readings as passages, themes, and every tag of every set."""
    seminar = _seminar()
    documents = list(
        SeminarReading.objects.filter(seminar=seminar)
        .order_by("position")
        .values_list("document_id", "document__title")
    )
    readings: list[dict] = []
    where: dict[int, tuple[int, int]] = {}
    for document_id, title in documents:
        passages = list(
            Passage.objects.filter(document_id=document_id)
            .order_by("position")
            .values_list("pk", "kind", "text")
        )
        for index, (pk, _, _) in enumerate(passages):
            where[pk] = (len(readings), index)
        readings.append({"title": title, "passages": [[kind, text] for _, kind, text in passages]})
    themes = list(Theme.objects.active().filter(seminar=seminar).order_by("position"))
    tags = [
        [*where[passage_id], theme_id, start, end]
        for passage_id, theme_id, start, end in Tag.objects.filter(
            annotation_set__seminar=seminar
        ).values_list("passage_id", "theme_id", "span_start", "span_end")
    ]
    out.write_text(
        json.dumps(
            {
                "readings": readings,
                "themes": [[t.pk, t.name] for t in themes],
                "tags": tags,
            }
        )
    )


def count() -> None:
    print(Tag.objects.filter(annotation_set__seminar=_seminar()).count())


def explain(out: Path) -> None:
    """EXPLAIN ANALYZE of the compare page's queries (over every set, a threshold, one theme)."""
    seminar = _seminar()
    access = get_seminar_for_user(seminar.created_by, seminar.pk)
    theme = Theme.objects.active().filter(seminar=seminar).order_by("position").first()
    captured: list[tuple[str, tuple]] = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        comparison_gather(
            access, source="all", min_people=COMPARE_MIN, theme_slug=theme.slug if theme else None
        )
    lines = []
    with connection.cursor() as cursor:
        for sql, params in captured:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan_text = "\n".join(row[0] for row in cursor.fetchall())
            lines.append(f"-- {sql[:400]}\n{plan_text}\n")
    out.write_text("\n".join(lines))
    print(f"{len(captured)} queries explained in {out}")


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "plan":
        plan(Path(rest[0]))
    elif command == "export":
        export(Path(rest[0]))
    elif command == "count":
        count()
    elif command == "explain":
        explain(Path(rest[0]))
    else:
        sys.exit(f"unknown command {command}")
