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
- `live-cpu OUT.json`: the instructor's live pages measured in this process (Django's test
  client, no HTTP): CPU time (time.process_time) per quiet poll, per poll after a tag, and per
  refresh of each live region after a tag, which must render afresh.
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


def LIVE_PAGES_OF(base: str, themes) -> list[tuple[str, str, str]]:  # noqa: N802 - a table
    first = themes[0].slug
    return [
        # At least 5 people, as on compare: at 1 of 200 the overview's ribbons mark nearly every
        # passage (1.5 MB of HTML, about 500 ms to render, where 5 people make 150 KB and 56 ms).
        ("overview", f"{base}/overview/?source=all&min={COMPARE_MIN}", "overview-body"),
        ("compare_all", f"{base}/compare/{first}/?source=all&min={COMPARE_MIN}", "theme-columns"),
        ("agreement", f"{base}/agreement/", "agreement-body"),
    ]


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
        # The instructor's three pages open during a class (--think): each polls the seminar
        # and refreshes its region (templates/annotations/_live.html).
        "class": [page for _, page, _ in LIVE_PAGES_OF(base, themes)],
        "live": [
            {"name": name, "url": page, "region": region}
            for name, page, region in LIVE_PAGES_OF(base, themes)
        ],
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


def live_cpu(out: Path, rounds: int = 15) -> None:
    """CPU per request of the live pages, in this process: a quiet poll, a poll after a tag,
    and each region's refresh after a tag (a fresh render: the revision moved)."""
    import re
    import statistics
    import time

    from django.test import Client

    from annotations.services import passage_tag

    seminar = _seminar()
    base = f"/seminars/{seminar.pk}"
    themes = list(Theme.objects.active().filter(seminar=seminar).order_by("position"))
    student_set = (
        AnnotationSet.objects.filter(seminar=seminar, kind=AnnotationSet.Kind.STUDENT)
        .select_related("owner")
        .order_by("pk")
        .first()
    )
    assert student_set is not None
    taken = set(
        Tag.objects.filter(annotation_set=student_set, span_end=0).values_list(
            "passage_id", "theme_id"
        )
    )
    documents = SeminarReading.objects.filter(seminar=seminar).values("document_id")
    free = (
        (p, t)
        for p in Passage.objects.filter(
            document_id__in=documents, kind=Passage.Kind.PARAGRAPH
        ).order_by("pk")
        for t in themes
        if (p.pk, t.pk) not in taken
    )
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])  # the server's environment's
    assert seminar.created_by is not None
    client.force_login(seminar.created_by)
    htmx = {"HX-Request": "true"}
    made: list[int] = []

    def cpu(call) -> float:
        start = time.process_time()
        response = call()
        assert response.status_code in (200, 204), response.status_code
        return 1000 * (time.process_time() - start)

    def poll_url(html: str) -> str:
        found = re.search(r'<div id="live-poll"[^>]*hx-get="([^"]+)"', html)
        assert found, "no live poll on the page"
        return found.group(1).replace("&amp;", "&")

    def tag_one() -> None:
        passage, theme = next(free)
        tag, _ = passage_tag(
            annotation_set=student_set, passage=passage, theme=theme, author=student_set.owner
        )
        made.append(tag.pk)

    figures: dict[str, list[float]] = {}
    try:
        for name, page, region in LIVE_PAGES_OF(base, themes):
            url = poll_url(client.get(page).content.decode())
            client.get(url, headers=htmx)  # templates loaded, connection open
            quiet = [cpu(lambda url=url: client.get(url, headers=htmx)) for _ in range(rounds)]
            figures.setdefault("quiet poll (204)", []).extend(quiet)
            changed, refresh = [], []
            for _ in range(rounds):
                tag_one()
                changed.append(cpu(lambda url=url: client.get(url, headers=htmx)))
                headers = {**htmx, "HX-Target": region}
                refresh.append(cpu(lambda page=page, h=headers: client.get(page, headers=h)))
            figures.setdefault("poll after a tag (200)", []).extend(changed)
            figures[f"{name}: region refresh after a tag"] = refresh
    finally:
        Tag.objects.filter(pk__in=made).delete()
    result = {
        name: {"median_ms": round(statistics.median(v), 2), "max_ms": round(max(v), 2), "n": len(v)}
        for name, v in figures.items()
    }
    out.write_text(json.dumps(result))
    for name, row in result.items():
        print(f"{name}: median {row['median_ms']} ms CPU, max {row['max_ms']} ms ({row['n']})")


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
    elif command == "live-cpu":
        live_cpu(Path(rest[0]))
    else:
        sys.exit(f"unknown command {command}")
