"""Joining twice at once (a double click, two tabs) on PostgreSQL: one membership, one set.

Real threads release together (tests/security/test_concurrency.py's `at_once`); on SQLite the
one writer at a time makes this trivially true, so it runs on PostgreSQL only.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from annotations.models import AnnotationSet
from annotations.roster.services import member_add
from readings.models import Membership
from tests.factories import UserFactory, seminar_world
from tests.security.test_concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: run on PostgreSQL (bin/test does, after SQLite)",
    ),
]


def test_a_double_click_on_join_makes_one_membership_and_one_set() -> None:
    world = seminar_world()
    newcomer = UserFactory(username="nia")

    def join(n: int) -> int:
        client = Client()
        client.force_login(newcomer)
        return client.post("/join/", {"code": world.seminar.join_code}).status_code

    results = at_once(join, 8)
    assert results == [302] * 8, results
    assert Membership.objects.filter(seminar=world.seminar, user=newcomer).count() == 1
    sets = AnnotationSet.objects.filter(seminar=world.seminar, owner=newcomer)
    assert [s.kind for s in sets] == ["student"]


def test_joining_while_the_instructor_adds_the_same_person_makes_one_set() -> None:
    world = seminar_world()
    newcomer = UserFactory(username="nia")

    def arrive(n: int) -> object:
        if n % 2:
            return member_add(seminar=world.seminar, user=newcomer)
        client = Client()
        client.force_login(newcomer)
        return client.post("/join/", {"code": world.seminar.join_code}).status_code

    results = at_once(arrive, 8)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert AnnotationSet.objects.filter(seminar=world.seminar, owner=newcomer).count() == 1
