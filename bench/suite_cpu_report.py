"""Sum what bench/suite_cpu.py wrote: `python bench/suite_cpu_report.py FOLDER [--top N]`.

Prints each process's CPU (own and its waited-for children's), the start-up before its first
test, the slowest tests and shared fixtures by CPU, and with `--compare OTHER` the same tests'
CPU in another run (the before of a change) beside them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def load(folder: Path) -> list[dict[str, Any]]:
    reports = [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]
    return [r for r in reports if isinstance(r, dict) and "process" in r]


def tests_of(reports: list[dict[str, Any]]) -> dict[str, list[float]]:
    tests: dict[str, list[float]] = {}
    for report in reports:
        tests.update(report["tests"])
    return tests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--match", default="", help="only tests whose node id holds this")
    args = parser.parse_args()
    reports = load(args.folder)
    before = tests_of(load(args.compare)) if args.compare else {}
    # The controller's children are its xdist workers: its own CPU and theirs is the whole run.
    top = [r for r in reports if r["process"] == "controller"] or reports
    total = sum(r["cpu"] + r["children_cpu"] for r in top)
    print("process      CPU s  children s  wall s  start CPU s  start wall s  tests")
    for r in reports:
        start_cpu = r["start_cpu"] if r["start_cpu"] is not None else float("nan")
        start_wall = r["start_wall"] if r["start_wall"] is not None else float("nan")
        print(
            f"{r['process']:<11} {r['cpu']:6.1f} {r['children_cpu']:11.1f} {r['wall']:7.1f}"
            f" {start_cpu:12.1f} {start_wall:13.1f} {len(r['tests']):6d}"
        )
    tests = tests_of(reports)
    in_tests = sum(cpu for cpu, _ in tests.values())
    print(
        f"total CPU (own + children) {total:.1f} s; in tests {in_tests:.1f} s; {len(tests)} tests"
    )
    fixtures: dict[str, list[float]] = {}
    for r in reports:
        for key, (cpu, wall, n) in r["fixtures"].items():
            spent = fixtures.setdefault(key, [0.0, 0.0, 0])
            spent[0] += cpu
            spent[1] += wall
            spent[2] += n
    print("\nshared fixtures (CPU s, wall s, set-ups), all processes:")
    for key, (cpu, wall, n) in sorted(fixtures.items(), key=lambda kv: -kv[1][0])[:15]:
        print(f"  {cpu:7.2f} {wall:7.2f} {int(n):4d}  {key}")
    print(f"\nslowest {args.top} tests by CPU (CPU s, wall s{', CPU s before' if before else ''}):")
    chosen = [(k, v) for k, v in tests.items() if args.match in k]
    for nodeid, (cpu, wall) in sorted(chosen, key=lambda kv: -kv[1][0])[: args.top]:
        old = f" {before[nodeid][0]:7.2f}" if nodeid in before else ("       -" if before else "")
        print(f"  {cpu:7.2f} {wall:7.2f}{old}  {nodeid}")
    if args.match:
        print(f"matching: {len(chosen)} tests, {sum(v[0] for _, v in chosen):.1f} s CPU")


if __name__ == "__main__":
    main()
