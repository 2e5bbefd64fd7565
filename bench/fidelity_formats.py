"""A small scorer for the Word, Markdown and HTML fidelity corpora (bench/fidelity/word.py,
markdown.py, html.py) until bench/import_fidelity.py runs them all.

Run with: .venv/bin/python bench/fidelity_formats.py [word|markdown|html ...]
Per format: the share of the author's paragraphs found word for word as a passage, the passages
holding furniture (navigation, footers, comments, notes...), and CPU seconds per file.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from readings.importing import ImportRejected, read_document, split_text  # noqa: E402


def _norm(text: str) -> str:
    return " ".join(text.split())


def score(module: str, *, verbose: bool = False) -> tuple[int, int, int, float, int]:
    cases = importlib.import_module(f"bench.fidelity.{module}").cases()
    found = total = furniture = 0
    cpu = 0.0
    for case in cases:
        start = time.process_time()
        try:
            raw = read_document(filename=case.filename, data=case.data)
            notes = getattr(raw, "notes", ())  # the readers before notes had none
            result = split_text(raw.text, notes=notes) if notes else split_text(raw.text)
        except ImportRejected as rejected:
            print(f"  {case.name}: refused: {rejected.message}")
            total += len(case.paragraphs)
            continue
        cpu += time.process_time() - start
        passages = {_norm(p.text) for p in result.passages}
        missing = [p for p in case.paragraphs if _norm(p) not in passages]
        dirty = [
            (f, p.text)
            for p in result.passages
            for f in case.furniture
            if _norm(f) in _norm(p.text)
        ]
        found += len(case.paragraphs) - len(missing)
        total += len(case.paragraphs)
        furniture += len(dirty)
        if verbose and (missing or dirty):
            print(f"  {case.name}: {len(missing)} missing, {len(dirty)} furniture")
            for text in missing[:3]:
                print(f"    missing: {text[:90]}")
            for f, text in dirty[:3]:
                print(f"    furniture {f[:40]!r} in: {text[:90]}")
    return found, total, furniture, cpu, len(cases)


def main() -> None:
    modules = sys.argv[1:] or ["word", "markdown", "html"]
    verbose = "-v" in modules
    modules = [m for m in modules if m != "-v"]
    print(
        f"{'format':10} {'files':>5} {'paragraphs':>10} {'word for word':>14} "
        f"{'furniture':>9} {'CPU s/file':>10}"
    )
    for module in modules:
        found, total, furniture, cpu, files = score(module, verbose=verbose)
        share = 100 * found / total if total else 0.0
        print(
            f"{module:10} {files:5} {total:10} {share:13.1f}% {furniture:9} "
            f"{cpu / max(files, 1):10.3f}"
        )


if __name__ == "__main__":
    main()
