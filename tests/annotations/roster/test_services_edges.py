"""The roster's writers at their edges: a lost race for a student's set, usernames already
taken, who may not be given a set-password link or a new role, where a teacher arrives."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from annotations.models import AnnotationSet
from annotations.roster.rosterfile import RosterRow
from annotations.roster.services import (
    arrival_url,
    may_set_password_of,
    member_role_set,
    roster_import,
    student_set_ensure,
)
from readings.models import Membership
from tests.factories import SeminarFactory, UserFactory, seminar_world

pytestmark = pytest.mark.django_db


def test_a_second_click_that_loses_the_race_gets_the_set_the_first_made(monkeypatch) -> None:
    world = seminar_world()
    membership = Membership.objects.get(seminar=world.seminar, user=world.student)
    own = student_set_ensure(membership=membership)
    assert own is not None
    # As if the other request had not committed yet when this one looked: it tries to create
    # a second student set, the database refuses, and the one set is returned.
    monkeypatch.setattr(QuerySet, "first", lambda self: None)
    again = student_set_ensure(membership=membership)
    assert again == own
    assert (
        AnnotationSet.objects.filter(
            seminar=world.seminar, owner=world.student, kind=own.kind
        ).count()
        == 1
    )


def test_roster_rows_with_taken_usernames() -> None:
    world = seminar_world()
    UserFactory(username="ada", email="ada@old.example")
    rows = (
        # The username belongs to someone else's address: nobody is added for the line.
        RosterRow(line=2, name="Ada Lovelace", email="ada@new.example", username="ada"),
        # No username given, and the address's name is taken: the next free one.
        RosterRow(line=3, name="Sam Other", email="sam@school.example"),
        RosterRow(line=4, name="Bea Fresh", email="bea@school.example", username="bea"),
    )
    report = roster_import(seminar=world.seminar, rows=rows)
    assert report.problems == [
        "Line 2: the username ada belongs to another address than ada@new.example; nobody "
        "was added for this line."
    ]
    assert sorted(u.username for u in report.created) == ["bea", "sam2"]  # "sam" is taken
    assert {u.username for u in report.added} == {"bea", "sam2"}


def test_no_link_for_oneself_or_a_staff_account() -> None:
    world = seminar_world()
    staff = UserFactory(username="root", is_staff=True)
    Membership.objects.create(seminar=world.seminar, user=staff, role=Membership.Role.STUDENT)
    assert may_set_password_of(user=world.instructor, by=world.instructor) is False
    assert may_set_password_of(user=staff, by=world.instructor) is False
    assert may_set_password_of(user=world.student, by=world.instructor) is True


def test_who_may_change_a_role_and_to_what() -> None:
    world = seminar_world()
    student = Membership.objects.get(seminar=world.seminar, user=world.student)
    teacher = Membership.objects.get(seminar=world.seminar, user=world.instructor)
    with pytest.raises(PermissionDenied, match="a student or a teaching assistant"):
        member_role_set(membership=student, role="instructor", by=world.instructor)
    with pytest.raises(PermissionDenied, match="Only an instructor"):
        member_role_set(membership=student, role="assistant", by=world.other_student)
    with pytest.raises(PermissionDenied, match="not changed here"):
        member_role_set(membership=teacher, role="student", by=world.instructor)
    member_role_set(membership=student, role="assistant", by=world.instructor)
    student.refresh_from_db()
    assert student.role == "assistant"


def test_a_teacher_and_a_seminar_without_readings_arrive_on_the_seminar_page() -> None:
    world = seminar_world()
    teacher = Membership.objects.get(seminar=world.seminar, user=world.instructor)
    assert arrival_url(teacher) == f"/seminars/{world.seminar.pk}/"
    empty = SeminarFactory(title="Nothing yet", created_by=world.instructor)
    member = Membership.objects.create(seminar=empty, user=world.outsider)
    assert arrival_url(member) == f"/seminars/{empty.pk}/"
