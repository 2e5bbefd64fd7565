"""Import speed: synthetic documents of 100 KB, 1 MB and 4 MB through the real import path.

Run with: .venv/bin/python bench/import_bench.py
It reads (sniffs and decodes), splits and stores each document in a throwaway SQLite database,
and prints the time of each step. Budget: 1 MB in under 2 s, growing linearly.
"""

from __future__ import annotations

import os
import platform
import random
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

from readings.importing import read_document, split_text  # noqa: E402
from readings.services import DocumentMetadata, document_import  # noqa: E402

WORDS = [
    "alliance",
    "partnership",
    "border",
    "trade",
    "sanctions",
    "energy",
    "pivot",
    "leverage",
    "Moscow",
    "Beijing",
    "Washington",
    "summit",
    "treaty",
    "autonomy",
    "primacy",
    "rapprochement",
    "deterrence",
    "security",
    "economy",
    "dependence",
    "rivalry",
]


def synthetic(size: int, seed: int = 7) -> bytes:
    """Messy text of about `size` bytes: headings, paragraphs, page breaks, pull quotes, bullets."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    n = 0
    while total < size:
        n += 1
        if n % 25 == 1:
            block = f"SECTION {n // 25 + 1} ON {rng.choice(WORDS).upper()}"
        elif n % 17 == 0:
            block = "\n".join(f"  • {rng.choice(WORDS).capitalize()} matters." for _ in range(3))
        else:
            sentences = []
            for _ in range(rng.randint(3, 7)):
                words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
                sentences.append(" ".join(words).capitalize() + ".")
            block = " ".join(sentences)
            if n % 11 == 0:  # a paragraph broken at a page end
                cut = block.rfind(" ", 0, len(block) // 2)
                block = block[:cut] + "\n\n" + block[cut + 1 :].lower()
        parts.append(block)
        total += len(block) + 2
    return "\n\n".join(parts).encode()


def main() -> None:
    call_command("migrate", verbosity=0)
    print(
        f"# import_bench on {platform.node()} ({platform.machine()}, {os.cpu_count()} cores), "
        f"Python {platform.python_version()}"
    )
    print(f"{'size':>8} {'read s':>8} {'split s':>8} {'store s':>8} {'total s':>8} {'passages':>9}")
    for label, size in (("100 KB", 100 * 1024), ("1 MB", 1024 * 1024), ("4 MB", 4 * 1024 * 1024)):
        data = synthetic(size)
        t0 = time.perf_counter()
        raw = read_document(filename="bench.txt", data=data, max_bytes=16 * 1024 * 1024)
        t1 = time.perf_counter()
        split = split_text(raw.text)
        t2 = time.perf_counter()
        document_import(
            raw_text=raw.text,
            metadata=DocumentMetadata(title=f"Bench {label}"),
            original_format=raw.format,
            split=split,
        )
        t3 = time.perf_counter()
        print(
            f"{label:>8} {t1 - t0:8.3f} {t2 - t1:8.3f} {t3 - t2:8.3f} {t3 - t0:8.3f} "
            f"{len(split.passages):9d}"
        )


if __name__ == "__main__":
    main()
