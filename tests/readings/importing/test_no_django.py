"""The importing package stays plain Python, so it can be tested and fuzzed without Django."""

from __future__ import annotations

import ast
from pathlib import Path

import readings.importing

PACKAGE = Path(readings.importing.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_module_imports_django() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 10
    for module in modules:
        django = {m for m in imported_modules(module) if m.split(".")[0] == "django"}
        assert not django, f"{module.relative_to(PACKAGE)} imports {django}"
