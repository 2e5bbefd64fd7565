"""The one task of the Tasks framework: run a job by its id. Everything a job needs is in its
row, so the task's arguments are only the id (JSON, as the database backend stores them)."""

from __future__ import annotations

from django.tasks import task


@task
def job_run_task(job_id: str) -> str:
    from jobs.runner import job_run

    return job_run(job_id)
