"""pytest plugin: the CPU time of each test and of each shared fixture, per process.

Load it with `-p bench.suite_cpu` (from the project root, with PYTHONPATH=.) and set
COUNTERPOINT_SUITE_CPU to a folder: each pytest process (the controller and every xdist
worker) writes one JSON file there at its end. `python bench/suite_cpu_report.py FOLDER`
sums them. CPU is the process's own user + system time (os.times(), threads included, so
the live server's requests count with the test that made them); the children's part (Chromium,
gunicorn) is read when they have been waited for, so it lands at the end of the process,
not on a test. Wall time on this shared machine says little; CPU time is what a test costs.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def _children_cpu() -> float:
    t = os.times()
    return t.children_user + t.children_system


_started = (_cpu(), time.perf_counter())
_tests: dict[str, list[float]] = {}
_fixtures: dict[str, list[float]] = {}
_first_test: list[float] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    if not _first_test:
        _first_test.extend([_cpu(), time.perf_counter()])
    cpu, wall = _cpu(), time.perf_counter()
    yield
    _tests[item.nodeid] = [_cpu() - cpu, time.perf_counter() - wall]


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: Any, request: Any) -> Iterator[None]:
    if fixturedef.scope == "function":
        yield
        return
    cpu, wall = _cpu(), time.perf_counter()
    yield
    key = f"{fixturedef.scope}:{fixturedef.argname}"
    spent = _fixtures.setdefault(key, [0.0, 0.0, 0])
    spent[0] += _cpu() - cpu
    spent[1] += time.perf_counter() - wall
    spent[2] += 1


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    # An xdist worker may be stopped before its unconfigure hooks run.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _write()


def pytest_unconfigure(config: pytest.Config) -> None:
    # The controller (or a run without xdist): after its workers have been waited for.
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        _write()


def _write() -> None:
    folder = os.environ.get("COUNTERPOINT_SUITE_CPU")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    name = os.environ.get("PYTEST_XDIST_WORKER", "controller")
    report = {
        "process": name,
        "cpu": _cpu() - _started[0],
        "children_cpu": _children_cpu(),
        "wall": time.perf_counter() - _started[1],
        "start_cpu": (_first_test[0] - _started[0]) if _first_test else None,
        "start_wall": (_first_test[1] - _started[1]) if _first_test else None,
        "tests": _tests,
        "fixtures": _fixtures,
    }
    (Path(folder) / f"{name}-{os.getpid()}.json").write_text(json.dumps(report, indent=0))
