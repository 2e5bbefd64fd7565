from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from readings.corpus import CorpusError, corpus_load


class Command(BaseCommand):
    help = "Load the documents listed in a corpus.toml manifest (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("manifest", type=Path)
        parser.add_argument("--owner", help="Username of the instructor who owns the documents.")

    def handle(self, *args, manifest: Path, owner: str | None, **options) -> None:
        user = None
        if owner:
            try:
                user = get_user_model().objects.get_by_natural_key(owner)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No user named {owner!r}.") from error
        try:
            loaded = corpus_load(manifest, owner=user)
        except CorpusError as error:
            raise CommandError(str(error)) from error
        for document, created in loaded:
            verb = "Loaded" if created else "Already loaded"
            count = document.passages.count()
            self.stdout.write(f"{verb}: {document.title} ({count} passages)")
