"""The page budget (issue 25): how many pages the PDF will have, and "fit to N pages".

Both come from WeasyPrint's real layout of the handout (`handout_pages`), never from a guess,
and both are cached under the seminar's revision, the viewer and the options' key, so the
same choices are laid out once. Fitting trims in the documented order until the PDF fits:
1. excerpts: whole passages become excerpts (quote spans, else first sentences), then every
   excerpt keeps only its first sentence, at most SHORT_WORDS words;
2. passages, the last filled first (the reverse of `fill_order`: those without the key's
   stance and least tagged by the class, later ones in reading order before earlier ones),
   never a pinned passage and never a column's last one.
At most MAX_LAYOUTS layouts per fit; a handout that cannot fit says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from annotations.excerpts import AUTO, WHOLE, cut_to_words
from annotations.handouts.choosing import OPENING_WORDS, excerpt_of
from annotations.handouts.contents import TO_FIT, Fitted, Handout, LeftOut
from annotations.handouts.pdf import handout_pages
from annotations.pagecache.fragments import remembered, seminar_key
from readings.access import SeminarAccess

SHORT_WORDS = 25
MAX_LAYOUTS = 8


@dataclass(frozen=True)
class Cut:
    """How excerpts are cut: None keeps the options' choice."""

    kind: str | None = None
    sentences: int | None = None
    words: int | None = None

    @property
    def says(self) -> str:
        """What this cut did, for the builder's notice."""
        if self.sentences == 1:
            return "Excerpts are shortened to their first sentence."
        if self.kind is not None:
            return "Whole passages are cut to excerpts."
        return ""


@dataclass(frozen=True)
class Plan:
    """What fitting decided, small enough to cache: the cut and the passages left out."""

    cut: Cut
    shortened: str  # Cut.says
    dropped: tuple[tuple[str, int], ...]  # (theme slug, passage id), in the order dropped
    pages: int


def _key(kind: str, access: SeminarAccess, handout: Handout) -> str:
    seminar = access.seminar
    return seminar_key(
        kind,
        seminar,
        seminar.revision,
        access.membership.user_id,
        handout.options.key,
        handout.date.isoformat(),
    )


def page_count(access: SeminarAccess, handout: Handout) -> int:
    """The pages of `handout`'s PDF, laid out once per seminar revision, viewer and choices."""
    return remembered(_key("handout-pages", access, handout), lambda: handout_pages(handout))


def apply_plan(handout: Handout, cut: Cut, dropped: tuple[tuple[str, int], ...]) -> Handout:
    """`handout` with its excerpts cut as `cut` says and the `dropped` passages left out."""
    gone = set(dropped)
    options = handout.options
    sections = []
    for section in handout.sections:
        columns = []
        for column in section.columns:
            kept, left_out = [], list(column.left_out)
            for passage in column.passages:
                if (section.slug, passage.passage_id) in gone:
                    opening = cut_to_words(passage.whole_text, OPENING_WORDS, ellipsis=" …")
                    left_out.append(
                        LeftOut(
                            passage.passage_id, passage.label, passage.citation, TO_FIT, opening
                        )
                    )
                elif cut != Cut():
                    kept.append(
                        excerpt_of(
                            passage,
                            options,
                            kind=cut.kind,
                            sentences=cut.sentences,
                            words=cut.words,
                        )
                    )
                else:
                    kept.append(passage)
            columns.append(replace(column, passages=kept, left_out=left_out))
        sections.append(replace(section, columns=columns))
    return replace(handout, sections=sections)


def _cuts(handout: Handout) -> list[Cut]:
    """The excerpt cuts to try, each shorter than the one before."""
    options = handout.options
    cuts = []
    kind = AUTO if options.excerpt == WHOLE else options.excerpt
    if options.excerpt == WHOLE or options.wholes:
        cuts.append(Cut(kind=kind))
    if options.sentences > 1 or options.words > SHORT_WORDS:
        cuts.append(Cut(kind=kind, sentences=1, words=min(options.words, SHORT_WORDS)))
    return cuts


def droppable(handout: Handout) -> list[tuple[str, int]]:
    """The passages fitting may leave out, the first to go first: the last filled of each
    column before the earlier ones, never a pinned passage or a column's last passage."""
    candidates = []
    for order, section in enumerate(handout.sections):
        for index, column in enumerate(section.columns):
            loose = [p for p in column.passages if not p.pinned]
            keep = 0 if len(loose) < len(column.passages) else 1
            ranked = sorted(loose, key=lambda p: p.rank)[keep:]
            candidates += [(-p.rank, order, index, section.slug, p.passage_id) for p in ranked]
    return [(slug, pk) for *_, slug, pk in sorted(candidates)]


def _plan(handout: Handout, target: int) -> Plan:
    layouts = 1
    pages = handout_pages(handout)
    if pages <= target:
        return Plan(Cut(), "", (), pages)
    cut = Cut()
    for tried in _cuts(handout):
        layouts += 1
        pages = handout_pages(apply_plan(handout, tried, ()))
        cut = tried
        if pages <= target:
            return Plan(cut, cut.says, (), pages)
    shortened = cut.says
    order = droppable(apply_plan(handout, cut, ()))
    if not order:
        return Plan(cut, shortened, (), pages)
    # Everything it may leave out first: if even that does not fit, the handout says so.
    layouts += 1
    best = (len(order), handout_pages(apply_plan(handout, cut, tuple(order))))
    if best[1] > target:
        return Plan(cut, shortened, tuple(order), best[1])
    # Then the fewest passages to leave out: a binary search, since fewer passages never make
    # more pages; stopped at MAX_LAYOUTS with the fewest found so far.
    low, high = 1, len(order) - 1
    while low <= high and layouts < MAX_LAYOUTS:
        middle = (low + high) // 2
        layouts += 1
        count = handout_pages(apply_plan(handout, cut, tuple(order[:middle])))
        if count <= target:
            best, high = (middle, count), middle - 1
        else:
            low = middle + 1
    return Plan(cut, shortened, tuple(order[: best[0]]), best[1])


def handout_fit(access: SeminarAccess, handout: Handout) -> Handout:
    """`handout` trimmed to the options' `fit` pages (when asked), saying what it left out."""
    target = handout.options.fit
    if not target:
        return handout
    plan = remembered(_key("handout-fit", access, handout), lambda: _plan(handout, target))
    fitted = apply_plan(handout, plan.cut, plan.dropped)
    citations = {
        (section.slug, p.passage_id): f"{section.name}: {p.citation}"
        for section in handout.sections
        for column in section.columns
        for p in column.passages
    }
    return replace(
        fitted,
        fitted=Fitted(
            target=target,
            pages=plan.pages,
            shortened=plan.shortened,
            left_out=tuple(citations[item] for item in plan.dropped if item in citations),
        ),
    )
