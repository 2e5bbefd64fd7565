"""Handout speed and size: the demo seminar (four themes, two readings) as PDF, DOCX and Markdown.

Run with: .venv/bin/python bench/handout_bench.py
It loads the demo seminar into a throwaway SQLite database, builds the handout from the
instructor's key with the builder's defaults and renders each format five times; the first PDF
also loads the fonts. It prints the PDF's pages (counted with pypdf), the page count's layout
time, "fit to 2 pages", and for comparison every passage whole (the handout before issue 25).
Budgets: the four-theme, two-reading PDF in under 3 s (issue 7); the default handout on at most
4 A4 pages, rendered in under 1 s (issue 25).
"""

from __future__ import annotations

import io
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
from pypdf import PdfReader  # noqa: E402

from annotations.demo.load import demo_load  # noqa: E402
from annotations.handouts.budget import handout_fit  # noqa: E402
from annotations.handouts.docx import handout_docx  # noqa: E402
from annotations.handouts.markdown import handout_markdown  # noqa: E402
from annotations.handouts.model import handout_build  # noqa: E402
from annotations.handouts.options import handout_options  # noqa: E402
from annotations.handouts.pdf import handout_pages, handout_pdf  # noqa: E402
from readings.access import get_seminar_for_user  # noqa: E402

RUNS = 5


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


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
    print(f"{'format':>8} {'first s':>8} {'median s':>9} {'max s':>7} {'bytes':>9} {'pages':>6}")
    for name, render in (("pdf", handout_pdf), ("docx", handout_docx), ("md", handout_markdown)):
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            data = render(handout)
            times.append(time.perf_counter() - started)
        size = len(data if isinstance(data, bytes) else data.encode())
        pages = str(pdf_pages(data)) if isinstance(data, bytes) and name == "pdf" else ""
        print(
            f"{name:>8} {times[0]:8.3f} {statistics.median(times):9.3f} {max(times):7.3f} "
            f"{size:9d} {pages:>6}"
        )
    counts = []
    for _ in range(RUNS):
        started = time.perf_counter()
        handout_pages(handout)
        counts.append(time.perf_counter() - started)
    print(f"page count (layout, no file): median {statistics.median(counts):.3f} s")

    fit_options = handout_options(QueryDict("fit=2"))
    fit_handout, _ = handout_build(access, fit_options)
    started = time.perf_counter()
    fitted = handout_fit(access, fit_handout)
    fit_time = time.perf_counter() - started
    assert fitted.fitted is not None
    print(
        f"fit to 2 pages: {fitted.fitted.pages} pages, {len(fitted.fitted.left_out)} passages "
        f"left out, excerpts {'cut shorter' if fitted.fitted.shortened else 'as chosen'}; "
        f"{fit_time:.3f} s (uncached)"
    )

    every, _ = handout_build(access, handout_options(QueryDict("limit=0&excerpt=whole")))
    started = time.perf_counter()
    data = handout_pdf(every)
    print(
        f"every passage whole (before issue 25): "
        f"{sum(len(c.passages) for s in every.sections for c in s.columns)} passages, "
        f"{pdf_pages(data)} pages, {len(data)} bytes, {time.perf_counter() - started:.3f} s"
    )


if __name__ == "__main__":
    main()
