"""Handout speed: the demo seminar (four themes, two readings) as PDF, DOCX and Markdown.

Run with: .venv/bin/python bench/handout_bench.py
It loads the demo seminar into a throwaway SQLite database, builds the handout from the
instructor's key (the builder's default) and renders each format five times; the first PDF
also loads the fonts. Budget (issue 7): the four-theme, two-reading PDF in under 3 s.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["COUNTERPOINT_VAR_DIR"] = tempfile.mkdtemp(prefix="counterpoint-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.http import QueryDict  # noqa: E402

from annotations.demo.load import demo_load  # noqa: E402
from annotations.handouts.docx import handout_docx  # noqa: E402
from annotations.handouts.markdown import handout_markdown  # noqa: E402
from annotations.handouts.model import handout_build  # noqa: E402
from annotations.handouts.options import handout_options  # noqa: E402
from annotations.handouts.pdf import handout_pdf  # noqa: E402
from readings.access import get_seminar_for_user  # noqa: E402

RUNS = 5


def main() -> None:
    call_command("migrate", verbosity=0)
    demo = demo_load()
    instructor = demo.seminar.created_by
    access = get_seminar_for_user(instructor, demo.seminar.pk)
    print(
        f"# handout_bench on {platform.node()} ({platform.machine()}, {os.cpu_count()} cores), "
        f"Python {platform.python_version()}"
    )
    started = time.perf_counter()
    handout, _ = handout_build(access, handout_options(QueryDict("")))
    build = time.perf_counter() - started
    print(
        f"handout: {len(handout.sections)} themes, {len(handout.references)} readings, "
        f"{sum(len(c.passages) for s in handout.sections for c in s.columns)} passages; "
        f"built in {build:.3f} s"
    )
    print(f"{'format':>8} {'first s':>8} {'median s':>9} {'max s':>7} {'bytes':>9}")
    for name, render in (("pdf", handout_pdf), ("docx", handout_docx), ("md", handout_markdown)):
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            data = render(handout)
            times.append(time.perf_counter() - started)
        size = len(data if isinstance(data, bytes) else data.encode())
        print(
            f"{name:>8} {times[0]:8.3f} {statistics.median(times):9.3f} {max(times):7.3f} {size:9d}"
        )


if __name__ == "__main__":
    main()
