"""The one handout model: what every format shows, built on `comparison_gather()`.

Each chosen theme is one call to the comparison selector (its columns are per theme), so the
handout shows exactly what the compare page shows for the same source and threshold. Context
passages, when asked for, cost one more query for all themes together.
"""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.db.models import Q
from django.utils.text import slugify

from annotations.compare.gather import Comparison, comparison_gather
from annotations.excerpts import cut_to_words
from annotations.handouts.choosing import column_choose, standings_of
from annotations.handouts.contents import (
    PAPERS,
    Handout,
    HandoutColumn,
    HandoutOptions,
    HandoutSection,
    Reference,
)
from annotations.handouts.split import disputed_of, not_repeated
from readings.access import SeminarAccess
from readings.importing.normalise import clean_all
from readings.models import Document, Note, Passage

CONTEXT_WORDS = 40


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

    disputed = disputed_of(access, slugs, options) if options.disputed else {}
    standings = standings_of(first, [by_slug[slug].pk for slug in slugs])
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
            passages, left_out = column_choose(column, theme, comparison, options, standings)
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
                disputed=not_repeated(disputed.get(slug, ()), columns),
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
