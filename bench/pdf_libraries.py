"""Which PDF library to read layouts with: pypdf, pdfplumber (pdfminer.six) and PyMuPDF on
the PDF corpus of bench/fidelity/pdf.py, each through the same splitter.

Run with: .venv/bin/python bench/pdf_libraries.py [--old-reader COMMIT]

- pypdf: the reader before issue 20 (text stream, lines reflowed), loaded from git at
  COMMIT (default: the commit before the layout reader).
- pdfplumber: its lines (text, box, each character's font and size) through the layout rules
  of readings/importing/readers/pdf/, in place of PyMuPDF's. Not a dependency of the
  app: install it beside (`pip install --target /tmp/pdfcmp pdfplumber==0.11.10`) and pass
  `--plumber-path /tmp/pdfcmp`.
- PyMuPDF: the app's reader.

Prints per library the share of paragraphs word for word, furniture inside passages and CPU
milliseconds per page (reading and splitting; time.process_time).
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fidelity import Case, pdf  # noqa: E402
from import_fidelity import _CALL_RE, BODY_KINDS, collapse  # noqa: E402

from readings.importing import split_text  # noqa: E402
from readings.importing.limits import Budget, Limits  # noqa: E402
from readings.importing.readers import pdf as reader  # noqa: E402
from readings.importing.readers.pdf import lines  # noqa: E402

Read = Callable[[bytes], str]


def score(cases: list[Case], read: Read) -> tuple[int, int, int, float, int]:
    found = total = furniture = pages = 0
    seconds = 0.0
    for case in cases:
        started = time.process_time()
        passages = split_text(read(case.data), _budget()).passages
        seconds += time.process_time() - started
        pages += case.pages
        texts = [collapse(_CALL_RE.sub("", p.text)) for p in passages]
        body = {t for p, t in zip(passages, texts, strict=True) if p.kind in BODY_KINDS}
        total += len(case.paragraphs)
        found += sum(1 for paragraph in case.paragraphs if collapse(paragraph) in body)
        furniture += sum(1 for f in case.furniture for t in texts if f.casefold() in t.casefold())
    return found, total, furniture, seconds, pages


def _budget() -> Budget:
    # A wall-time limit would measure the load of a shared machine, not the library.
    return Budget(Limits(seconds=600), what="The PDF")


def pymupdf_reader(data: bytes) -> str:
    return reader.read_pdf(data, _budget()).text


def old_reader(commit: str) -> Read:
    source = subprocess.run(
        ["git", "show", f"{commit}:readings/importing/readers/pdf.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "old_pdf_reader.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("old_pdf_reader", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return lambda data: str(module.read_pdf(data, _budget()).text)


def plumber_reader(data: bytes) -> str:
    import io

    import pdfplumber  # type: ignore[import-not-found]  # installed beside, if at all

    pages: list[lines.Page] = []
    with pdfplumber.open(io.BytesIO(data)) as document:
        for number, page in enumerate(document.pages, start=1):
            found_lines = []
            for found in page.extract_text_lines(return_chars=True, strip=True):
                chars: list[dict[str, Any]] = found["chars"]
                sizes = Counter(round(c["size"], 1) for c in chars if c["text"].strip())
                size = sizes.most_common(1)[0][0] if sizes else 0.0
                bold = sum("Bold" in c["fontname"] for c in chars) >= 0.8 * len(chars)
                italic = sum("Oblique" in c["fontname"] or "Italic" in c["fontname"] for c in chars)
                line = lines.Line(
                    number,
                    found["x0"],
                    found["top"],
                    found["x1"],
                    found["bottom"],
                    lines.plain(found["text"]),
                    size,
                    bold,
                )
                line.italic = italic >= 0.8 * len(chars)
                found_lines.append(line)
            pages.append(lines.Page(number, float(page.width), float(page.height), found_lines))
    text, _, _, _ = reader.arrange(pages, "en", _budget())
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old-reader", default="6a3a864", help="commit of the pypdf reader")
    parser.add_argument("--plumber-path", help="where pdfplumber is installed, if anywhere")
    args = parser.parse_args()
    if args.plumber_path:
        sys.path.append(args.plumber_path)
    cases = pdf.cases()
    readers: dict[str, Read] = {"pypdf (text stream, reflow)": old_reader(args.old_reader)}
    if importlib.util.find_spec("pdfplumber"):
        readers["pdfplumber + layout rules"] = plumber_reader
    readers["PyMuPDF + layout rules"] = pymupdf_reader
    print(f"{len(cases)} PDFs, {sum(c.pages for c in cases)} pages")
    print(f"{'library':<30} {'word for word':>14} {'furniture':>10} {'ms/page':>8}")
    for name, read in readers.items():
        read(cases[0].data)  # imports and word lists loaded outside the timing
        found, total, furniture, seconds, pages = score(cases, read)
        print(
            f"{name:<30} {found:>5}/{total} {found / total:6.1%} {furniture:>10} "
            f"{seconds / pages * 1000:8.1f}"
        )


if __name__ == "__main__":
    main()
