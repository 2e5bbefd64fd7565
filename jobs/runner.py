"""Running one job in a worker: claim it, hand the kind's function a `JobRun`, record the end.

A kind's function (named in settings.COUNTERPOINT_JOB_KINDS) takes the `JobRun` and returns
an `Outcome`. Between its pages or steps it calls `job.progress(n, m, "words")`, which is also
the heartbeat and where a cancel or the time limit stops it (cooperatively: the work is never
killed halfway through a write). A job that writes does so in `with job.writes():`, one
transaction that also marks the job done, so a worker that dies leaves either everything
written and the job done, or nothing written and the job to retry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.models import Job

logger = logging.getLogger(__name__)

# How often progress is written at most (the page polls every 1.5 s).
PROGRESS_INTERVAL = 0.5
UNEXPECTED = (
    "Something went wrong on the server while doing this; nothing was changed. The error was "
    "written to the server's log. Try again, and if it happens again tell whoever runs "
    "Counterpoint."
)


class JobStopped(Exception):
    """The job may not go on: cancelled by its owner, or taken away by the sweep."""


class JobCancelled(JobStopped):
    pass


class JobLost(JobStopped):
    """The job is no longer this worker's: the sweep gave it up or started it again."""


class JobFailed(Exception):
    """The work cannot be done; `message` says why, in words its owner can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Outcome:
    summary: str
    facts: list[str] = field(default_factory=list)
    next_url: str = ""
    next_label: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    file: bytes | None = None
    file_name: str = ""
    file_type: str = ""


def time_limit_message(seconds: float) -> str:
    minutes = seconds / 60
    span = f"{minutes:g} minutes" if seconds >= 120 else f"{seconds:g} seconds"
    return (
        f"This took longer than the {span} a job may take, and was stopped; nothing was "
        "changed. Try a smaller file, or split the work in two."
    )


class JobRun:
    """What a kind's function sees of its job: its parameters and upload, its owner, and the
    calls that report progress, stop it and write its result."""

    def __init__(self, job: Job, *, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.job_id = job.pk
        self.attempt = job.attempts
        self.owner = job.owner
        self.params: dict[str, Any] = dict(job.params or {})
        self.payload = bytes(job.payload or b"")
        if self.params.get("payload_file"):  # an upload kept as a file (jobs.services)
            from jobs.services import uploads_dir

            self.payload = (uploads_dir() / f"{job.pk}.upload").read_bytes()
        self.seconds = seconds
        self._clock = clock
        self.deadline = clock() + seconds
        self._last_write = float("-inf")
        self._label = ""
        self.finished = False

    def _mine(self):
        return Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING, attempts=self.attempt)

    def remaining(self) -> float:
        """Seconds left before the time limit (for a parser's own budget)."""
        return max(0.0, self.deadline - self._clock())

    def check(self) -> None:
        """Raise JobFailed past the time limit."""
        if self._clock() > self.deadline:
            raise JobFailed(time_limit_message(self.seconds))

    def _stopped(self) -> JobStopped:
        mine = self._mine().values_list("cancel_requested", flat=True).first()
        return JobLost() if mine is None else JobCancelled()

    def progress(self, done: int, total: int, label: str = "") -> None:
        """Step `done` of `total` ("Page 3 of 10"), with what is being done in words. Writes it
        and the heartbeat (at most every PROGRESS_INTERVAL seconds, and whenever the words
        change), then stops the work if it was cancelled, taken away or is out of time."""
        self.check()
        now = self._clock()
        if label == self._label and now - self._last_write < PROGRESS_INTERVAL:
            return
        total = max(total, 0)
        done = min(max(done, 0), total) if total else 0
        updated = (
            self._mine()
            .filter(cancel_requested=False)
            .update(
                steps_done=done,
                steps_total=total,
                step_label=label[:200],
                heartbeat_at=timezone.now(),
            )
        )
        if not updated:
            raise self._stopped()
        self._last_write, self._label = now, label

    @contextmanager
    def writes(self) -> Iterator[None]:
        """One transaction for the job's writes; the job must still be this worker's and not
        cancelled when it starts (its row is locked until the end, so a cancel waits)."""
        self.check()
        with transaction.atomic():
            row = self._mine().select_for_update().values_list("cancel_requested", flat=True)
            cancelled = row.first()
            if cancelled is None:
                raise JobLost()
            if cancelled:
                raise JobCancelled()
            yield

    def finish(self, outcome: Outcome) -> None:
        """Mark the job done with `outcome` (inside `writes()` it is part of that transaction)."""
        now = timezone.now()
        data = outcome.file
        updated = self._mine().update(
            state=Job.State.DONE,
            finished_at=now,
            heartbeat_at=now,
            steps_done=F("steps_total"),  # every step done, of the total last reported
            summary=outcome.summary[:300],
            facts=list(outcome.facts),
            next_url=outcome.next_url[:500],
            next_label=outcome.next_label[:200],
            data=outcome.data,
            result=data,
            result_name=outcome.file_name[:255] if data else "",
            result_type=outcome.file_type[:200] if data else "",
            result_size=len(data) if data else 0,
            payload=b"",
            step_label="",
        )
        if not updated:
            raise JobLost()
        self.finished = True
        _forget_upload(self.job_id)


def _end(job_id, attempt: int, state: str, error: str = "") -> None:
    now = timezone.now()
    if Job.objects.filter(pk=job_id, state=Job.State.RUNNING, attempts=attempt).update(
        state=state, error=error, finished_at=now, heartbeat_at=now, payload=b""
    ):
        _forget_upload(job_id)


def _forget_upload(job_id: object) -> None:
    from jobs.services import job_upload_forget

    job_upload_forget(job_id)


def job_claim(job_id) -> Job | None:
    """Take a queued job for this worker, or None when it is not queued any more (another
    worker has it, it was cancelled, or it is gone). On PostgreSQL the row is locked with SKIP
    LOCKED, so two workers asking at once never both get it; SQLite takes its write lock at
    the start of the transaction (settings: IMMEDIATE), and the update is conditional too."""
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(skip_locked=True)
            .select_related("owner")
            .filter(pk=job_id, state=Job.State.QUEUED)
            .first()
        )
        if job is None:
            return None
        now = timezone.now()
        claimed = Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING,
            attempts=job.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            steps_done=0,
        )
        if not claimed:
            return None
        job.state, job.attempts, job.started_at, job.heartbeat_at = (
            Job.State.RUNNING,
            job.attempts + 1,
            now,
            now,
        )
        return job


def kind_function(kind: str) -> Callable[[JobRun], Outcome]:
    path = settings.COUNTERPOINT_JOB_KINDS[kind]
    function: Callable[[JobRun], Outcome] = import_string(path)
    return function


def job_run(job_id) -> str:
    """Claim and run one job; returns the state it ended in (for the task's result)."""
    from jobs.services import jobs_sweep

    jobs_sweep()
    job = job_claim(job_id)
    if job is None:
        return "not queued"
    run = JobRun(job, seconds=settings.COUNTERPOINT_JOB_SECONDS)
    try:
        outcome = kind_function(job.kind)(run)
        if not run.finished:
            run.finish(outcome)
    except JobCancelled:
        _end(job.pk, run.attempt, Job.State.CANCELLED)
        return Job.State.CANCELLED
    except JobLost:
        return "lost"
    except JobFailed as failure:
        _end(job.pk, run.attempt, Job.State.FAILED, failure.message)
        return Job.State.FAILED
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _end(job.pk, run.attempt, Job.State.FAILED, UNEXPECTED)
        return Job.State.FAILED
    return Job.State.DONE
