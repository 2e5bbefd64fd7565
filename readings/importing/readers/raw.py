"""RawDocument: what a reader hands to the splitter."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawDocument:
    """Plain text read from a file, before splitting.

    `text` has blocks separated by blank lines, with structure as light Markdown ("# Heading",
    "- list item", "*emphasis*", backslash escapes for literal markers). `metadata` holds what the
    file itself says ("title", "authors" comma separated, "language", "published"), `warnings`
    user-facing sentences about what was changed or left out. A footnote or endnote is called
    in `text` as U+E000, its 1-based number, U+E001; note n's text is `notes[n - 1]`
    (readings/importing/notes.py).
    """

    format: str  # "txt" | "md" | "html" | "docx" | "pdf" | "image"
    text: str
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    ocr: str = ""  # the engine that read scanned pages ("Tesseract 5.5.4 (eng)"); "" if none
    uncertain: tuple[str, ...] = ()  # blocks of `text` OCR read with low confidence
