"""Writers of jobs: start one, cancel one, and the sweep that keeps none running forever."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from jobs.models import Job

logger = logging.getLogger(__name__)

RESTARTED = "Started again: the worker running it stopped"
GIVEN_UP = (
    "The worker running this job stopped before it finished ({attempts} times: the server was "
    "restarted, or the work took more memory than it had). Nothing was changed. Try again "
    "with a smaller file, or tell whoever runs Counterpoint."
)


def _enqueue(job: Job) -> None:
    from jobs.tasks import job_run_task

    # In the job's transaction: with the database backend the task row and the job are
    # written together, so there is never a job no task will run, nor a task without its job.
    result = job_run_task.enqueue(str(job.pk))
    job.task_id = str(result.id)[:64]
    Job.objects.filter(pk=job.pk).update(task_id=job.task_id)


def job_start(
    *,
    owner,
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    payload: bytes = b"",
    upload: File | None = None,
) -> Job:
    """A new queued job of `kind` (a key of COUNTERPOINT_JOB_KINDS) and its task. Its input is
    `payload` (kept in the database: small files) or `upload`, copied in chunks to a file
    under uploads_dir(): a 40 MB annotation file written into the database took 330-450 MB of
    the web worker's memory (the bytes, the database driver's copies), over issue 19's 300."""
    if kind not in settings.COUNTERPOINT_JOB_KINDS:
        raise ValueError(f"No job kind {kind!r} in COUNTERPOINT_JOB_KINDS.")
    with transaction.atomic():
        job = Job.objects.create(
            owner=owner, kind=kind, title=title[:200], params=params or {}, payload=payload
        )
        if upload is not None:
            path = uploads_dir() / f"{job.pk}.upload"
            with path.open("wb") as kept:
                for chunk in upload.chunks():
                    kept.write(chunk)
            job.params = {**job.params, "payload_file": path.name}
            job.save(update_fields=["params"])
        _enqueue(job)
    return job


def uploads_dir() -> Path:
    """Where uploads wait for their worker: every worker must see it (on several machines, a
    shared volume, as for the database)."""
    path = Path(settings.VAR_DIR) / "job-uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_upload_forget(job_id: object) -> None:
    """Delete a job's upload file, if it has one (its job has ended)."""
    (uploads_dir() / f"{job_id}.upload").unlink(missing_ok=True)


def job_cancel(*, job: Job) -> Job:
    """Cancel a job: at once if no worker has it yet; else its worker stops at its next step
    (and a worker that claims it later finds it cancelled). A finished job stays as it is."""
    with transaction.atomic():
        now = timezone.now()
        Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
            state=Job.State.CANCELLED, cancel_requested=True, finished_at=now, payload=b""
        )
        Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(cancel_requested=True)
    return Job.objects.light().get(pk=job.pk)


def _forget_task(task_id: str) -> None:
    """The dead worker's task row stays "running" in django_tasks_db, which never looks at it
    again: mark it failed too, so the task list tells the same story as the job."""
    if not task_id or not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    try:
        DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(
            status="FAILED", finished_at=timezone.now()
        )
    except Exception:  # a task id of another backend: nothing of ours to tidy
        logger.debug("No database task %s to mark failed", task_id)


def _sweep_one(job: Job, now) -> None:
    stale = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, attempts=job.attempts)
    if job.attempts < settings.COUNTERPOINT_JOB_ATTEMPTS and not job.cancel_requested:
        if stale.update(
            state=Job.State.QUEUED,
            heartbeat_at=None,
            steps_done=0,
            step_label=RESTARTED,
        ):
            _forget_task(job.task_id)
            _enqueue(job)
    elif job.cancel_requested:
        if stale.update(state=Job.State.CANCELLED, finished_at=now, payload=b""):
            _forget_task(job.task_id)
    elif stale.update(
        state=Job.State.FAILED,
        finished_at=now,
        payload=b"",
        error=GIVEN_UP.format(attempts=job.attempts),
    ):
        _forget_task(job.task_id)


def job_sweep_if_stale(job: Job) -> bool:
    """Sweep this one job if its worker has gone quiet (its page calls it: no query unless it
    is stale). Returns whether it did."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.COUNTERPOINT_JOB_STALE_SECONDS)
    if job.state != Job.State.RUNNING or job.heartbeat_at is None or job.heartbeat_at >= cutoff:
        return False
    with transaction.atomic():
        _sweep_one(job, now)
    return True


def jobs_sweep() -> int:
    """Jobs running with no heartbeat for COUNTERPOINT_JOB_STALE_SECONDS (their worker was
    killed, or the machine restarted) are queued again, up to COUNTERPOINT_JOB_ATTEMPTS tries,
    then failed with a message; results older than COUNTERPOINT_JOB_KEEP_HOURS are deleted,
    and jobs a week after that. Every worker runs it before each job; so does
    `manage.py jobs_sweep`. Returns how many stale jobs it found."""
    now = timezone.now()
    stale = list(
        Job.objects.stale(now).light().only("pk", "attempts", "cancel_requested", "task_id")
    )
    for job in stale:
        with transaction.atomic():
            _sweep_one(job, now)
    kept = now - timedelta(hours=settings.COUNTERPOINT_JOB_KEEP_HOURS)
    # Uploads of jobs that ended (their worker deletes them; a killed one may not have).
    waiting = {
        str(pk) for pk in Job.objects.exclude(state__in=Job.FINISHED).values_list("pk", flat=True)
    }
    for path in uploads_dir().glob("*.upload"):
        if path.stem not in waiting:
            path.unlink(missing_ok=True)
    Job.objects.filter(finished_at__lt=kept, result_size__gt=0).update(result=None, result_size=0)
    Job.objects.filter(finished_at__lt=kept - timedelta(days=7)).delete()
    return len(stale)
