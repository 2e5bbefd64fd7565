"""A job whose worker died (killed, the machine restarted) is started again once, then failed
with a message: never left "running" forever. Files are kept a day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import Job
from jobs.runner import job_claim
from jobs.services import job_start, jobs_sweep, uploads_dir
from tests.factories import UserFactory
from tests.jobs import kinds
from tests.jobs.worker import run_queued_jobs

pytestmark = pytest.mark.django_db


def _killed_mid_job(job: Job, seconds_ago: int = 600) -> None:
    """What a worker killed with SIGKILL leaves: its job and its task row 'running', and a
    heartbeat that stopped."""
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim("killed-worker")
    assert job_claim(job.pk) is not None
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=seconds_ago), step_label="Page 2 of 3"
    )


def test_a_job_whose_worker_was_killed_is_run_again_after_the_sweep() -> None:
    job = job_start(owner=UserFactory(), kind="counting", title="Counting", params={"pages": 2})
    _killed_mid_job(job)
    dead_task = job.task_id

    assert jobs_sweep() == 1  # every worker's sweeper does this (jobs_worker)
    assert run_queued_jobs() == 1

    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempts == 2
    assert kinds.SEEN == ["page 1", "page 2"]
    assert DBTaskResult.objects.get(pk=dead_task).status == "FAILED"
    assert job.task_id != dead_task


def test_a_job_killed_on_its_last_try_is_failed_with_a_message() -> None:
    job = job_start(owner=UserFactory(), kind="counting", title="Counting")
    Job.objects.filter(pk=job.pk).update(attempts=1)  # killed once already
    _killed_mid_job(job)

    assert jobs_sweep() == 1

    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "The worker running this job stopped before it finished (2 times" in job.error
    assert job.finished_at is not None
    assert run_queued_jobs() == 0 and kinds.SEEN == []


def test_a_job_that_still_beats_is_left_to_run() -> None:
    job = job_start(owner=UserFactory(), kind="counting", title="Counting")
    _killed_mid_job(job, seconds_ago=5)
    assert jobs_sweep() == 0
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING and job.step_label == "Page 2 of 3"


def test_a_stalled_job_cancelled_by_its_owner_ends_cancelled() -> None:
    job = job_start(owner=UserFactory(), kind="counting", title="Counting")
    _killed_mid_job(job)
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    call_command("jobs_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED and job.finished_at is not None


def test_the_job_page_finds_a_dead_worker_itself() -> None:
    """No worker is free to sweep: the owner watching the page still sees it start again."""
    owner = UserFactory()
    job = job_start(owner=owner, kind="counting", title="Counting")
    _killed_mid_job(job)
    client = Client()
    client.force_login(owner)

    page = client.get(job.get_absolute_url())

    assert page.status_code == 200
    assert "Waiting for a worker" in page.content.decode()
    assert "started again: the worker running it stopped" in page.content.decode()
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED


def test_a_finished_jobs_file_is_kept_a_day_then_deleted() -> None:
    owner = UserFactory()
    job = job_start(owner=owner, kind="counting", title="Counting")
    run_queued_jobs()
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(hours=23))
    jobs_sweep()
    job.refresh_from_db()
    assert job.has_file and job.result_size > 0

    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    jobs_sweep()
    job.refresh_from_db()
    assert job.result is None and job.result_size == 0 and job.state == Job.State.DONE

    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=9))
    jobs_sweep()
    assert not Job.objects.filter(pk=job.pk).exists()


def test_an_upload_waits_as_a_file_until_its_job_ends_and_the_sweep_clears_strays() -> None:
    owner = UserFactory()
    waiting = job_start(
        owner=owner, kind="counting", title="Waiting", upload=ContentFile(b"x" * 100, "a.json")
    )
    kept = uploads_dir() / f"{waiting.pk}.upload"
    stray = uploads_dir() / "00000000-0000-0000-0000-000000000000.upload"
    stray.write_bytes(b"left by a worker killed after its job ended")
    assert kept.read_bytes() == b"x" * 100

    jobs_sweep()
    assert kept.exists() and not stray.exists()  # its job still waits for a worker
    assert run_queued_jobs() == 1
    assert Job.objects.get(pk=waiting.pk).state == Job.State.DONE
    assert not kept.exists()
