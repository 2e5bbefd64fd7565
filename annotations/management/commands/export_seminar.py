from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.interchange.exports.backup import backup_bytes
from readings.models import Seminar


class Command(BaseCommand):
    help = (
        "Write a seminar's full backup (members, readings, themes and discussion picks, sets, "
        "tags, summaries) as JSON."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("seminar", type=int, help="The seminar's id.")
        parser.add_argument(
            "-o", "--output", type=Path, help="File to write; standard output if left out."
        )

    def handle(self, *args, seminar: int, output: Path | None, **options) -> None:
        found = Seminar.objects.filter(pk=seminar).first()
        if found is None:
            raise CommandError(f"No seminar with id {seminar}.")
        data = backup_bytes(found)
        if output is None:
            sys.stdout.buffer.write(data)
            return
        output.write_bytes(data)
        self.stderr.write(f"Wrote “{found.title}” to {output}.")
