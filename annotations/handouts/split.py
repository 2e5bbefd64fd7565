"""Where the class read a theme differently: the passages the instructor picked in the
discussion view, or, once the student sets are revealed, the one that split the class most."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Count, Q

from annotations.agreement.gather import agreement_gather
from annotations.excerpts import passage_excerpt
from annotations.handouts.contents import DisputedPassage, HandoutColumn, HandoutOptions
from annotations.models import AnnotationSet, DiscussionPick
from readings.access import SeminarAccess
from readings.models import SeminarReading

SPLIT_PER_THEME = 1  # "the place where the class split" (issue 25), per theme without a pick
SPLIT_WORDS = 30


def _class_revealed(access: SeminarAccess) -> bool:
    """Whether the class's sets are open to the class: there are student sets, and none is
    still blind. Only then does a handout say where the class split."""
    counts = AnnotationSet.objects.filter(
        seminar=access.seminar, kind=AnnotationSet.Kind.STUDENT, archived_at__isnull=True
    ).aggregate(sets=Count("pk"), blind=Count("pk", filter=Q(blind=True, revealed_at__isnull=True)))
    return bool(counts["sets"]) and not counts["blind"]


def _quoted(text: str, options: HandoutOptions, *, picked: bool) -> str:
    """A passage under "where the class read it differently": an excerpt as the options say
    for a passage the instructor picked; for one the figures found, its votes are the point,
    so its first sentence is enough, unless the instructor asked for whole passages."""
    excerpt = passage_excerpt(
        text,
        [],
        kind=options.excerpt,
        sentences=options.sentences if picked else 1,
        max_words=options.words if picked else min(options.words, SPLIT_WORDS),
    )
    return excerpt.text


def disputed_of(
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
                    text=_quoted(passage.text, options, picked=True),
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
                            text=_quoted(unit.text, options, picked=False),
                            votes=vote.summary,
                            picked=False,
                        ),
                    )
                )
    return {
        slug: tuple(item for _, item in sorted(items, key=lambda pair: pair[0]))
        for slug, items in found.items()
    }


def not_repeated(
    items: tuple[DisputedPassage, ...], columns: list[HandoutColumn]
) -> tuple[DisputedPassage, ...]:
    """A split the agreement figures found in a passage the columns print already is named
    with its votes, without printing its words a second time."""
    printed = {p.citation for column in columns for p in column.passages}
    return tuple(
        replace(item, text="") if not item.picked and item.citation in printed else item
        for item in items
    )
