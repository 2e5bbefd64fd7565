from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from annotations.demo.load import DEMO_PASSWORD, DemoError, demo_load
from readings.corpus import CorpusError


class Command(BaseCommand):
    help = "Create the demo seminar from the seed corpus (idempotent) and print its log-ins."

    def handle(self, *args, **options) -> None:
        try:
            result = demo_load()
        except CorpusError as error:
            raise CommandError(
                f"{error}\nSet COUNTERPOINT_SEEDS_DIR to the folder holding corpus.toml."
            ) from error
        except DemoError as error:
            raise CommandError(f"The demo seminar cannot be loaded: {error}") from error
        self.stdout.write(f"Demo seminar: {result.seminar.title}")
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for account in result.accounts:
            self.stdout.write(f"  {account.role:<12} {account.username:<12} {account.first_name}")
