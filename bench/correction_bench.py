"""Correcting a long reading: the correction page and a merge, per reading size.

Run with: .venv/bin/python bench/correction_bench.py
It imports readings of 300, 1,000 and 3,000 paragraphs into a throwaway SQLite database, tags
every tenth paragraph, then times (CPU, time.process_time) rendering the correction page and
merging the first two paragraphs (which renumbers every later passage and moves their tags).
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["COUNTERPOINT_VAR_DIR"] = tempfile.mkdtemp(prefix="counterpoint-bench-")
os.environ["DATABASE_URL"] = "sqlite:///" + os.environ["COUNTERPOINT_VAR_DIR"] + "/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from annotations.models import AnnotationSet, Tag, Theme  # noqa: E402
from readings.corrections.services import passage_merge  # noqa: E402
from readings.services import DocumentMetadata, document_import, seminar_create  # noqa: E402

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "300,1000,3000").split(","))


def main() -> None:
    call_command("migrate", verbosity=0)
    owner = get_user_model().objects.create(username="owner")
    seminar = seminar_create(title="Bench", instructor=owner)
    theme = Theme.objects.create(seminar=seminar, name="T", slug="t", colour="#1f77b4")
    key = AnnotationSet.objects.create(seminar=seminar, owner=owner, title="Key", kind="key")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(owner)
    print(
        f"# correction_bench on {platform.node()} ({platform.machine()}, {os.cpu_count()} "
        f"cores), Python {platform.python_version()}; CPU seconds"
    )
    print("paragraphs  page_cpu_s  merge_cpu_s")
    for size in SIZES:
        text = "\n\n".join(
            f"Paragraph {n} makes a point about trade. It gives a reason." for n in range(size)
        )
        document = document_import(
            raw_text=text,
            metadata=DocumentMetadata(title=f"Bench {size}"),
            original_format="txt",
            owner=owner,
            seminar=seminar,
        )
        passages = list(document.passages.order_by("position"))
        Tag.objects.bulk_create(
            Tag(annotation_set=key, passage=p, theme=theme, span_start=0, span_end=9)
            for p in passages[::10]
        )
        url = reverse("readings:document_correct", args=[document.pk])
        started = time.process_time()
        response = client.get(url)
        page = time.process_time() - started
        assert response.status_code == 200, (response.status_code, response.get("Location"))
        started = time.process_time()
        passage_merge(document=document, passage_id=passages[0].pk)
        merge = time.process_time() - started
        print(f"{size:>10}  {page:>10.2f}  {merge:>11.2f}")


if __name__ == "__main__":
    main()
