"""Compare over all sets counts people, not sets: a person with two sets counts once.

comparison_gather() counts people by set when every set has its own owner (no join, issue 11)
and by owner otherwise; both must give the same figures.
"""

from __future__ import annotations

import pytest

from annotations.models import AnnotationSet
from annotations.services import annotation_set_create
from tests.annotations.pages import body, column_texts, compare_url, tag
from tests.clients import client_for
from tests.factories import seminar_world

pytestmark = pytest.mark.django_db


def test_a_person_with_two_sets_counts_once_over_all_sets() -> None:
    world = seminar_world()
    trade = world.themes[0]
    first, second, _ = body(world, 0)
    again = annotation_set_create(
        seminar=world.seminar, owner=world.student, title="Sam again", kind="reference"
    )
    for annotation_set in (world.student_set, again, world.other_student_set):
        tag(annotation_set, trade, first, stance="supports")
    tag(world.student_set, trade, second)
    tag(again, trade, second)
    client = client_for(world.instructor)

    everyone = column_texts(client.get(compare_url(world, query="?source=all")))[0]
    assert "2 of 3 people tagged it · Supports 3" in everyone
    assert "1 of 3 people tagged it" in everyone
    # Sam's two sets are one person: ¶ 2 does not reach a threshold of two people.
    response = client.get(compare_url(world, query="?source=all&min=2"))
    assert response.status_code == 200
    two = column_texts(response)[0]
    assert "¶ 1" in two and "¶ 2" not in two
    assert AnnotationSet.objects.filter(owner=world.student).count() == 2


def test_people_are_counted_the_same_when_every_set_has_its_own_owner() -> None:
    world = seminar_world()
    trade = world.themes[0]
    first, _, _ = body(world, 0)
    for annotation_set in (world.key, world.student_set, world.other_student_set):
        tag(annotation_set, trade, first, stance="opposes")
    everyone = column_texts(
        client_for(world.instructor).get(compare_url(world, query="?source=all&min=3"))
    )[0]
    assert "3 of 3 people tagged it · Opposes 3" in everyone
