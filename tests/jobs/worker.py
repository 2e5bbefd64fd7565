"""Running the queued tasks in the test's own thread, as `manage.py db_worker` would: the
same database backend as production, its rows, its worker's run_task. (db_worker's loop itself
closes database connections between tasks, which a test's transaction cannot survive;
tests/jobs/test_db_worker.py runs the real command in a transactional test.)"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_jobs(limit: int = 20) -> int:
    """Run every task that is ready, in queue order; returns how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        task = DBTaskResult.objects.ready().filter(backend_name="default").first()
        if task is None:
            break
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran


def finish_job(client, started):
    """The job a view started (its answer: a 303 to the job's page), run to its end; returns
    the job's page as its owner then sees it."""
    assert started.status_code == 303, (started.status_code, started.content[:500])
    location = started["Location"]
    assert location.startswith("/jobs/"), location
    run_queued_jobs()
    return client.get(location)


def followed(client, answer):
    """What a person ends up looking at after a POST that may have started a job: the answer
    itself when it did not (a form with its message, a preview), else, once a worker has run
    the job, the page the job's page leads to when it is done (an import's preview) or the
    job's page (a failure in words, a restore's report)."""
    location = answer.get("Location", "") if answer.status_code == 303 else ""
    if answer.status_code == 200 and "HX-Redirect" in answer:  # htmx is sent there instead
        location = answer["HX-Redirect"]
    if not location.startswith("/jobs/"):
        return answer
    from jobs.models import Job

    run_queued_jobs()
    job = Job.objects.get(pk=location.strip("/").split("/")[-1])
    if job.state == Job.State.DONE and job.opens_next:
        return client.get(job.next_url)
    return client.get(location)


def job_download(client, started):
    """The file of the job a view started, once it is done."""
    page = finish_job(client, started)
    assert page.status_code == 200, page.content.decode()[:2000]
    return client.get(started["Location"] + "file/")


class WorkerThread:
    """A worker beside a live server (browser tests): runs what is queued every 0.2 s in a
    thread of its own, with its own database connection, until the `with` block ends."""

    def __init__(self) -> None:
        import threading

        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="test-jobs-worker", daemon=True)

    def _loop(self) -> None:
        from contextlib import suppress

        from django.db import OperationalError, connection

        try:
            while not self._stop.is_set():
                # SQLite busy with the server's write: the next round runs it.
                with suppress(OperationalError):
                    run_queued_jobs()
                self._stop.wait(0.2)
        finally:
            connection.close()

    def __enter__(self) -> WorkerThread:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(10)
