"""Background jobs (issue 22): how long the request that starts a job takes, against doing the
work in the request as before; and how long a job then waits for and runs in a real worker.

Run with: .venv/bin/python bench/jobs_bench.py
It loads the demo seminar into a throwaway SQLite database, times (median of five) a backup
and a restore done in the request's way, then the POSTs that start the same work as jobs (the
test client, through every middleware), and finally starts `manage.py jobs_worker` as its own
process and times five backup jobs from the POST to "done" as the job's page would see it.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ["COUNTERPOINT_VAR_DIR"] = tempfile.mkdtemp(prefix="counterpoint-bench-")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from annotations.demo.load import demo_load  # noqa: E402
from annotations.interchange.exports.backup import backup_bytes  # noqa: E402
from annotations.interchange.imports.backup import parse_backup  # noqa: E402
from annotations.interchange.services import seminar_restore  # noqa: E402
from jobs.models import Job  # noqa: E402

RUNS = 5


def median(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:8.1f}"


def main() -> None:
    call_command("migrate", verbosity=0)
    demo = demo_load()
    seminar = demo.seminar
    instructor = seminar.created_by
    assert instructor is not None
    client = Client()
    client.force_login(instructor)
    print(
        f"# jobs_bench on {platform.node()} ({platform.machine()}, {os.cpu_count()} cores), "
        f"Python {platform.python_version()}, SQLite"
    )
    data = backup_bytes(seminar)
    print(f"demo seminar backup: {len(data):,} bytes")

    in_request: dict[str, list[float]] = {"backup": [], "restore": []}
    for _ in range(RUNS):
        started = time.perf_counter()
        backup_bytes(seminar)
        in_request["backup"].append(time.perf_counter() - started)
        started = time.perf_counter()
        seminar_restore(backup=parse_backup(data), importer=instructor)
        in_request["restore"].append(time.perf_counter() - started)

    as_job: dict[str, list[float]] = {"backup": [], "restore": []}
    backup_url = reverse("annotations:seminar_backup", args=[seminar.pk])
    restore_url = reverse("annotations:seminar_restore", args=[seminar.pk])
    for _ in range(RUNS):
        started = time.perf_counter()
        answer = client.post(backup_url)
        as_job["backup"].append(time.perf_counter() - started)
        assert answer.status_code == 303, answer.status_code
        upload = SimpleUploadedFile("b.json", data)
        started = time.perf_counter()
        answer = client.post(restore_url, {"restore-file": upload})
        as_job["restore"].append(time.perf_counter() - started)
        assert answer.status_code == 303, answer.status_code
    # A 4 MB text: the whole POST in the request (threshold lifted), then as a job.
    from readings.importing import heavy

    paragraph = (
        "Patience is underrated in diplomacy; it lets partners learn what the other side can "
        "give, and when. Haste breeds mistakes that last for a generation. "
    )
    book = "\n\n".join(f"{n}. {paragraph * 3}" for n in range(4 * 1024 * 1024 // 450))
    book_bytes = book.encode()
    in_request["import 4 MB"], as_job["import 4 MB"] = [], []
    for run in range(RUNS):
        for lifted, times in ((True, in_request["import 4 MB"]), (False, as_job["import 4 MB"])):
            heavy.BACKGROUND_BYTES = 100 * 1024 * 1024 if lifted else 2 * 1024 * 1024
            upload = SimpleUploadedFile(f"book{run}.txt", book_bytes)
            started = time.perf_counter()
            answer = client.post("/documents/import/", {"file": upload})
            times.append(time.perf_counter() - started)
            assert answer.status_code == (200 if lifted else 303), answer.status_code
    heavy.BACKGROUND_BYTES = 2 * 1024 * 1024
    print(f"book: {len(book_bytes):,} bytes")
    Job.objects.all().delete()

    print(f"{'work':>12} {'in the request ms':>17} {'POST starting its job ms':>25}")
    print("(backup, restore: the work alone; import: the whole POST either way)")
    for work in ("backup", "restore", "import 4 MB"):
        print(f"{work:>12} {median(in_request[work]):>17} {median(as_job[work]):>25}")

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "jobs_worker", "--no-reload", "--no-startup-delay", "-v0"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        time.sleep(3)  # the worker's start-up (Django, WeasyPrint, pypdf imports)
        waits: list[float] = []
        for _ in range(RUNS):
            started = time.perf_counter()
            location = client.post(backup_url)["Location"]
            while True:
                job = Job.objects.get(pk=location.split("/")[2])
                if job.finished:
                    break
                time.sleep(0.02)
            waits.append(time.perf_counter() - started)
            assert job.state == Job.State.DONE, (job.state, job.error)
            assert json.loads(bytes(Job.objects.get(pk=job.pk).result or b""))["seminar"]
        print(
            f"backup job, POST to done with one jobs_worker (polls every 1 s): median "
            f"{statistics.median(waits):.2f} s, max {max(waits):.2f} s over {RUNS}"
        )
    finally:
        worker.terminate()
        worker.wait(30)


if __name__ == "__main__":
    main()
