from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
ESSAY = "000_a17425f6cf8feec9.txt"
ANALYSIS = "002_6e288ea93e9d4255.txt"


def seeds_dir() -> Path:
    return Path(os.environ.get("COUNTERPOINT_SEEDS_DIR", REPO_ROOT.parent / "shared" / "seeds"))


def read_seed(name: str) -> str:
    path = seeds_dir() / name
    if not path.is_file():
        # Fail, not skip: the acceptance tests are the point of these files.
        pytest.fail(
            f"Seed text {name} not found in {path.parent}. Set COUNTERPOINT_SEEDS_DIR to the "
            "directory that holds the seed texts (see corpus.toml there).",
            pytrace=False,
        )
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def essay_raw() -> str:
    return read_seed(ESSAY)


@pytest.fixture(scope="session")
def analysis_raw() -> str:
    return read_seed(ANALYSIS)
