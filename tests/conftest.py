from __future__ import annotations

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
