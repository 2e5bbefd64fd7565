"""Corpora for bench/import_fidelity.py: files whose author's paragraphs are known.

Each module of this package (pdf, word, markdown, html) has `cases() -> list[Case]`; the runner
imports every one that exists and reads each case through the app's real import path.
The runner puts bench/ on sys.path: a corpus module imports `from fidelity import Case`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    name: str
    filename: str
    data: bytes
    # The author's body paragraphs, in order, as a person reads them.
    paragraphs: list[str]
    # Strings that must not appear inside any passage (running heads, page numbers, footers,
    # cookie banners).
    furniture: list[str] = field(default_factory=list)
    # The author's footnotes, in order, when the file has any (checked when the reader hands
    # notes on: RawDocument.notes).
    notes: list[str] = field(default_factory=list)
    pages: int = 0  # of a PDF, for seconds per page
