"""Reading a corpus manifest (corpus.toml) into documents."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from readings.importing import ImportRejected, read_document
from readings.models import Document
from readings.services import DocumentMetadata, document_load


class CorpusError(Exception):
    pass


@dataclass(frozen=True)
class CorpusEntry:
    path: Path
    metadata: DocumentMetadata


@dataclass(frozen=True)
class Corpus:
    entries: tuple[CorpusEntry, ...]
    themes: tuple[str, ...]


def corpus_read(manifest: Path) -> Corpus:
    """Parse a manifest: `[[document]]` tables naming a `file` beside it, `[[theme]]` tables."""
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise CorpusError(f"No corpus manifest at {manifest}.") from error
    except tomllib.TOMLDecodeError as error:
        raise CorpusError(f"{manifest} is not valid TOML: {error}") from error
    entries = []
    for index, item in enumerate(data.get("document", []), start=1):
        if "file" not in item or "title" not in item:
            raise CorpusError(f"Document {index} in {manifest} needs a 'file' and a 'title'.")
        form = str(item.get("form", "")).strip()
        entries.append(
            CorpusEntry(
                path=manifest.parent / item["file"],
                metadata=DocumentMetadata(
                    title=str(item["title"]).strip(),
                    subtitle=str(item.get("subtitle", "")).strip(),
                    authors=[str(name).strip() for name in item.get("authors", []) if name],
                    publication=str(item.get("publication", "")).strip(),
                    published=str(item.get("published", "")).strip(),
                    source_note=form.capitalize() if form else "",
                    language=str(item.get("language", "en")),
                ),
            )
        )
    themes = tuple(str(t["name"]).strip() for t in data.get("theme", []) if t.get("name"))
    return Corpus(entries=tuple(entries), themes=themes)


def corpus_load(manifest: Path, *, owner=None) -> list[tuple[Document, bool]]:
    """Load every document of the manifest; loading the same corpus twice changes nothing."""
    corpus = corpus_read(manifest)
    loaded = []
    for entry in corpus.entries:
        try:
            data = entry.path.read_bytes()
        except FileNotFoundError as error:
            raise CorpusError(
                f"{entry.path} is listed in {manifest} but does not exist."
            ) from error
        try:
            raw = read_document(
                filename=entry.path.name,
                data=data,
                max_bytes=settings.COUNTERPOINT_MAX_UPLOAD_BYTES,
            )
        except ImportRejected as rejected:
            raise CorpusError(f"{entry.path.name}: {rejected.message}") from rejected
        loaded.append(
            document_load(
                raw_text=raw.text,
                metadata=entry.metadata,
                original_format=raw.format,
                original_filename=entry.path.name,
                owner=owner,
                notes=raw.notes,
            )
        )
    return loaded
