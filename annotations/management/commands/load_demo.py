from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from readings.corpus import CorpusError
from readings.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Create the demo seminar from the seed corpus (idempotent) and print its log-ins."

    def handle(self, *args, **options) -> None:
        try:
            accounts = demo_load()
        except CorpusError as error:
            raise CommandError(
                f"{error}\nSet COUNTERPOINT_SEEDS_DIR to the folder holding corpus.toml."
            ) from error
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.role:<12} {account.username}")
