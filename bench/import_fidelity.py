"""Import fidelity: files of known text through the app's real import path, compared with what
their author wrote.

Run with: .venv/bin/python bench/import_fidelity.py [--format pdf] [--worst 3]

Every module of bench/fidelity/ (pdf, word, markdown, html) makes a corpus of cases; each case
is read with readings.importing.read_document and split with split_text, as an upload is. Per
format it prints the share of the author's paragraphs reproduced word for word (a paragraph
counts when some body passage's text equals it, whitespace collapsed), the furniture found
inside passages (running heads, page numbers, footers, banners: none may be), the notes handed
on, and CPU seconds per page (PDF) or per file; then the worst cases with a hint of the diff.
Note calls (U+E000 n U+E001) are taken out of passages before comparing. The import runs
under the app's limits (readings/importing/limits.py), timed in CPU seconds.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import pkgutil
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # the corpora import `from fidelity import Case`

import fidelity  # noqa: E402
from fidelity import Case  # noqa: E402

from readings.importing import read_document, split_text  # noqa: E402
from readings.importing.limits import Budget  # noqa: E402

BODY_KINDS = ("paragraph", "list_item")
_CALL_RE = re.compile("\ue000[^\ue001]*\ue001")
FORMATS = {"pdf": "pdf", "word": "docx", "markdown": "md", "html": "html"}


def collapse(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Outcome:
    case: Case
    found: int = 0
    missing: list[str] = field(default_factory=list)
    furniture: list[tuple[str, str]] = field(default_factory=list)  # (furniture, passage)
    notes_found: int = 0
    seconds: float = 0.0
    passages: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def share(self) -> float:
        return self.found / len(self.case.paragraphs) if self.case.paragraphs else 1.0


def _budget() -> Budget:
    return Budget(clock=time.process_time)


def run_case(case: Case) -> Outcome:
    outcome = Outcome(case)
    started = time.process_time()
    try:
        # The app's limits, timed in CPU seconds: on a machine shared by several engineers the
        # wall clock measures the others' load, and a case refused for it would say nothing.
        raw = read_document(filename=case.filename, data=case.data, budget=_budget())
        result = split_text(raw.text, _budget())
    except Exception as error:  # reported per case: one failure does not hide the others
        outcome.error = f"{type(error).__name__}: {error}"
        outcome.missing = list(case.paragraphs)
        return outcome
    outcome.seconds = time.process_time() - started
    texts = [collapse(_CALL_RE.sub("", p.text)) for p in result.passages]
    body = {t for p, t in zip(result.passages, texts, strict=True) if p.kind in BODY_KINDS}
    outcome.passages = [t for p, t in zip(result.passages, texts, strict=True)]
    for paragraph in case.paragraphs:
        if collapse(paragraph) in body:
            outcome.found += 1
        else:
            outcome.missing.append(paragraph)
    for item in case.furniture:
        for text in texts:
            if item.casefold() in text.casefold():
                outcome.furniture.append((item, text))
    notes = [collapse(n) for n in getattr(raw, "notes", ())]
    outcome.notes_found = sum(1 for note in case.notes if collapse(note) in notes)
    return outcome


def diff_hint(expected: str, passages: list[str]) -> str:
    """The passage closest to the expected paragraph, and where they first differ."""
    best = max(
        passages,
        key=lambda p: difflib.SequenceMatcher(None, expected[:300], p[:300]).ratio(),
        default="",
    )
    matcher = difflib.SequenceMatcher(None, expected, best, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return (
                f"      expected …{expected[max(0, i1 - 40) : i2 + 40]!r}\n"
                f"      got      …{best[max(0, j1 - 40) : j2 + 40]!r}"
            )
    return f"      got a longer passage: {best[:120]!r}…"


def corpora(only: str | None) -> dict[str, list[Case]]:
    found: dict[str, list[Case]] = {}
    for module in pkgutil.iter_modules(fidelity.__path__):
        if only and module.name != only:
            continue
        corpus = importlib.import_module(f"fidelity.{module.name}")
        if hasattr(corpus, "cases"):  # prose.py makes text for the others; it is no corpus
            found[module.name] = corpus.cases()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--format", choices=sorted(FORMATS), help="run one format only")
    parser.add_argument("--worst", type=int, default=3, help="worst cases shown per format")
    args = parser.parse_args()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')} · {platform.processor() or platform.machine()} · "
        f"Python {platform.python_version()} · CPU seconds (time.process_time)"
    )
    failed = False
    for name, cases in corpora(args.format).items():
        outcomes = [run_case(case) for case in cases]
        paragraphs = sum(len(o.case.paragraphs) for o in outcomes)
        found = sum(o.found for o in outcomes)
        furniture = sum(len(o.furniture) for o in outcomes)
        notes = sum(len(o.case.notes) for o in outcomes)
        notes_found = sum(o.notes_found for o in outcomes)
        seconds = sum(o.seconds for o in outcomes)
        pages = sum(o.case.pages for o in outcomes)
        share = found / paragraphs if paragraphs else 1.0
        per = (
            f"{seconds / pages * 1000:.1f} ms/page ({pages} pages)"
            if pages
            else f"{seconds / len(outcomes) * 1000:.1f} ms/file"
        )
        print(
            f"\n{name}: {len(outcomes)} cases, {paragraphs} paragraphs, "
            f"{share:.1%} word for word, {furniture} furniture inside passages, "
            f"notes {notes_found}/{notes}, {per}"
        )
        for o in outcomes:
            pages_note = f", {o.case.pages} pages" if o.case.pages else ""
            print(
                f"  {o.case.name:<28} {o.found:>4}/{len(o.case.paragraphs):<4} "
                f"{o.share:6.1%}  furniture {len(o.furniture)}  "
                f"notes {o.notes_found}/{len(o.case.notes)}  {o.seconds:.3f} s{pages_note}"
                + (f"  ERROR {o.error}" if o.error else "")
            )
        worst = sorted(outcomes, key=lambda o: (o.share, -len(o.furniture)))[: args.worst]
        for o in worst:
            if o.share == 1.0 and not o.furniture:
                continue
            print(f"  worst: {o.case.name}")
            for paragraph in o.missing[:3]:
                print(diff_hint(collapse(paragraph), o.passages))
            for item, text in o.furniture[:3]:
                print(f"      furniture {item!r} in {text[:100]!r}")
        failed |= share < 0.98 or furniture > 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
