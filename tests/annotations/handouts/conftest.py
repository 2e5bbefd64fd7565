from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from annotations.demo.load import demo_read
from readings.models import Seminar
from tests.demo_seminar import LoadedDemo

CONTENT = demo_read()


@pytest.fixture
def demo(demo_loaded: LoadedDemo) -> Seminar:
    return demo_loaded.seminar


@pytest.fixture
def demo_instructor(demo) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=CONTENT.instructor.username))
    return client


@pytest.fixture(autouse=True)
def quiet_weasyprint() -> Iterator[None]:
    # WeasyPrint logs a line per page at INFO; the suite's output should show failures only.
    progress = logging.getLogger("weasyprint.progress")
    level = progress.level
    progress.setLevel(logging.WARNING)
    yield
    progress.setLevel(level)
