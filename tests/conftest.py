from __future__ import annotations

import os

import pytest
from django.core.cache import caches
from django.test import Client

from tests.demo_seminar import LoadedDemo, demo_seminar_load
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # Real hashing is slow on purpose; tests create many users and check no password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_fragment_cache() -> None:
    # Rendered pages are cached under var/ (annotations/pagecache/fragments.py); each test starts
    # with none, as a freshly started server would.
    caches["fragments"].clear()


@pytest.fixture
def instructor(db):
    return UserFactory(username="ines")


@pytest.fixture
def outsider(db):
    return UserFactory(username="oscar")


@pytest.fixture
def instructor_client(instructor) -> Client:
    client = Client()
    client.force_login(instructor)
    return client


@pytest.fixture
def outsider_client(outsider) -> Client:
    client = Client()
    client.force_login(outsider)
    return client


@pytest.fixture
def htmx_headers() -> dict[str, str]:
    return {"HX-Request": "true"}


@pytest.fixture
def demo_loaded(db) -> LoadedDemo:
    """The demo seminar, as `manage.py load_demo` leaves it in an empty database (loaded for real
    once per process, then written back: tests/demo_seminar.py)."""
    return demo_seminar_load()


# The fixtures through which a test reaches the database (pytest-django's, and live_server, whose
# server thread uses it). A test that requests none of them, directly or through other fixtures,
# and has no django_db mark cannot open a connection: pytest-django refuses it.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def uses_the_database(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or not DATABASE_FIXTURES.isdisjoint(
        fixtures
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With COUNTERPOINT_TESTS_DATABASE_ONLY=1, keep only the tests that use the database.

    bin/test runs the whole suite on SQLite, then sets it for the run on PostgreSQL: a test that
    touches no database (the importers, the writers, the pure rules) runs the same code on both,
    so running it twice proves nothing more and costs a quarter of the suite's time.
    """
    if os.environ.get("COUNTERPOINT_TESTS_DATABASE_ONLY") != "1":
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        (kept if uses_the_database(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
