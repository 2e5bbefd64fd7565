"""Hostile uploads (issue 19, item 2): time, memory and answer of each, through the real views.

Run with: .venv/bin/python bench/hostile_bench.py [--code DIR] [--timeout S] [CASE ...]

Each file of tests/security/hostile/files.py is posted, in a fresh process, to the endpoint a
person would use (a reading's upload and preview, a student's set import, an instructor's
codebook import or restore) with Django's test client against a throwaway SQLite database. The
9.5 MB book is also saved (the preview's second step). Printed per file: its size, the wall
time of the request(s) and the CPU time the process spent in it (on a shared machine the wall
time can be several times the CPU time), the growth of the process's peak resident memory
over the request (VmHWM after resetting it with /proc/self/clear_refs: RSS, because lxml, zlib
and pypdf allocate outside Python's allocator, where tracemalloc cannot see), the status and
the message. Results: bench/RESULTS.md.

`--code DIR` runs the same files against another checkout of the application (for the "before"
figures: `git archive <commit> | tar -x -C DIR`); a request that outlives `--timeout` is killed,
and its peak memory up to then is reported.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "security" / "hostile" / "files.py"


def _hostile_files():
    """tests/security/hostile/files.py, loaded by path: `--code` may be a checkout without it."""
    spec = importlib.util.spec_from_file_location("hostile_files", FILES)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile_files"] = module
    spec.loader.exec_module(module)
    return module


def _status_kb(field: str, pid: str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _message(body: str) -> str:
    """What the page tells the person: the error, or the preview's or report's headline."""
    for pattern in (
        r'<p class="field-error"[^>]*>(.*?)</p>',
        r'<div class="form-errors" role="alert">(.*?)</div>',
        r'<h2 id="preview-heading">(.*?)</h2>',
        r'<div id="interchange-result"[^>]*>(.*?)</div>',
    ):
        found = re.search(pattern, body, re.DOTALL)
        if found:
            text = html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))
            return " ".join(text.split())[:160]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())[:160]


def child(case: str, code: Path) -> None:
    sys.path.insert(0, str(code))
    os.chdir(code)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="bench-only-not-a-secret-" + "x" * 40,
        ALLOWED_HOSTS="testserver",
        COUNTERPOINT_HTTPS="0",
        COUNTERPOINT_STATIC_MANIFEST="0",
        COUNTERPOINT_VAR_DIR=tempfile.mkdtemp(prefix="counterpoint-hostile-"),
    )
    os.environ.pop("DEBUG", None)  # DEBUG keeps every query in memory
    import ctypes
    import gc

    import django

    django.setup()
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from annotations.models import Theme
    from readings.models import Membership, Seminar, SeminarReading
    from readings.services import DocumentMetadata, document_import

    setup_test_environment()
    call_command("migrate", verbosity=0)
    files = _hostile_files()
    maker, endpoint = files.CASES[case]
    User = get_user_model()
    instructor = User.objects.create_user("ines")
    student = User.objects.create_user("sam")
    seminar = Seminar.objects.create(title="Bench", created_by=instructor)
    Membership.objects.create(seminar=seminar, user=instructor, role="instructor")
    Membership.objects.create(seminar=seminar, user=student, role="student")
    reading = document_import(
        raw_text=files.prose(200_000),
        metadata=DocumentMetadata(title="A reading"),
        original_format="txt",
        owner=instructor,
    )
    SeminarReading.objects.create(seminar=seminar, document=reading, position=0)
    Theme.objects.create(seminar=seminar, name="Trade", slug="trade", colour="#1f77b4")
    hostile = maker()
    client = Client(raise_request_exception=False)  # a 500 is an answer to report
    client.force_login(student if endpoint == "set" else instructor)
    url, field = {
        "document": ("/documents/import/", "file"),
        "set": (f"/seminars/{seminar.pk}/import/set/", "file"),
        "codebook": (f"/seminars/{seminar.pk}/import/codebook/", "codebook-file"),
        "restore": (f"/seminars/{seminar.pk}/import/backup/", "restore-file"),
    }[endpoint]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.get("/documents/import/")  # the first request imports every view: not the file's cost

    def rows() -> int:
        return sum(model._default_manager.count() for model in apps.get_models())

    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    before_rows = rows()
    baseline = _status_kb("VmRSS")
    print(json.dumps({"phase": "started", "baseline_kb": baseline}), flush=True)
    upload = SimpleUploadedFile(hostile.name, hostile.data)
    data = {field: upload, "format": "auto"} if endpoint == "set" else {field: upload}
    start, cpu = time.perf_counter(), time.process_time()
    response = client.post(url, data)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    body = response.content.decode()
    result = {
        "case": case,
        "about": hostile.about,
        "bytes": len(hostile.data),
        "seconds": round(seconds, 2),
        "cpu": round(cpu, 2),
        "peak_mb": round((_status_kb("VmHWM") - baseline) / 1024),
        "status": response.status_code,
        "message": _message(body),
        "rows_changed": rows() - before_rows,
    }
    print(json.dumps(result), flush=True)
    saved = re.search(r'name="raw_text" value="([^"]*)"', body)
    if case == "large_text" and saved:  # the preview's second step, as the browser posts it
        form = {
            "title": "A book",
            "language": "en",
            "raw_text": html.unescape(saved.group(1)),
            "original_format": "txt",
            "original_filename": hostile.name,
        }
        del body, response, saved
        gc.collect()
        Path("/proc/self/clear_refs").write_text("5")
        baseline = _status_kb("VmRSS")
        start, cpu = time.perf_counter(), time.process_time()
        response = client.post("/documents/import/save/", form)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        result.update(
            case="large_text (save)",
            seconds=round(seconds, 2),
            cpu=round(cpu, 2),
            peak_mb=round((_status_kb("VmHWM") - baseline) / 1024),
            status=response.status_code,
            message=response.get("Location", "") or _message(response.content.decode()),
            rows_changed=rows() - before_rows,
        )
        print(json.dumps(result), flush=True)


def run(case: str, code: Path, timeout: float) -> list[dict]:
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", case, "--code", str(code)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout
    lines: list[dict] = []
    started = None
    baseline = 0
    for line in process.stdout:
        item = json.loads(line)
        if item.get("phase") == "started":
            started, baseline = time.perf_counter(), item["baseline_kb"]
            break
    peak = 0
    while started is not None and process.poll() is None:
        if time.perf_counter() - started > timeout:
            peak = _status_kb("VmHWM", str(process.pid))
            process.kill()
            process.wait()
            return [
                {
                    "case": case,
                    "seconds": f">{timeout:g}",
                    "peak_mb": f"≥{(peak - baseline) / 1024:.0f}",
                    "status": "killed",
                    "message": f"still running after {timeout:g} s",
                }
            ]
        time.sleep(0.2)
    lines.extend(json.loads(line) for line in process.stdout)
    process.wait()
    if not lines:
        return [{"case": case, "status": f"exit {process.returncode}", "message": "crashed"}]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="*")
    parser.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.code.resolve())
        return
    cases = args.cases or list(_hostile_files().CASES)
    print(f"# hostile_bench, code: {args.code.resolve()}, {os.cpu_count()} cores")
    print(f"| file | size MB | s | CPU s | peak MB | status | message |\n|{'---|' * 7}")
    for case in cases:
        for item in run(case, args.code.resolve(), args.timeout):
            size = f"{item['bytes'] / 1024 / 1024:.1f}" if "bytes" in item else ""
            print(
                f"| {item['case']} | {size} | {item.get('seconds', '')} | {item.get('cpu', '')} | "
                f"{item.get('peak_mb', '')} | {item['status']} | {item.get('message', '')} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
