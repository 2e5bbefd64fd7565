"""A due date per reading: set by those who teach, shown to students on the seminar page."""

from __future__ import annotations

import datetime

import pytest

from readings.models import Membership, SeminarReading
from tests.clients import HTMX, client_for
from tests.factories import MembershipFactory, SeminarWorld, UserFactory, seminar_world

pytestmark = pytest.mark.django_db


def _first(world: SeminarWorld) -> SeminarReading:
    reading = world.seminar.seminar_readings.order_by("position").first()
    assert reading is not None
    return reading


def test_the_instructor_sets_a_due_date_and_students_see_it() -> None:
    world = seminar_world()
    reading = _first(world)
    url = f"/seminars/{world.seminar.pk}/readings/{reading.pk}/due/"
    response = client_for(world.instructor).post(url, {"due_date": "2026-03-14"}, follow=True)
    assert "“First Reading” is due Saturday 14 March 2026." in response.content.decode()
    reading.refresh_from_db()
    assert reading.due_date == datetime.date(2026, 3, 14)
    page = client_for(world.student).get(world.seminar.get_absolute_url()).content.decode()
    assert '<time datetime="2026-03-14">Saturday 14 March</time>' in page
    # A student's reading titles open their own set, ready to tag.
    assert f"/sets/{world.student_set.pk}/read/{reading.document_id}/" in page
    assert 'name="due_date"' not in page


def test_with_htmx_the_readings_panel_comes_back_and_an_empty_date_clears_it() -> None:
    world = seminar_world()
    reading = _first(world)
    SeminarReading.objects.filter(pk=reading.pk).update(due_date=datetime.date(2026, 3, 14))
    response = client_for(world.instructor).post(
        f"/seminars/{world.seminar.pk}/readings/{reading.pk}/due/", {"due_date": ""}, headers=HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="readings"') and "has no due date now" in page
    reading.refresh_from_db()
    assert reading.due_date is None


@pytest.mark.parametrize("value", ["14/03/2026", "2026-02-30", "x" * 5000, "2026-03-14\x00"])
def test_a_bad_date_says_so_and_changes_nothing(value: str) -> None:
    world = seminar_world()
    reading = _first(world)
    response = client_for(world.instructor).post(
        f"/seminars/{world.seminar.pk}/readings/{reading.pk}/due/", {"due_date": value}, follow=True
    )
    assert response.status_code == 200
    assert "give the date as year-month-day" in response.content.decode()
    reading.refresh_from_db()
    assert reading.due_date is None


def test_students_and_outsiders_cannot_set_due_dates_and_an_assistant_can() -> None:
    world = seminar_world()
    reading = _first(world)
    url = f"/seminars/{world.seminar.pk}/readings/{reading.pk}/due/"
    assert client_for(world.student).post(url, {"due_date": "2026-03-14"}).status_code == 403
    assert client_for(world.outsider).post(url, {"due_date": "2026-03-14"}).status_code == 404
    reading.refresh_from_db()
    assert reading.due_date is None
    tess = UserFactory(username="tess")
    MembershipFactory(seminar=world.seminar, user=tess, role=Membership.Role.ASSISTANT)
    assert client_for(tess).post(url, {"due_date": "2026-03-14"}).status_code == 302
    reading.refresh_from_db()
    assert reading.due_date == datetime.date(2026, 3, 14)
