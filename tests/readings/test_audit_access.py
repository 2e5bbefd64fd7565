"""`manage.py audit_access`: what issue 19's fixes cannot undo by themselves.

Links made before only owners could add readings (a student's own seminar holding the
instructor's reading), and seminars left without an instructor by the old removal race, are
still in a database that ran the old code. The command lists them for a person to decide.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from readings.models import Membership
from readings.services import seminar_create
from tests.factories import (
    DocumentFactory,
    MembershipFactory,
    SeminarFactory,
    SeminarReadingFactory,
    UserFactory,
    seminar_world,
)

pytestmark = pytest.mark.django_db


def _audit() -> str:
    out = StringIO()
    call_command("audit_access", stdout=out)
    return out.getvalue()


def test_a_clean_database_has_nothing_to_report() -> None:
    seminar_world()
    report = _audit()
    assert "Readings in a seminar their owner is not a member of: none." in report
    assert "Seminars without an instructor: none." in report


def test_readings_linked_where_their_owner_is_not_a_member_are_listed() -> None:
    world = seminar_world()
    own = seminar_create(title="Sam's own seminar", instructor=world.student)
    # What the old add allowed: the instructor's reading in the student's seminar.
    SeminarReadingFactory(seminar=own, document=world.documents[0])
    report = _audit()
    assert "Readings in a seminar their owner is not a member of: 1." in report
    assert f"“First Reading” (document {world.documents[0].pk}, owner ines)" in report
    assert f"in “Sam's own seminar” (seminar {own.pk}, instructors sam)" in report


def test_seminars_without_an_instructor_are_listed() -> None:
    orphaned = SeminarFactory(title="Nobody runs this")
    MembershipFactory(seminar=orphaned, user=UserFactory(username="sol"))
    SeminarReadingFactory(
        seminar=orphaned, document=DocumentFactory(owner=UserFactory(username="eve"))
    )
    fine = SeminarFactory(title="Run by Ann")
    MembershipFactory(
        seminar=fine, user=UserFactory(username="ann"), role=Membership.Role.INSTRUCTOR
    )
    report = _audit()
    assert "Seminars without an instructor: 1." in report
    assert f"“Nobody runs this” (seminar {orphaned.pk}, 1 member)" in report
    assert "Run by Ann" not in report
