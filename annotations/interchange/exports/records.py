"""What an export says about an annotation set, independent of the format. No Django here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

# GUIDs for REFI-QDA (and ids for W3C) are derived from stable ids, so exporting twice gives
# the same GUIDs and no model needs a GUID field.
NAMESPACE = uuid.UUID("6f1c7a52-3c1e-5b8e-9d0a-2f4b8c6e1d37")


def guid(kind: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def iso(moment: datetime | None) -> str:
    """xsd:dateTime / RFC 3339 in UTC with a Z, as both standards' validators accept."""
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Person:
    username: str
    name: str = ""

    @property
    def guid(self) -> str:
        return guid("user", self.username)

    @property
    def display(self) -> str:
        return self.name or self.username


@dataclass(frozen=True)
class ReadingRecord:
    pk: int
    title: str
    text: str
    content_hash: str
    iri: str
    language: str = "en"
    author_line: str = ""

    @property
    def guid(self) -> str:
        # Per document: a seminar may (oddly) hold two documents with the same text.
        return guid("text", f"{self.pk}:{self.content_hash}")


@dataclass(frozen=True)
class ThemeRecord:
    pk: int
    name: str
    colour: str
    description: str = ""
    guiding_question: str = ""
    active: bool = True

    @property
    def guid(self) -> str:
        return guid("theme", self.pk)


@dataclass(frozen=True)
class TagRecord:
    pk: int
    reading: ReadingRecord
    theme: ThemeRecord
    start: int  # code points into reading.text
    end: int
    whole_passage: bool
    passage_label: str
    stance: str
    note: str
    author: Person | None
    created: datetime | None
    modified: datetime | None

    @property
    def guid(self) -> str:
        return guid("tag", self.pk)

    @property
    def quote(self) -> str:
        return self.reading.text[self.start : self.end]


@dataclass(frozen=True)
class SetRecord:
    pk: int
    title: str
    seminar_title: str
    owner: Person
    iri: str
    created: datetime | None
    modified: datetime | None
    readings: list[ReadingRecord] = field(default_factory=list)
    themes: list[ThemeRecord] = field(default_factory=list)
    tags: list[TagRecord] = field(default_factory=list)
    members: list[Person] = field(default_factory=list)

    @property
    def guid(self) -> str:
        return guid("set", self.pk)
