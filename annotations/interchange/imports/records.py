"""What an import found in a file, before it is matched to the seminar. No Django here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from annotations.interchange.imports.matching import Quote

# The file cannot be imported at all; the message says why, for the person importing. The same
# exception as the readings' importers raise, so the shared limits (readings.importing.limits)
# refuse a file the same way here.
from readings.importing.errors import ImportRejected as ImportRejected
from readings.importing.normalise import clean_all

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_ANNOTATIONS = 50_000


@dataclass(frozen=True)
class ReadingHint:
    """What the file says about which text an annotation is on."""

    iri: str = ""
    content_hash: str = ""
    title: str = ""


@dataclass(frozen=True)
class IncomingTag:
    ref: str  # where it is in the file, for the list of orphans
    quote: Quote
    reading: ReadingHint
    themes: tuple[str, ...] = ()
    stance: str = ""
    note: str = ""
    author: str = ""
    created: datetime | None = None
    modified: datetime | None = None


@dataclass(frozen=True)
class IncomingTheme:
    name: str
    colour: str = ""
    description: str = ""
    guiding_question: str = ""


@dataclass(frozen=True)
class Orphan:
    ref: str
    quote: str
    reason: str


@dataclass
class ParsedFile:
    format: str  # "W3C Web Annotation", "REFI-QDA project", ...
    title: str = ""
    tags: list[IncomingTag] = field(default_factory=list)
    themes: list[IncomingTheme] = field(default_factory=list)
    # Entries that are not annotations of text (pictures, page notes...), with the reason.
    skipped: list[Orphan] = field(default_factory=list)


def cleaned(parsed: ParsedFile) -> ParsedFile:
    """`parsed` with every text in it through clean_text, as typed text is. JSON files are
    cleaned as they are loaded (w3c.load_json); XML may hold C1 controls, and a source file
    in an archive anything."""
    return clean_all(parsed)


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def check_size(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRejected(
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; split it first."
        )
