"""Tags and discussion picks follow their passages when the reading's owner corrects it.

Plugged in by settings.COUNTERPOINT_PASSAGE_FOLLOWERS (readings/corrections/follow.py says
what a follower offers). A tag keeps quoting the same words: a merge shifts the second
passage's tags, a split takes each to the half holding its quote, a text fix maps its span
through the change and names the tags whose quoted words changed. A tag no one passage can
hold refuses the correction, which is then undone: no tag is ever dropped.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Collection
from dataclasses import replace

from annotations.interchange.imports.matching import Located, locate, quote_at
from annotations.models import DiscussionPick, Tag
from annotations.pagecache import revisions
from readings.corrections.follow import CorrectionRefused, OrphansFound, Placer, Remap, Spot
from readings.importing.limits import Budget

# Far above any span a passage has: where moving tags wait, so that no two meet on the way.
_ASIDE = 1_000_000_000
_NAMED = 4  # tags named in a message before "and N more"


def attached(passage_ids: Collection[int]) -> dict[int, int]:
    return dict(
        Counter(Tag.objects.filter(passage_id__in=passage_ids).values_list("passage_id", flat=True))
    )


def _named(tag: Tag) -> str:
    return f"{tag.annotation_set.title} ({tag.theme.name})"


def _quote(text: str) -> str:
    return f"“{text if len(text) <= 60 else text[:57] + '…'}”"


def _by_quote(remap: Remap) -> Placer:
    """Where each quote of the old text lies in the new one, as a Hypothesis anchor finds it:
    its words with their context (TextQuote), fuzzily if they changed a little."""
    starts = [start for _, start, _ in remap.spans_after]
    budget = Budget(what="Placing the tags in the new text")

    def place(passage_id: int, start: int, end: int) -> Spot | None:
        base, stop = remap.spans_before[passage_id]
        lo, hi = (base + start, base + end) if end else (base, stop)
        found = locate([(0, remap.text_after)], quote_at(remap.text_before, lo, hi), budget=budget)
        if not isinstance(found, Located):
            return None
        at = bisect.bisect_right(starts, found.anchor.start) - 1
        if at < 0:
            return None
        new_id, new_start, new_end = remap.spans_after[at]
        if found.anchor.end > new_end:
            return None  # the words now run over two passages
        if not end and (found.anchor.start, found.anchor.end) == (new_start, new_end):
            return Spot(new_id, 0, 0)
        return Spot(new_id, found.anchor.start - new_start, found.anchor.end - new_start)

    return place


def follow(remap: Remap) -> list[str]:
    if remap.place is None:
        remap = replace(remap, place=_by_quote(remap))
    place = remap.place
    assert place is not None
    tags = list(
        Tag.objects.filter(passage_id__in=remap.passages)
        .select_related("annotation_set", "theme", "passage")
        .order_by("pk")
    )
    moves: list[tuple[Tag, int, int, int]] = []
    lost: list[Tag] = []
    for tag in tags:
        spot = place(tag.passage_id, tag.span_start, tag.span_end)
        if spot is None:
            lost.append(tag)
        elif (spot.passage_id, spot.start, spot.end) != (
            tag.passage_id,
            tag.span_start,
            tag.span_end,
        ):
            moves.append((tag, spot.passage_id, spot.start, spot.end))
    notes: list[str] = []
    if lost and remap.spans_after:  # a new file: orphans, removed once confirmed
        orphans = [_orphan(t) for t in lost]
        if remap.orphans_confirmed != len(orphans):
            raise OrphansFound(orphans)
        Tag.objects.filter(pk__in=[t.pk for t in lost]).delete()
        notes.append(f"Orphans removed ({len(orphans)}): {'; '.join(orphans)}.")
        lost = []
    if lost:
        raise CorrectionRefused(
            f"{len(lost)} tag{'s' if len(lost) != 1 else ''} would lose {_quote_word(lost)}: "
            + "; ".join(
                f"{_named(t)} on {_quote(t.passage.text[t.span_start : t.span_end])}"
                for t in lost[:_NAMED]
            )
            + ". Choose another point or change, or edit those tags first."
        )
    _refuse_clashes(moves)
    notes += _quotes_changed(moves, remap)
    # Two steps: spans are unique per set, passage and theme, checked row by row.
    for index, (tag, *_rest) in enumerate(moves):
        tag.span_start, tag.span_end = _ASIDE + 2 * index, _ASIDE + 2 * index + 1
    Tag.objects.bulk_update([m[0] for m in moves], ["span_start", "span_end"], batch_size=500)
    for tag, passage_id, start, end in moves:
        tag.passage_id, tag.span_start, tag.span_end = passage_id, start, end
    Tag.objects.bulk_update(
        [m[0] for m in moves], ["passage", "span_start", "span_end"], batch_size=500
    )
    revisions.seminars_changed({t.annotation_set.seminar_id for t, *_rest in moves})
    return notes + _picks_follow(remap, place)


def _orphan(tag: Tag) -> str:
    words = tag.passage.text[tag.span_start : tag.span_end] if tag.is_span else tag.passage.text
    return f"{_named(tag)} on {_quote(words)} ({tag.passage.label})"


def _quote_word(lost: list[Tag]) -> str:
    return "the words they quote" if len(lost) != 1 else "the words it quotes"


def _refuse_clashes(moves: list[tuple[Tag, int, int, int]]) -> None:
    """Two tags of one set and theme on the same words would become one: refuse."""
    moving = {tag.pk for tag, *_rest in moves}
    targets = {passage_id for _, passage_id, _, _ in moves}
    keys = Counter(
        (t.annotation_set_id, t.passage_id, t.theme_id, t.span_start, t.span_end)
        for t in Tag.objects.filter(passage_id__in=targets).exclude(pk__in=moving)
    )
    keys.update((t.annotation_set_id, p, t.theme_id, s, e) for t, p, s, e in moves)
    if any(count > 1 for count in keys.values()):
        raise CorrectionRefused(
            "Two tags of one set under one theme would then quote the same words. "
            "Remove one of them first."
        )


def _quotes_changed(moves: list[tuple[Tag, int, int, int]], remap: Remap) -> list[str]:
    changed = []
    for tag, passage_id, start, end in moves:
        if not tag.span_end:
            continue
        before = tag.passage.text[tag.span_start : tag.span_end]
        after = remap.texts.get(passage_id, "")[start:end]
        if after != before:
            changed.append(f"{_named(tag)} now quotes {_quote(after)} (was {_quote(before)})")
    if not changed:
        return []
    if len(changed) > _NAMED:
        changed = [*changed[:_NAMED], f"and {len(changed) - _NAMED} more"]
    return [f"Tags re-anchored: {'; '.join(changed)}."]


def _picks_follow(remap: Remap, place: Placer) -> list[str]:
    """A picked passage merged into another stays picked; one pick per theme and passage."""
    notes = []
    for pick in DiscussionPick.objects.filter(passage_id__in=remap.passages).select_related(
        "theme"
    ):
        spot = place(pick.passage_id, 0, 0)
        if spot is None and remap.spans_after:  # its passage is not in the new text
            pick.delete()
            notes.append(f"The handout’s pick under {pick.theme.name} was not in the new text.")
            continue
        if spot is None or spot.passage_id == pick.passage_id:
            continue
        if DiscussionPick.objects.filter(theme=pick.theme, passage_id=spot.passage_id).exists():
            pick.delete()  # the merged passage is picked under this theme already
            notes.append(f"The handout keeps one pick under {pick.theme.name} for it.")
        else:
            pick.passage_id = spot.passage_id
            pick.save(update_fields=["passage"])
    return notes
