"""Pull quotes found by repetition: short blocks that repeat a sentence from the body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from readings.importing.blocks import Unit
from readings.importing.limits import Budget
from readings.importing.sentences import ends_sentence

SHINGLE = 6  # words: a shared run this long is quotation, not coincidence
PULL_QUOTE_MAX_WORDS = 40
MIN_COVERAGE = 0.5
_MAX_SOURCES = 4
_TOKEN_RE = re.compile(r"\w+(?:'\w+)*")


def tokenise(text: str) -> list[str]:
    """Example: "Trump’s desire, for FRIENDSHIP" -> ["trump's", "desire", "for", "friendship"]."""
    return _TOKEN_RE.findall(text.casefold().replace("’", "'"))


Shingle = tuple[str, ...]


def _shingles(tokens: list[str]) -> Iterator[tuple[int, Shingle]]:
    """Each run of SHINGLE tokens, with its position. Tuples, not joined strings: zip builds
    them in C, which makes the pass over a whole book several times faster."""
    return enumerate(zip(*(tokens[k:] for k in range(SHINGLE)), strict=False))


@dataclass
class _Run:
    """Consecutive short open blocks, read as one token stream so a quote split over two blocks
    ("Rapprochement / with the Kremlin" + "would bring few real benefits…") still matches."""

    members: list[int]  # indices into the unit list
    tokens: list[str]
    owners: list[int]  # owners[t] = unit index the t-th token comes from


def _runs(units: list[Unit]) -> list[_Run]:
    runs: list[_Run] = []
    current: _Run | None = None
    for index, unit in enumerate(units):
        if unit.role == "dropped":
            continue  # running headers between the pieces do not break a run
        if unit.is_open_block and unit.words <= PULL_QUOTE_MAX_WORDS:
            if current is None:
                current = _Run([], [], [])
                runs.append(current)
            tokens = tokenise(unit.text)
            current.members.append(index)
            current.tokens.extend(tokens)
            current.owners.extend([index] * len(tokens))
        else:
            current = None
    return runs


def mark_repeated_pull_quotes(
    units: list[Unit], first_group: int = 0, *, budget: Budget | None = None
) -> int:
    """Rule: a short block (<= 40 words) or run of short blocks is a pull quote when at least
    half of its words lie in 6-word sequences that also occur in a longer block elsewhere,
    and the (joined) quote ends a sentence. Pieces of one quote share a `quote_group`.
    Example: body "…Putin, unsurprisingly, is already exploiting Trump's desire for friendship."
    and later block "Putin is already exploiting Trump's desire for friendship." -> pull quote.
    Runs in linear time: only the shingles of short blocks are looked up, in one pass over the
    body. Returns the next free group number."""
    # A quote ends a sentence (see _mark_groups): a run with no piece that does marks nothing,
    # and its shingles need not be looked for (headings, captions, bylines).
    runs = [run for run in _runs(units) if any(ends_sentence(units[m].text) for m in run.members)]
    wanted: dict[Shingle, list[tuple[int, int]]] = {}
    for r, run in enumerate(runs):
        for p, key in _shingles(run.tokens):
            wanted.setdefault(key, []).append((r, p))
    if not wanted:
        return first_group
    sources: dict[Shingle, list[tuple[int, int]]] = {}  # shingle -> [(unit index, words)]
    wanted_keys = wanted.keys()
    for index, unit in enumerate(units):
        if budget is not None and index % 1024 == 0:
            budget.check()
        if not unit.is_open_block:
            continue
        # The intersection runs in C; only the (few) shared shingles come back to Python.
        tokens = tokenise(unit.text)
        shingles = zip(*(tokens[k:] for k in range(SHINGLE)), strict=False)
        if wanted_keys.isdisjoint(shingles):  # most blocks: no set built for them
            continue
        for key in wanted_keys & set(zip(*(tokens[k:] for k in range(SHINGLE)), strict=False)):
            found = sources.setdefault(key, [])
            if len(found) < _MAX_SOURCES:
                found.append((index, unit.words))
    covered: list[set[int]] = [set() for _ in runs]
    for key, places in wanted.items():
        for r, p in places:
            run = runs[r]
            owners = run.owners[p : p + SHINGLE]
            longest_owner = max(units[o].words for o in owners)
            if any(
                index not in owners and words > longest_owner
                for index, words in sources.get(key, ())
            ):
                covered[r].update(range(p, p + SHINGLE))
    group = first_group
    for run, positions in zip(runs, covered, strict=True):
        if positions:
            group = _mark_groups(units, run, positions, group)
    return group


def _mark_groups(units: list[Unit], run: _Run, positions: set[int], group: int) -> int:
    per_unit: dict[int, int] = {}
    for t in positions:
        per_unit[run.owners[t]] = per_unit.get(run.owners[t], 0) + 1
    pieces: list[int] = []
    for index in [*run.members, -1]:  # -1 flushes the last group
        unit = units[index] if index >= 0 else None
        tokens = len(tokenise(unit.text)) if unit else 0
        if unit is not None and tokens and per_unit.get(index, 0) / tokens >= MIN_COVERAGE:
            pieces.append(index)
            continue
        # A quote ends where the joined pieces end a sentence; headings and fragments don't.
        while pieces and not ends_sentence(units[pieces[-1]].text):
            pieces.pop()
        if pieces:
            for piece in pieces:
                units[piece].role = "pull_quote"
                units[piece].quote_group = group
            group += 1
        pieces = []
    return group
