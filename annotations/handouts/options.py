"""The builder's query string → HandoutOptions. Everything is in the URL, so a handout is
bookmarkable and a download link is the preview's own link plus `format=`."""

from __future__ import annotations

import datetime

from django.http import QueryDict

from annotations.excerpts import AUTO, EXCERPT_KINDS
from annotations.handouts.contents import DEFAULT_LIMIT, PAPERS, HandoutOptions
from config.http import parse_id
from readings.importing.normalise import clean_text

MAX_TITLE = 200
MAX_QUESTIONS = 20
MAX_QUESTION = 500
MAX_CHOSEN = 200  # pinned or dropped passages per theme
SENTENCES = range(1, 11)
WORDS = range(10, 401)
LIMITS = range(0, 51)
FIT = range(1, 51)


def _flag(query: QueryDict, name: str, default: bool) -> bool:
    # An unticked box sends nothing, so the defaults only apply before the form was sent.
    return name in query if "built" in query else default


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _order(query: QueryDict, slug: str, index: int) -> tuple[int, int]:
    value = parse_id(query.get(f"order-{slug}", ""))
    return (10_000 if value is None else value, index)


def _number(query: QueryDict, name: str, allowed: range, default: int | None) -> int | None:
    value = parse_id(query.get(name, ""))
    return value if value is not None and value in allowed else default


def _passages(query: QueryDict, prefix: str) -> dict[str, tuple[int, ...]]:
    """`pin-<theme slug>`, `drop-<theme slug>` or `whole-<theme slug>`: lists of passage ids."""
    chosen = {}
    for key in query:
        if key.startswith(prefix):
            ids = dict.fromkeys(parse_id(value) for value in query.getlist(key))
            kept = tuple(pk for pk in ids if pk is not None)[:MAX_CHOSEN]
            if kept:
                chosen[key.removeprefix(prefix)] = kept
    return chosen


def handout_options(query: QueryDict) -> HandoutOptions:
    """The options the query string asks for; anything malformed falls back to the default."""
    slugs = list(dict.fromkeys(query.getlist("theme")))
    ordered = [slug for _, slug in sorted((_order(query, s, i), s) for i, s in enumerate(slugs))]
    questions = {}
    for key in query:
        if not key.startswith("questions-"):
            continue
        slug = key.removeprefix("questions-")
        lines = [line.strip() for line in clean_text(query.get(key, "")).splitlines()]
        lines = [line[:MAX_QUESTION] for line in lines if line][:MAX_QUESTIONS]
        if lines:
            questions[slug] = tuple(lines)
    minimum = parse_id(query.get("min", ""))
    paper = query.get("paper", "a4")
    excerpt = query.get("excerpt", AUTO)
    return HandoutOptions(
        source=query.get("source") or None,
        min_people=1 if minimum is None else minimum,
        themes=tuple(ordered),
        readings=tuple(
            pk for pk in dict.fromkeys(map(parse_id, query.getlist("reading"))) if pk is not None
        ),
        summaries=_flag(query, "summaries", True),
        notes=_flag(query, "notes", True),
        stances=_flag(query, "stances", True),
        context=_flag(query, "context", False),
        footnotes=_flag(query, "footnotes", False),
        disputed=_flag(query, "disputed", True),
        questions=questions,
        title=clean_text(query.get("title", "")).strip()[:MAX_TITLE],
        date=_date(query.get("date", "")),
        paper=paper if paper in PAPERS else "a4",
        excerpt=excerpt if excerpt in EXCERPT_KINDS else AUTO,
        sentences=_number(query, "sentences", SENTENCES, 2) or 2,
        words=_number(query, "words", WORDS, 40) or 40,
        limit=_number(query, "limit", LIMITS, DEFAULT_LIMIT) or 0,
        pins=_passages(query, "pin-"),
        drops=_passages(query, "drop-"),
        wholes=_passages(query, "whole-"),
        fit=_number(query, "fit", FIT, None),
    )
