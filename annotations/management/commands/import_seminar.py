from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.interchange.imports.backup import parse_backup
from annotations.interchange.imports.records import ImportRejected
from annotations.interchange.services import seminar_restore


class Command(BaseCommand):
    help = (
        "Restore a seminar backup (from export_seminar) as a new seminar, with its members, "
        "set owners and tag authors; missing accounts are created without a usable password."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            # Run by the server's administrator: no limit on the rows one restore writes.
            backup = parse_backup(file.read_bytes(), max_rows=None)
            report = seminar_restore(backup=backup, restore_people=True)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except ImportRejected as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Restored “{report.seminar.title}” as seminar {report.seminar.pk}: "
            f"{report.readings_created} new and {report.readings_reused} reused readings, "
            f"{report.themes_created} themes, {report.picks} discussion picks, "
            f"{report.sets} sets, {report.tags} tags."
        )
