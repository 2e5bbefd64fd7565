"""Remove import previews nobody saved within COUNTERPOINT_PENDING_IMPORT_HOURS.

New previews clear expired ones as they are made; run this from cron (daily is plenty) so
that a quiet server does not keep them either.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from readings.services import pending_imports_clear


class Command(BaseCommand):
    help = "Remove import previews that were never saved and have expired."

    def handle(self, *args, **options) -> None:
        count = pending_imports_clear()
        noun = "preview" if count == 1 else "previews"
        self.stdout.write(f"Removed {count} expired import {noun}.")
