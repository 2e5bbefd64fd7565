"""RawDocument: what a reader hands to the splitter."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawDocument:
    """Plain text read from a file, before splitting.

    `text` has blocks separated by blank lines, with structure as light Markdown ("# Heading",
    "- list item", "*emphasis*", backslash escapes for literal markers). `metadata` holds what the
    file itself says ("title", "authors" comma separated, "language", "published"), `warnings`
    user-facing sentences about what was changed or left out. `notes` holds the footnotes
    and endnotes, note n at notes[n - 1]; the text calls it as "\ue000" + "n" + "\ue001".
    """

    format: str  # "txt" | "md" | "html" | "docx" | "pdf"
    text: str
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
