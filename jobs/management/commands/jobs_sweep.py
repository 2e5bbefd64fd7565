from __future__ import annotations

from django.core.management.base import BaseCommand

from jobs.services import jobs_sweep


class Command(BaseCommand):
    help = (
        "Queue again (or fail, after the last try) jobs whose worker stopped, and delete results "
        "kept past their day. Every worker does this before each job; run it from cron when "
        "the workers are idle for long."
    )

    def handle(self, *args, **options) -> None:
        found = jobs_sweep()
        self.stdout.write(f"{found} stalled job{'s' if found != 1 else ''} found.")
