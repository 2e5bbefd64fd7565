from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from tests.jobs import kinds

TEST_KINDS = {
    name: f"tests.jobs.kinds.{name}_job"
    for name in ("counting", "refusing", "crashing", "writing", "cancelling", "slow")
}


@pytest.fixture(autouse=True)
def test_kinds(settings):
    settings.COUNTERPOINT_JOB_KINDS = {**django_settings.COUNTERPOINT_JOB_KINDS, **TEST_KINDS}
    kinds.SEEN.clear()
