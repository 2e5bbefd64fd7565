"""bin/test's PostgreSQL run keeps only the tests that use the database (tests/conftest.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests import conftest


class Item(SimpleNamespace):
    def get_closest_marker(self, name: str) -> object | None:
        return object() if name in self.marks else None


def item(name: str, *fixtures: str, marks: tuple[str, ...] = ()) -> Item:
    return Item(name=name, fixturenames=["settings", *fixtures], marks=marks)


ITEMS = [
    item("pure"),
    item("with_db", "instructor", "db"),
    item("transactional", "transactional_db"),
    item("browser", "page", "live_server"),
    item("marked", marks=("django_db",)),
    item("only_settings", "htmx_headers"),
]


def run_hook(monkeypatch: pytest.MonkeyPatch, value: str | None) -> tuple[list[str], list[str]]:
    if value is None:
        monkeypatch.delenv("COUNTERPOINT_TESTS_DATABASE_ONLY", raising=False)
    else:
        monkeypatch.setenv("COUNTERPOINT_TESTS_DATABASE_ONLY", value)
    deselected: list[str] = []
    config = SimpleNamespace(
        hook=SimpleNamespace(
            pytest_deselected=lambda items: deselected.extend(i.name for i in items)
        )
    )
    items = list(ITEMS)
    conftest.pytest_collection_modifyitems(config, items)  # type: ignore[arg-type]  # duck-typed
    return [i.name for i in items], deselected


def test_the_database_run_keeps_every_test_that_reaches_the_database(monkeypatch) -> None:
    kept, deselected = run_hook(monkeypatch, "1")
    assert kept == ["with_db", "transactional", "browser", "marked"]
    assert deselected == ["pure", "only_settings"]


@pytest.mark.parametrize("value", [None, "0", ""])
def test_every_test_runs_unless_asked(monkeypatch, value) -> None:
    kept, deselected = run_hook(monkeypatch, value)
    assert kept == [i.name for i in ITEMS]
    assert deselected == []
