from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from readings.importing import ImportRejected, read_document
from readings.services import DocumentMetadata, document_import


class Command(BaseCommand):
    help = "Import one file (.txt, .md, .html, .docx, .pdf) as a document split into passages."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--title", help="Defaults to the title the file names, if any.")
        parser.add_argument("--subtitle", default="")
        parser.add_argument(
            "--author", action="append", default=[], help="Repeat for several authors."
        )
        parser.add_argument("--publication", default="")
        parser.add_argument("--published", default="")
        parser.add_argument("--language", default="")
        parser.add_argument("--owner", help="Username of the instructor who owns the document.")

    def handle(self, *args, file: Path, **options) -> None:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            raw = read_document(
                filename=file.name, data=data, max_bytes=settings.COUNTERPOINT_MAX_UPLOAD_BYTES
            )
        except ImportRejected as rejected:
            raise CommandError(rejected.message) from rejected
        title = options["title"] or raw.metadata.get("title", "")
        if not title:
            raise CommandError("The file names no title: give one with --title.")
        owner = None
        if options["owner"]:
            try:
                owner = get_user_model().objects.get_by_natural_key(options["owner"])
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No user named {options['owner']!r}.") from error
        authors = options["author"] or [
            a.strip() for a in raw.metadata.get("authors", "").split(",") if a.strip()
        ]
        document = document_import(
            raw_text=raw.text,
            metadata=DocumentMetadata(
                title=title,
                subtitle=options["subtitle"],
                authors=authors,
                publication=options["publication"],
                published=options["published"] or raw.metadata.get("published", ""),
                language=options["language"] or raw.metadata.get("language", "") or "en",
            ),
            original_format=raw.format,
            original_filename=file.name,
            owner=owner,
            notes=raw.notes,
        )
        for warning in raw.warnings:
            self.stderr.write(warning)
        self.stdout.write(
            f"Imported: {document.title} ({document.passages.count()} passages), id {document.pk}"
        )
