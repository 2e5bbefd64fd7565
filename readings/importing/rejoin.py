"""Page-break rejoin: paragraphs cut at a page end are put back together; what sat in the cut
(pull-quote pieces, stray short lines) becomes pull quotes placed after the whole paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from readings.importing.blocks import Unit
from readings.importing.limits import Budget
from readings.importing.markup import Marked, join_marked
from readings.importing.pullquotes import PULL_QUOTE_MAX_WORDS
from readings.importing.sentences import ends_on_function_word, ends_sentence, starts_mid_sentence

MAX_SKIPPED = 4


@dataclass(frozen=True)
class Piece:
    """A passage-to-be: its kind and marked text, in final reading order."""

    kind: str
    marked: Marked
    quote_group: int = -1


def _is_paragraph(unit: Unit) -> bool:
    return unit.source == "block" and unit.role in ("", "paragraph")


def find_continuation(units: list[Unit], start: int, text: str) -> tuple[int, list[int]] | None:
    """Rule: a paragraph that ends mid-sentence continues in the next paragraph that starts
    mid-sentence (lowercase, or continuation punctuation), skipping up to four short blocks
    in between (pull quotes, stray lines). If it ends on a word no sentence ends on ("the",
    "of"), the very next paragraph continues it even if it starts with a capital.
    Example: "…called for the United States" / "“to have a relationship” with Russia…" -> joined.
    Returns the continuation's index and the skipped indices, or None."""
    loose_start = ends_on_function_word(text)
    skipped: list[int] = []
    tentative = 0
    for j in range(start, len(units)):
        unit = units[j]
        if unit.role == "pull_quote" and unit.source == "block":
            skipped.append(j)
        elif not _is_paragraph(unit):
            return None
        elif starts_mid_sentence(unit.text) or (loose_start and not tentative):
            return j, skipped
        elif unit.words <= PULL_QUOTE_MAX_WORDS:
            skipped.append(j)
            tentative += 1
        else:
            return None
        if len(skipped) > MAX_SKIPPED:
            return None
    return None


def rejoin(units: list[Unit], first_group: int = 0, *, budget: Budget | None = None) -> list[Piece]:
    """Walk the units in order, joining page-broken paragraphs (with one space) and moving the
    blocks that interrupted them to just after the rejoined paragraph, as pull quotes."""
    live = [u for u in units if u.role != "dropped"]
    pieces: list[Piece] = []
    group = first_group
    k = 0
    while k < len(live):
        if budget is not None and len(pieces) % 1024 == 0:
            budget.check()
        unit = live[k]
        k += 1
        if not _is_paragraph(unit):
            pieces.append(_piece_for(unit))
            continue
        parts = [unit.marked]
        interrupting: list[Unit] = []
        while not ends_sentence(parts[-1].text):
            found = find_continuation(live, k, parts[-1].text)
            if found is None:
                break
            j, skipped = found
            parts.append(live[j].marked)
            for index in skipped:
                interrupting.append(live[index])
            k = j + 1
        pieces.append(Piece("paragraph", join_marked(parts)))
        group = _regroup(interrupting, group)
        pieces.extend(Piece("pull_quote", u.marked, u.quote_group) for u in interrupting)
    return _join_quote_pieces(pieces)


def _regroup(quotes: list[Unit], group: int) -> int:
    """Pieces of one interruption form one quote until a piece ends a sentence; pieces already
    known as a quote (by repetition) keep their group."""
    open_group = -1
    for unit in quotes:
        if unit.role == "pull_quote":
            open_group = -1
            continue
        if open_group < 0:
            open_group = group
            group += 1
        unit.role = "pull_quote"
        unit.quote_group = open_group
        if ends_sentence(unit.text):
            open_group = -1
    return group


def _piece_for(unit: Unit) -> Piece:
    if unit.source == "list":
        return Piece("list_item", unit.marked)
    return Piece(unit.role or "paragraph", unit.marked, unit.quote_group)


def _join_quote_pieces(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring pieces of one pull quote become one passage, joined with a space."""
    joined: list[Piece] = []
    run: list[Piece] = []  # pieces of the quote being collected

    def flush() -> None:
        if run:
            marked = join_marked([piece.marked for piece in run])
            joined.append(Piece("pull_quote", marked, run[0].quote_group))
            run.clear()

    for piece in pieces:
        if piece.kind == "pull_quote" and piece.quote_group >= 0:
            if run and run[0].quote_group != piece.quote_group:
                flush()
            run.append(piece)
        else:
            flush()
            joined.append(piece)
    flush()
    return joined
