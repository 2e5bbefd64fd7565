"""The contributor docs name only files and folders that exist, so they cannot drift silently."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ["docs/architecture.md", "CONTRIBUTING.md"]
# `readings/models.py`, `templates/`, `bin/coverage-check`, `pyproject.toml`: a path with a
# slash, or a file name with an extension. Templates such as `tests/<app>/` have a "<" and are
# left out, and so are URLs ("/seminars/..."), which start with a slash.
PATH = re.compile(r"[A-Za-z_.][\w.-]*(?:/[\w.-]+)*/?")
FILE = re.compile(r".+\.(?:py|md|html|css|js|toml|yaml|yml|json|txt|sh)")


def named_paths(markdown: str) -> list[str]:
    paths = []
    for code in re.findall(r"`([^`\n]+)`", markdown):
        if not PATH.fullmatch(code) or code.startswith("../"):  # ../shared: outside this repo
            continue
        if code.startswith("var/"):  # made by the running app (caches, keys), not in a clone
            continue
        if "/" in code or FILE.fullmatch(code):
            paths.append(code)
    return paths


def test_named_paths_are_recognised() -> None:
    text = (
        "`readings/models.py`, `templates/`, `CONTRIBUTING.md`, `tests/<app>/x.py`, `0/0`, `/a/`, "
        "`var/fragments/`"
    )
    assert named_paths(text) == ["readings/models.py", "templates/", "CONTRIBUTING.md"]


@pytest.mark.parametrize("doc", DOCS)
def test_every_path_the_doc_names_exists(doc: str) -> None:
    paths = named_paths((ROOT / doc).read_text(encoding="utf-8"))
    assert len(paths) > 10, f"{doc} names almost no paths: is the pattern still right?"
    missing = sorted({path for path in paths if not (ROOT / path).exists()})
    assert missing == [], f"{doc} names paths that do not exist: {missing}"
