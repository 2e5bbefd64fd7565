"""Front matter: the title block before the first real paragraph, kept once."""

from __future__ import annotations

import re

from readings.importing.blocks import Unit
from readings.importing.sentences import ends_sentence, is_all_caps

FRONT_MATTER_MAX_WORDS = 25
FRONT_MATTER_MAX_BLOCKS = 12
# Names a document gives its first section; seen right after a title, they are headings.
# fmt: off
SECTION_NAMES = frozenset({
    "abstract", "summary", "executive summary", "introduction", "overview", "background",
    "contents", "table of contents", "preface", "foreword", "prologue", "synopsis",
    "highlights", "key findings", "key points", "key takeaways", "in brief", "at a glance",
})
# fmt: on
_BYLINE_RE = re.compile(r"(?i:^by\b|\band\b|&|,)|\b[A-Z]\.(?:\s|$)")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE_RE = re.compile(r"\b(?:1[5-9]|20)\d\d\b|(?i:\b(?:" + _MONTHS + r")\b)")


def looks_like_byline_or_date(text: str) -> bool:
    """Example: "MICHAEL MCFAUL AND EVAN S. MEDEIROS", "By Ann Lee", "APRIL 4, 2025" -> True;
    "FIRST PART" -> False."""
    return bool(_BYLINE_RE.search(text) or _DATE_RE.search(text))


def _dedupe_key(text: str) -> str:
    return " ".join(text.casefold().split())


def looks_like_front_matter(unit: Unit) -> bool:
    """Example: "APRIL 4, 2025", "The “Reverse Kissinger” Delusion", "Will They Split?" -> True;
    "It was late." -> False (a sentence), a 40-word block -> False."""
    if not unit.is_open_block or unit.words > FRONT_MATTER_MAX_WORDS or unit.lines > 3:
        return False
    return not ends_sentence(unit.text) or unit.text.rstrip().endswith("?")


def is_section_name(text: str) -> bool:
    return _dedupe_key(text).rstrip(":") in SECTION_NAMES


def _ends_in_heading(run: list[Unit], following: Unit) -> bool:
    """The run's last block opens the body when it names a section, introduces a list, or is an
    ALL-CAPS line after a mixed-case title that is neither a byline nor a date."""
    last = run[-1]
    if following.source == "list" or is_section_name(last.text):
        return True
    return (
        is_all_caps(last.text)
        and not looks_like_byline_or_date(last.text)
        and any(not is_all_caps(unit.text) for unit in run[:-1])
    )


def mark_front_matter(units: list[Unit]) -> None:
    """Rule: the leading run of short title-like blocks (title, subtitle, date, publication,
    authors) is front matter when a paragraph, list or heading follows it. A block that repeats
    an earlier one of the run is dropped, so a doubled title block is kept once. The run's last
    block is a heading instead when it names a section ("Executive summary"), a list follows,
    or it is an ALL-CAPS line after a mixed-case title and is no byline or date.
    Example: "FOREIGN AFFAIRS / APRIL 4, 2025 / Title / Title / paragraph…" -> front matter
    "FOREIGN AFFAIRS", "APRIL 4, 2025", "Title"; the second "Title" dropped.
    """
    live = [u for u in units if u.role != "dropped"]
    run: list[Unit] = []
    for unit in live:
        if len(run) < FRONT_MATTER_MAX_BLOCKS and looks_like_front_matter(unit):
            run.append(unit)
            continue
        following = unit
        break
    else:
        return  # nothing but short blocks: no body to set a title block apart from
    if not run:
        return
    if _ends_in_heading(run, following):
        run[-1].role = "heading"
        run.pop()
    seen: set[str] = set()
    for unit in run:
        key = _dedupe_key(unit.text)
        unit.role = "dropped" if key in seen else "front_matter"
        seen.add(key)
