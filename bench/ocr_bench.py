"""OCR of scanned readings (issue 22): pages of known text, scanned, read back by the import.

Run with: nice -n 10 .venv/bin/python bench/ocr_bench.py [--dpi 300 200] [--pages 10]

The seed readings (../shared/seeds/ beside the project, COUNTERPOINT_SEEDS_DIR, or --seeds DIR)
are typeset with WeasyPrint as a journal sets them (justified, hyphenated, a running head and
page numbers), exactly enough paragraphs to fill --pages pages. Each page is rendered to a grey
image at each dpi, as a scanner would give it: every other page turned by 0.5-1 degree, every
third one speckled with noise, all slightly blurred, saved as JPEG (quality 75). The images make
one image-only PDF per dpi (no text layer), which goes through `read_document` as an upload
does. Printed per dpi: the word error rate against the typeset words (word-level edit distance
over the whole text, running heads and page numbers not counted as text) and seconds per page
(wall clock and CPU, Tesseract included)."""

from __future__ import annotations

import argparse
import difflib
import io
import os
import platform
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pymupdf  # noqa: E402
from PIL import Image, ImageFilter  # noqa: E402

SEEDS = Path(os.environ.get("COUNTERPOINT_SEEDS_DIR", ROOT.parent / "shared" / "seeds"))
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$])")
_WORD_RE = re.compile(r"\S+")
CSS = """
@page { size: A4; margin: 25mm 24mm 27mm;
  @top-center { content: "CHINA, RUSSIA AND THE WEST"; font: 8pt 'DejaVu Sans';
                letter-spacing: 0.1em }
  @bottom-center { content: counter(page); font: 9pt 'DejaVu Serif' } }
@page :first { @top-center { content: none } }
html { font: 11pt/1.4 'DejaVu Serif' }
body { text-align: justify; hyphens: auto }
h1 { font: bold 20pt/1.2 'DejaVu Sans'; text-align: left; hyphens: manual; margin: 0 0 14pt }
p { margin: 0; text-indent: 1.5em }
h1 + p { text-indent: 0 }
"""


def seed_paragraphs(seeds: Path) -> list[str]:
    """The seeds' body paragraphs (30 words or more), Markdown escapes and emphasis taken out,
    each once (the seeds repeat pull quotes and heads)."""
    seen: set[str] = set()
    paragraphs: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        for chunk in path.read_text(encoding="utf-8").split("\n\n"):
            text = " ".join(_ESCAPE_RE.sub(r"\1", chunk).replace("*", "").split())
            if len(text.split()) >= 30 and text not in seen and not text.startswith("-"):
                seen.add(text)
                paragraphs.append(text)
    return paragraphs


def _html(title: str, paragraphs: list[str]) -> str:
    from html import escape

    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><style>{CSS}</style>'
        f"</head><body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def typeset(pages: int, seeds: Path) -> tuple[bytes, str]:
    """A PDF of exactly `pages` pages (the last one partly filled) and the words it holds."""
    from weasyprint import HTML

    title = "China and Russia Will Not Be Split"
    paragraphs = seed_paragraphs(seeds)
    low, high = 1, len(paragraphs)
    while low < high:  # the most paragraphs that still fit
        middle = (low + high + 1) // 2
        count = len(HTML(string=_html(title, paragraphs[:middle])).render().pages)
        low, high = (middle, high) if count <= pages else (low, middle - 1)
    chosen = paragraphs[:low]
    pdf = HTML(string=_html(title, chosen)).write_pdf()
    return pdf, " ".join([title, *chosen])


def scan(pdf: bytes, dpi: int, seed: int = 22) -> bytes:
    """The PDF's pages as a scanner gives them, in an image-only PDF of the same page size."""
    rng = random.Random(seed)
    source = pymupdf.open(stream=pdf, filetype="pdf")
    scanned = pymupdf.open()
    for number in range(1, source.page_count + 1):
        page = source[number - 1]
        pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
        image = Image.open(io.BytesIO(pixmap.tobytes("png"))).convert("L")
        if number % 2 == 0:  # set crooked on the glass
            angle = rng.choice((0.5, -0.6, 0.75, -0.9, 1.0))
            image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
        if number % 3 == 0:  # dust and toner specks
            pixels = image.load()
            assert pixels is not None
            for _ in range(image.width * image.height // 2000):
                x, y = rng.randrange(image.width), rng.randrange(image.height)
                pixels[x, y] = rng.choice((0, 60, 200))
        image = image.filter(ImageFilter.GaussianBlur(0.6))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=75)  # as scanners save grey pages
        target = scanned.new_page(width=page.rect.width, height=page.rect.height)
        target.insert_image(target.rect, stream=buffer.getvalue())
    data = scanned.tobytes(garbage=3, deflate=True)
    return bytes(data)


def word_errors(reference: list[str], found: list[str]) -> int:
    """Word-level edit distance: difflib aligns, and each unequal stretch costs its exact
    edit distance (a full dynamic programme over 4,000 words would take a minute in Python)."""
    errors = 0
    matcher = difflib.SequenceMatcher(a=reference, b=found, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a, b = reference[a0:a1], found[b0:b1]
        row = list(range(len(b) + 1))
        for i, word in enumerate(a, start=1):
            previous, row[0] = row[0], i
            for j, other in enumerate(b, start=1):
                previous, row[j] = (
                    row[j],
                    min(row[j] + 1, row[j - 1] + 1, previous + (word != other)),
                )
        errors += row[-1]
    return errors


def words(text: str) -> list[str]:
    """Words as they are compared: light Markdown escapes and note calls out, quotes and
    dashes as typed."""
    text = re.sub("\ue000[^\ue001]*\ue001", "", text)
    text = _ESCAPE_RE.sub(r"\1", text).replace("# ", " ")
    for fancy, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("—", "-"), ("–", "-")):
        text = text.replace(fancy, plain)
    return _WORD_RE.findall(text)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dpi", type=int, nargs="+", default=[300, 200])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--keep", type=Path, help="write the scanned PDFs into this folder")
    parser.add_argument(
        "--layout",
        action="store_true",
        help="also scan the PDF corpus of bench/fidelity/pdf.py (two columns, footnotes, pull "
        "quotes) at 300 dpi and count its paragraphs read word for word, as import_fidelity does",
    )
    arguments = parser.parse_args()

    from readings.importing import read_document
    from readings.importing.limits import Budget
    from readings.importing.readers.ocr.engine import engine

    pdf, known = typeset(arguments.pages, arguments.seeds)
    reference = words(known)
    print(
        f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {engine()}, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"{arguments.pages} pages, {len(reference):,} words typeset")
    print("| dpi | pages | words read | WER | s/page (wall) | s/page (CPU) | PDF MB |")
    print("|--:|--:|--:|--:|--:|--:|--:|")
    for dpi in arguments.dpi:
        scanned = scan(pdf, dpi)
        if arguments.keep:
            arguments.keep.mkdir(parents=True, exist_ok=True)
            (arguments.keep / f"scan-{dpi}.pdf").write_bytes(scanned)
        done: list[int] = []
        wall, cpu = time.monotonic(), _cpu()
        raw = read_document(
            filename=f"scan-{dpi}.pdf",
            data=scanned,
            max_bytes=200 * 1024 * 1024,
            budget=Budget(),
            progress=lambda n, total, done=done: done.append(n),  # type: ignore[misc]
        )
        wall, cpu = time.monotonic() - wall, _cpu() - cpu
        found = words(raw.text)
        errors = word_errors(reference, found)
        pages = max(done) if done else arguments.pages
        print(
            f"| {dpi} | {pages} | {len(found):,} | {100 * errors / len(reference):.2f} % "
            f"| {wall / pages:.2f} | {cpu / pages:.2f} | {len(scanned) / 1e6:.1f} |"
        )
        for warning in raw.warnings:
            print(f"  warning: {warning}")
    if arguments.layout:
        layout()


def layout() -> None:
    """The PDF fidelity corpus, scanned: the layout rules on OCR'd lines."""
    from dataclasses import replace

    sys.path.insert(0, str(ROOT / "bench"))
    import import_fidelity
    from fidelity import pdf as corpus

    print()
    print("| case | pages | paragraphs word for word | furniture in passages | notes | WER |")
    print("|---|--:|--:|--:|--:|--:|")
    for case in corpus.cases():
        if case.pages > 12:  # 30 scanned pages are 28 MB, over the upload limit of 10 MB
            continue
        outcome = import_fidelity.run_case(replace(case, data=scan(case.data, 300)))
        typed = words(" ".join(case.paragraphs))
        body = words(" ".join(outcome.passages))
        # Passages hold headings and pull quotes too: errors counted against the paragraphs
        # are the words of the paragraphs missing or changed, not the extra ones.
        matcher = difflib.SequenceMatcher(a=typed, b=body, autojunk=False)
        kept = sum(block.size for block in matcher.get_matching_blocks())
        print(
            f"| {case.name} | {case.pages} | {outcome.found}/{len(case.paragraphs)} "
            f"| {len(outcome.furniture)} | {outcome.notes_found}/{len(case.notes)} "
            f"| {100 * (len(typed) - kept) / max(len(typed), 1):.2f} % |"
            + (f" {outcome.error}" if outcome.error else "")
        )


if __name__ == "__main__":
    main()
