"""The real worker command, and two workers never running the same job (threads with their own
database connections, on SQLite and on PostgreSQL: the suite runs on both)."""

from __future__ import annotations

import io
import threading
from contextlib import suppress

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection

from jobs.models import Job
from jobs.runner import job_claim, job_run
from jobs.services import job_start
from tests.factories import UserFactory
from tests.jobs import kinds


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_what_is_queued_and_stops_when_told() -> None:
    owner = UserFactory()
    jobs = [
        job_start(owner=owner, kind="counting", title=f"Job {n}", params={"pages": 2})
        for n in range(3)
    ]
    out = io.StringIO()
    call_command(
        "jobs_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval=0", stdout=out
    )
    assert [Job.objects.get(pk=job.pk).state for job in jobs] == [Job.State.DONE] * 3
    assert len(kinds.SEEN) == 6


def _at_once(count: int, work) -> list:
    """Run `work()` in `count` threads released together; what each returned (or raised)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def one(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work()
        except OperationalError as error:  # SQLite: "locked" is a refusal too, never a double
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_one_job_at_once_only_one_gets_it() -> None:
    for _ in range(5):
        job = job_start(owner=UserFactory(), kind="counting", title="Once")
        claims = _at_once(2, lambda job=job: job_claim(job.pk))
        won = [c for c in claims if isinstance(c, Job)]
        assert len(won) == 1, claims
        assert Job.objects.get(pk=job.pk).attempts == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_handed_the_same_job_run_it_once() -> None:
    job = job_start(owner=UserFactory(), kind="counting", title="Once", params={"pages": 3})
    ended = _at_once(2, lambda: job_run(str(job.pk)))
    # The other finds it taken; on SQLite's shared in-memory test database it may instead be
    # refused the table's lock at once (a file database waits its 20 s): never a second run.
    outcomes = [str(e) for e in ended]
    assert outcomes.count("done") <= 1, ended
    assert {o for o in outcomes if o != "done"} <= {"not queued", "database table is locked"}
    if "done" not in outcomes:
        # SQLite's in-memory test database can refuse both at once (seen in CI): the job is
        # still queued, untouched, and the next worker runs it, once.
        assert connection.vendor == "sqlite", ended
        assert kinds.SEEN == [] and Job.objects.get(pk=job.pk).state == Job.State.QUEUED
        assert job_run(str(job.pk)) == "done"
    assert kinds.SEEN == ["page 1", "page 2", "page 3"]
    assert Job.objects.get(pk=job.pk).attempts == 1


@pytest.mark.django_db(transaction=True)
def test_each_workers_sweeper_finds_a_job_whose_worker_was_killed() -> None:
    import time
    from datetime import timedelta

    from django.utils import timezone

    from jobs.management.commands.jobs_worker import sweep_forever

    job = job_start(owner=UserFactory(), kind="counting", title="Orphaned")
    assert job_claim(job.pk) is not None
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))

    stop = threading.Event()
    sweeper = threading.Thread(target=sweep_forever, args=(stop, 0.05))
    sweeper.start()
    try:
        for _ in range(100):
            # SQLite's shared in-memory test database refuses a read while the sweeper writes.
            with suppress(OperationalError):
                if Job.objects.get(pk=job.pk).state == Job.State.QUEUED:
                    break
            time.sleep(0.05)
    finally:
        stop.set()
        sweeper.join(5)
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and job.step_label.startswith("Started again")
    assert not sweeper.is_alive()
