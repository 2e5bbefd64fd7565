"""Job kinds for the tests of the machinery itself (settings.COUNTERPOINT_JOB_KINDS gets them
in tests/jobs/conftest.py): each does what a real kind might, in a few lines."""

from __future__ import annotations

from jobs.runner import JobFailed, JobRun, Outcome
from readings.models import Seminar

# What the kinds saw, for the tests to look at.
SEEN: list[str] = []


def counting_job(job: JobRun) -> Outcome:
    pages = int(job.params.get("pages", 3))
    for page in range(pages):
        job.progress(page, pages, f"Page {page + 1} of {pages}")
        SEEN.append(f"page {page + 1}")
    return Outcome(
        summary=f"Counted {pages} pages",
        facts=["One fact"],
        file=b"counted\n" * pages,
        file_name="count.txt",
        file_type="text/plain",
    )


def refusing_job(job: JobRun) -> Outcome:
    job.progress(0, 1, "Looking at the file")
    raise JobFailed("The file is not a seminar backup: choose the .counterpoint.json file.")


def crashing_job(job: JobRun) -> Outcome:
    job.progress(0, 1, "About to divide")
    return Outcome(summary=str(1 / 0))


def writing_job(job: JobRun) -> Outcome:
    """Writes a seminar in its transaction, then fails if asked: nothing may stay written."""
    job.progress(0, 1, "Writing")
    with job.writes():
        Seminar.objects.create(title=job.params["title"], created_by=job.owner)
        if job.params.get("fail"):
            raise JobFailed("Failed after writing.")
        outcome = Outcome(summary="Written")
        job.finish(outcome)
    return outcome


def cancelling_job(job: JobRun) -> Outcome:
    """Its owner cancels it while it runs (as the Cancel button would between two pages)."""
    from jobs.models import Job

    job.progress(0, 3, "Page 1 of 3")
    SEEN.append("page 1")
    Job.objects.filter(pk=job.job_id).update(cancel_requested=True)
    job.progress(1, 3, "Page 2 of 3")
    SEEN.append("page 2")
    return Outcome(summary="Should not get here")


def slow_job(job: JobRun) -> Outcome:
    """Goes on past the time limit: its next progress stops it."""
    job.deadline = 0  # the clock is always past it
    job.progress(1, 2, "Page 2 of 2")
    SEEN.append("past the deadline")
    return Outcome(summary="Should not get here")
