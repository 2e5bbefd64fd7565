"""Import fidelity cases: files made from texts whose paragraphs are known."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    name: str
    filename: str
    data: bytes
    paragraphs: list[str]  # the author's body paragraphs in order
    furniture: list[str] = field(default_factory=list)  # strings that must appear in no passage
