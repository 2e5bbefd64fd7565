"""A job worker killed mid-job (SIGKILL: no chance to tidy up), and a second worker finishing
the job: how long after the kill the job is done, and what the task table says.

Run with: .venv/bin/python bench/jobs_kill.py
A throwaway SQLite database; a 9 MB text imported as a job (readings/background.py); worker 1
(`manage.py jobs_worker`, its own process) is killed once the job is running; worker 2 starts,
its sweeper finds the heartbeat stale and queues the job again, and runs it. The stale time and
the sweep's period are shortened to 5 s and 2 s (production: 120 s and 30 s).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["COUNTERPOINT_VAR_DIR"] = tempfile.mkdtemp(prefix="counterpoint-bench-")
os.environ["COUNTERPOINT_JOB_STALE_SECONDS"] = "5"
os.environ["COUNTERPOINT_JOB_SWEEP_SECONDS"] = "2"
os.environ["PYTHONPATH"] = str(ROOT)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from jobs.models import Job  # noqa: E402
from jobs.services import job_start  # noqa: E402

WORKER = [
    sys.executable,
    "manage.py",
    "jobs_worker",
    "--no-reload",
    "--no-startup-delay",
    "--interval=0.2",
    "-v0",
]


def main() -> None:
    call_command("migrate", verbosity=0)
    owner = User.objects.create_user("k", "k@example.org", "a-long-enough-password-1")
    paragraph = "Patience is underrated in diplomacy; it lets partners learn. " * 30
    book = "\n\n".join(f"{n}. {paragraph}" for n in range(9 * 1024 * 1024 // 1900)).encode()
    job = job_start(
        owner=owner,
        kind="document_import",
        title="Import of book.txt",
        params={"filename": "book.txt", "form": {}},
        payload=book,
    )
    print(f"# jobs_kill: a {len(book) / 1024 / 1024:.1f} MB text imported as a job")
    first = subprocess.Popen(WORKER, cwd=ROOT)
    while Job.objects.get(pk=job.pk).state != Job.State.RUNNING:
        time.sleep(0.05)
    time.sleep(0.3)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    killed = time.monotonic()
    state = Job.objects.light().get(pk=job.pk)
    print(f"worker 1 killed: job {state.state}, '{state.step_label}', try {state.attempts}")
    second = subprocess.Popen(WORKER, cwd=ROOT)
    try:
        while not (state := Job.objects.light().get(pk=job.pk)).finished:
            time.sleep(0.1)
        print(
            f"worker 2: job {state.state} on try {state.attempts} "
            f"({state.summary or state.error}), {time.monotonic() - killed:.1f} s after the kill"
        )
        for _ in range(50):  # the worker marks its task row a moment after the job
            statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
            if "RUNNING" not in statuses:
                break
            time.sleep(0.1)
        print("task rows:", statuses)
    finally:
        second.terminate()
        second.wait(30)


if __name__ == "__main__":
    main()
