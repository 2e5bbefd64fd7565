"""`manage.py jobs_worker`: django-tasks-db's own worker (`db_worker`, same options), plus a
sweeper that every COUNTERPOINT_JOB_SWEEP_SECONDS finds jobs whose worker died and starts them
again or fails them (jobs.services.jobs_sweep). db_worker alone would leave such a job
"running" until a page or another job looked at it."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from jobs.services import jobs_sweep

logger = logging.getLogger(__name__)


def sweep_forever(stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        try:
            close_old_connections()
            found = jobs_sweep()
            if found:
                logger.warning("Found %d job(s) whose worker stopped", found)
        except Exception:  # a database restart: try again at the next round
            logger.exception("The job sweep failed")
        finally:
            connection.close()


class Command(DbWorkerCommand):
    help = "Run a worker for background jobs (db_worker, with the sweep of stalled jobs)."

    def handle(self, *args, **options) -> None:
        stop = threading.Event()
        sweeper = threading.Thread(
            target=sweep_forever,
            args=(stop, settings.COUNTERPOINT_JOB_SWEEP_SECONDS),
            name="jobs-sweeper",
            daemon=True,
        )
        sweeper.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
