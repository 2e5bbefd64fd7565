"""Writes to readings: every import of a document goes through here, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from readings.importing import SplitResult, split_text
from readings.models import Document, Passage


@dataclass(frozen=True)
class DocumentMetadata:
    title: str
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    publication: str = ""
    published: str = ""
    source_note: str = ""
    language: str = "en"


def passages_from_split(document: Document, split: SplitResult) -> list[Passage]:
    return [
        Passage(
            document=document,
            position=p.position,
            kind=p.kind,
            text=p.text,
            start=p.start,
            end=p.end,
            section=p.section[:300],
            word_count=p.word_count,
            label=p.label,
            anchor=p.anchor,
            emphasis=[list(span) for span in p.emphasis],
        )
        for p in split.passages
    ]


def document_import(
    *,
    raw_text: str,
    metadata: DocumentMetadata,
    original_format: str,
    original_filename: str = "",
    owner=None,
    split: SplitResult | None = None,
) -> Document:
    """Split `raw_text` into passages and store the document with them, all or nothing."""
    split = split or split_text(raw_text)
    with transaction.atomic():
        document = Document.objects.create(
            title=metadata.title,
            subtitle=metadata.subtitle,
            authors=metadata.authors,
            publication=metadata.publication,
            published=metadata.published,
            source_note=metadata.source_note,
            language=metadata.language or "en",
            text=split.text,
            content_hash=split.content_hash,
            original_filename=original_filename,
            original_format=original_format,
            owner=owner,
        )
        Passage.objects.bulk_create(passages_from_split(document, split), batch_size=500)
    return document


def document_load(
    *,
    raw_text: str,
    metadata: DocumentMetadata,
    original_format: str,
    original_filename: str = "",
    owner=None,
) -> tuple[Document, bool]:
    """Import unless the same text is already there for this owner; then refresh its metadata.

    Returns the document and whether it was created. Loading a corpus twice changes nothing.
    """
    split = split_text(raw_text)
    existing = Document.objects.filter(content_hash=split.content_hash, owner=owner).first()
    if existing is None:
        document = document_import(
            raw_text=raw_text,
            metadata=metadata,
            original_format=original_format,
            original_filename=original_filename,
            owner=owner,
            split=split,
        )
        return document, True
    changed = False
    for name in ("title", "subtitle", "authors", "publication", "published", "language"):
        if getattr(existing, name) != getattr(metadata, name):
            setattr(existing, name, getattr(metadata, name))
            changed = True
    if changed:
        existing.save()
    return existing, False
