"""A job from start to end through the real task backend: success with progress and a file,
failure with a message, a crash, cancel, the time limit, and one transaction for its writes."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from jobs.models import Job
from jobs.runner import UNEXPECTED
from jobs.services import job_cancel, job_start
from readings.models import Seminar
from tests.factories import UserFactory
from tests.jobs import kinds
from tests.jobs.worker import run_queued_jobs

pytestmark = pytest.mark.django_db


def _start(kind: str, **params) -> Job:
    return job_start(owner=UserFactory(), kind=kind, title=f"A {kind} job", params=params)


def test_a_job_waits_for_a_worker_then_runs_to_done_with_its_file() -> None:
    job = _start("counting", pages=4)
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and kinds.SEEN == []
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"

    assert run_queued_jobs() == 1

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert kinds.SEEN == ["page 1", "page 2", "page 3", "page 4"]
    assert (job.steps_done, job.steps_total) == (4, 4)
    assert job.summary == "Counted 4 pages" and job.facts == ["One fact"]
    assert bytes(job.result or b"") == b"counted\n" * 4 and job.result_size == 32
    assert job.has_file and job.attempts == 1
    assert job.started_at and job.finished_at and job.finished_at >= job.started_at
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"


def test_a_refused_job_fails_with_its_message() -> None:
    job = _start("refusing")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "The file is not a seminar backup: choose the .counterpoint.json file."
    assert not job.has_file and job.payload in (b"", memoryview(b""))


def test_a_crash_fails_the_job_with_words_not_a_traceback(caplog) -> None:
    job = _start("crashing")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == UNEXPECTED
    assert "ZeroDivisionError" in caplog.text  # the traceback is in the log, for whoever runs it


def test_a_job_cancelled_before_a_worker_takes_it_never_runs() -> None:
    job = _start("counting")
    job_cancel(job=job)
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED and job.finished_at

    run_queued_jobs()

    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED
    assert kinds.SEEN == []


def test_a_running_job_cancelled_stops_at_its_next_step() -> None:
    job = _start("cancelling")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED
    assert kinds.SEEN == ["page 1"]
    assert job.summary == "" and not job.has_file


def test_a_job_past_its_time_limit_is_stopped_with_a_message() -> None:
    job = _start("slow")
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "took longer than the 15 minutes a job may take" in job.error
    assert kinds.SEEN == []


def test_a_job_that_fails_after_writing_leaves_nothing_written() -> None:
    failing = _start("writing", title="Half written", fail=True)
    run_queued_jobs()
    failing.refresh_from_db()
    assert failing.state == Job.State.FAILED and failing.error == "Failed after writing."
    assert not Seminar.objects.filter(title="Half written").exists()

    passing = _start("writing", title="Written whole")
    run_queued_jobs()
    passing.refresh_from_db()
    assert passing.state == Job.State.DONE
    assert Seminar.objects.filter(title="Written whole").count() == 1


def test_a_job_cancelled_while_it_waits_to_write_writes_nothing() -> None:
    from jobs.runner import JobCancelled, JobRun, job_claim

    job = _start("writing", title="Never written")
    claimed = job_claim(job.pk)
    assert claimed is not None
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    run = JobRun(claimed, seconds=60)
    with pytest.raises(JobCancelled), run.writes():
        Seminar.objects.create(title="Never written", created_by=job.owner)
    assert not Seminar.objects.filter(title="Never written").exists()


def test_an_unknown_kind_is_refused_when_the_job_is_started() -> None:
    with pytest.raises(ValueError, match="No job kind 'nonsense'"):
        _start("nonsense")
    assert not Job.objects.exists()
