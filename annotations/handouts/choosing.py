"""Which passages a handout prints, and how much of each (issue 25).

Per theme and reading the columns keep `limit` passages, filled in the documented order
(`fill_order`): the key's passages with a stance first, then those most tagged by the class's
students, then reading order. Pinned passages take their places first, dropped ones never
do. Each printed passage is an excerpt (annotations/excerpts.py), or whole where the options
say so for all or for this passage, always cited by its ¶ label.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Count, Q

from annotations.compare.gather import Column, Comparison, Entry
from annotations.excerpts import WHOLE, cut_to_words, passage_excerpt
from annotations.handouts.contents import (
    DROPPED,
    OVER_LIMIT,
    HandoutOptions,
    HandoutPassage,
    LeftOut,
)
from annotations.models import AnnotationSet, Tag, Theme
from annotations.stances import NO_STANCE

OPENING_WORDS = 8  # of a passage left out, in the preview


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
    """`passage` with its pieces cut as the options (or the fit, overriding them) say: whole
    where the instructor asked for this passage whole."""
    excerpt = passage_excerpt(
        passage.whole_text,
        passage.spans,
        kind=kind or (WHOLE if passage.whole else options.excerpt),
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
    whole: bool,
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
        whole=whole,
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


def standings_of(comparison: Comparison, theme_ids: list[int]) -> dict[tuple[int, int], Standing]:
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


def column_choose(
    column: Column,
    theme: Theme,
    comparison: Comparison,
    options: HandoutOptions,
    standings: dict[tuple[int, int], Standing],
) -> tuple[list[HandoutPassage], list[LeftOut]]:
    """The column's passages the handout prints, in reading order, and those it leaves out:
    pinned ones always, dropped ones never, the rest in fill order up to the limit."""
    pins = set(options.pins.get(theme.slug, ()))
    wholes = set(options.wholes.get(theme.slug, ()))
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
                _passage(
                    entry,
                    author_line,
                    comparison,
                    options,
                    rank=rank[pk],
                    pinned=pk in pins,
                    whole=pk in wholes,
                )
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
