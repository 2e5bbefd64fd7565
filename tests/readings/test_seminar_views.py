from __future__ import annotations

import pytest

from annotations.models import AnnotationSet
from readings.models import Membership, PendingImport, Seminar, SeminarReading
from readings.services import pending_import_create
from tests.clients import HTMX, client_for
from tests.factories import DocumentFactory, UserFactory, seminar_world
from tests.readings.preview import preview_and_save

pytestmark = pytest.mark.django_db


def test_creating_a_seminar_makes_its_creator_the_instructor_with_joining_open() -> None:
    ines = UserFactory(username="ines")
    response = client_for(ines).post(
        "/seminars/new/", {"title": "Reading Power", "term": "Spring 2026", "description": ""}
    )
    seminar = Seminar.objects.get()
    assert response.status_code == 302 and response["Location"] == seminar.get_absolute_url()
    assert seminar.memberships.get().role == Membership.Role.INSTRUCTOR
    assert seminar.join_code and len(seminar.join_code) == 8


def test_a_seminar_needs_a_title() -> None:
    response = client_for(UserFactory()).post("/seminars/new/", {"title": "   "})
    assert response.status_code == 200
    assert "Give the seminar a title." in response.content.decode()
    assert Seminar.objects.count() == 0


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_instructor_sees_readings_in_order_with_invite_and_members(headers) -> None:
    world = seminar_world()
    response = client_for(world.instructor).get(world.seminar.get_absolute_url(), headers=headers)
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("First Reading") < text.index("Second Reading")
    assert "Move down" in text
    if headers:
        assert "<html" not in text and 'id="readings"' in text
    else:
        assert world.seminar.join_code and world.seminar.join_code in text
        assert "sam" in text and "tara" in text  # the members


def test_student_sees_the_seminar_without_instructor_controls() -> None:
    world = seminar_world()
    response = client_for(world.student).get(world.seminar.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert "First Reading" in text
    assert world.seminar.join_code and world.seminar.join_code not in text
    assert "Move down" not in text and "Remove" not in text


def test_student_sees_only_the_sets_open_to_them() -> None:
    world = seminar_world()
    response = client_for(world.student).get(world.seminar.get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert "Sam&#x27;s reading" in text or "Sam's reading" in text
    assert "Tara" not in text  # blind, not revealed
    assert ">Key<" not in text  # the key is blind until revealed


def test_seminar_page_query_count_does_not_grow_with_readings_and_sets(
    django_assert_max_num_queries,
) -> None:
    world = seminar_world()
    client = client_for(world.instructor)
    with django_assert_max_num_queries(14) as few:
        client.get(world.seminar.get_absolute_url())
    for n in range(10):
        reading = DocumentFactory(title=f"Extra {n}", owner=world.instructor)
        SeminarReading.objects.create(seminar=world.seminar, document=reading, position=10 + n)
        student = UserFactory()
        Membership.objects.create(seminar=world.seminar, user=student)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(world.seminar.get_absolute_url())
    assert response.content.decode().count("Move up") == 11


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_instructor_reorders_readings(headers) -> None:
    world = seminar_world()
    second = world.seminar.seminar_readings.get(document=world.documents[1])
    url = f"/seminars/{world.seminar.pk}/readings/{second.pk}/move/"
    response = client_for(world.instructor).post(url, {"direction": "up"}, headers=headers)
    order = list(world.seminar.seminar_readings.values_list("document__title", flat=True))
    assert order == ["Second Reading", "First Reading"]
    if headers:
        text = response.content.decode()
        assert text.index("Second Reading") < text.index("First Reading")
    else:
        assert response["Location"].endswith("#readings")


def test_instructor_adds_a_reading_from_the_library_and_removes_one() -> None:
    world = seminar_world()
    third = DocumentFactory(title="Third Reading", owner=world.instructor)
    client = client_for(world.instructor)
    client.post(f"/seminars/{world.seminar.pk}/readings/", {"document": third.pk})
    last = world.seminar.seminar_readings.order_by("position").last()
    assert last is not None and last.document == third
    first = world.seminar.seminar_readings.get(document=world.documents[0])
    client.post(f"/seminars/{world.seminar.pk}/readings/{first.pk}/remove/")
    titles = list(world.seminar.seminar_readings.values_list("document__title", flat=True))
    assert titles == ["Second Reading", "Third Reading"]


def test_instructor_cannot_add_someone_elses_document() -> None:
    world = seminar_world()
    foreign = DocumentFactory(title="Not Yours", owner=world.outsider)
    response = client_for(world.instructor).post(
        f"/seminars/{world.seminar.pk}/readings/", {"document": foreign.pk}, follow=True
    )
    assert response.status_code == 200
    assert "Only a reading you imported yourself can be added" in response.content.decode()
    assert not world.seminar.seminar_readings.filter(document=foreign).exists()


def test_student_joins_with_the_code_and_reads_the_readings() -> None:
    world = seminar_world()
    newcomer = UserFactory(username="nia")
    client = client_for(newcomer)
    assert client.get(world.documents[0].get_absolute_url()).status_code == 404
    assert world.seminar.join_code
    code = world.seminar.join_code.lower()  # codes are read aloud: case does not matter
    response = client.post("/join/", {"code": f" {code} "})
    # Issue 21: joining makes the student's own set and lands in the first reading of it.
    own = AnnotationSet.objects.get(seminar=world.seminar, owner=newcomer)
    assert own.kind == AnnotationSet.Kind.STUDENT and own.blind
    first = world.documents[0]
    assert response["Location"] == f"/seminars/{world.seminar.pk}/sets/{own.pk}/read/{first.pk}/"
    assert world.seminar.memberships.get(user=newcomer).role == Membership.Role.STUDENT
    assert client.get(world.documents[0].get_absolute_url()).status_code == 200


def test_join_link_prefills_the_code() -> None:
    world = seminar_world()
    text = client_for(UserFactory()).get(f"/join/{world.seminar.join_code}/").content.decode()
    assert f'value="{world.seminar.join_code}"' in text


def test_rotated_or_closed_codes_stop_working() -> None:
    world = seminar_world()
    old = world.seminar.join_code
    instructor = client_for(world.instructor)
    instructor.post(f"/seminars/{world.seminar.pk}/join-code/", {"action": "rotate"})
    world.seminar.refresh_from_db()
    assert world.seminar.join_code != old
    refused = client_for(UserFactory()).post("/join/", {"code": old})
    assert "No open seminar has this code" in refused.content.decode()
    instructor.post(f"/seminars/{world.seminar.pk}/join-code/", {"action": "close"})
    world.seminar.refresh_from_db()
    assert world.seminar.join_code is None
    assert "Joining is closed." in instructor.get(world.seminar.get_absolute_url()).content.decode()


def test_the_last_instructor_cannot_be_removed() -> None:
    world = seminar_world()
    own = world.seminar.memberships.get(user=world.instructor)
    response = client_for(world.instructor).post(
        f"/seminars/{world.seminar.pk}/members/{own.pk}/remove/", follow=True
    )
    assert "keeps at least one instructor" in response.content.decode()
    assert world.seminar.memberships.filter(user=world.instructor).exists()


def test_import_into_a_seminar_adds_the_reading_last() -> None:
    world = seminar_world()
    client = client_for(world.instructor)
    source = {"pasted": "A claim. A reason.\n\nAnother claim.", "seminar": world.seminar.pk}
    response = preview_and_save(client, source, title="Imported")
    assert response["Location"] == world.seminar.get_absolute_url()
    last = world.seminar.seminar_readings.order_by("position").last()
    assert last is not None and last.document.title == "Imported"


def test_student_cannot_import_into_the_seminar_and_nothing_is_stored() -> None:
    world = seminar_world()
    client = client_for(world.student)
    preview = client.post("/documents/import/", {"pasted": "Text.", "seminar": world.seminar.pk})
    assert preview.status_code == 403
    assert "You cannot do that here" in preview.content.decode()
    assert not PendingImport.objects.exists()
    # A preview made while an instructor is saved only while still one.
    pending = pending_import_create(
        owner=world.student, text="Text.", original_format="pasted", seminar_id=world.seminar.pk
    )
    response = client.post(f"/documents/import/{pending.key}/save/", {"title": "Sneaky"})
    assert response.status_code == 403
    assert not SeminarReading.objects.filter(document__title="Sneaky").exists()
    assert PendingImport.objects.count() == 1
