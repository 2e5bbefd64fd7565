"""Set kinds (only student work is a coder), a set's archive and delete, and reveals that say
what becomes visible to whom and never take the key along with the students' work."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.agreement.gather import agreement_gather
from annotations.interchange.exports import w3c
from annotations.interchange.exports.collect import set_record
from annotations.models import AnnotationSet, PositionSummary, Tag, Theme
from annotations.services import passage_tag, position_summary_save
from readings.access import get_seminar_for_user
from readings.models import Membership
from tests.clients import HTMX, client_for
from tests.factories import MembershipFactory, SeminarWorld, UserFactory, seminar_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> SeminarWorld:
    world = seminar_world()
    passages = list(world.documents[0].passages.filter(kind="paragraph"))
    for annotation_set in (world.key, world.student_set, world.other_student_set):
        for passage in passages:
            passage_tag(
                annotation_set=annotation_set,
                passage=passage,
                theme=world.themes[0],
                author=annotation_set.owner,
            )
    return world


@pytest.fixture
def assistant(world: SeminarWorld):
    user = UserFactory(username="tess")
    MembershipFactory(seminar=world.seminar, user=user, role=Membership.Role.ASSISTANT)
    return user


def _w3c(world: SeminarWorld) -> SimpleUploadedFile:
    record = set_record(world.key, base_url="http://testserver")
    data = json.dumps(w3c.collection(record, collection_iri="http://testserver/x")).encode()
    return SimpleUploadedFile("key.jsonld", data, content_type="application/ld+json")


def _coders(world: SeminarWorld) -> list[str]:
    access = get_seminar_for_user(world.instructor, world.seminar.pk)
    return [c.title for c in agreement_gather(access).coders]


def test_imports_are_references_by_default_and_never_count_as_coders(world: SeminarWorld) -> None:
    client = client_for(world.instructor)
    for _ in range(3):
        response = client.post(
            f"/seminars/{world.seminar.pk}/import/set/",
            {"file": _w3c(world), "format": "auto", "kind": "reference"},
        )
        assert response.status_code == 200 and "Imported" in response.content.decode()
    assert AnnotationSet.objects.filter(kind="reference").count() == 3
    assert _coders(world) == ["Sam's reading", "Tara's reading"]
    page = client.get(f"/seminars/{world.seminar.pk}/agreement/").content.decode()
    assert "over 2 student sets" in page


def test_the_import_form_offers_the_kind_with_reference_first_chosen(world: SeminarWorld) -> None:
    page = client_for(world.instructor).get(f"/seminars/{world.seminar.pk}/interchange/")
    text = page.content.decode()
    assert 'name="kind"' in text and '<option value="reference" selected>' in text
    student = client_for(world.student).get(f"/seminars/{world.seminar.pk}/interchange/")
    assert '<option value="key"' not in student.content.decode()


def test_a_student_cannot_import_a_key_or_a_second_own_work(world: SeminarWorld) -> None:
    client = client_for(world.student)
    for kind in ("key", "student"):
        response = client.post(
            f"/seminars/{world.seminar.pk}/import/set/",
            {"file": _w3c(world), "format": "auto", "kind": kind},
        )
        assert response.status_code == 200
        assert "Nothing was imported" in response.content.decode()
    assert AnnotationSet.objects.filter(owner=world.student).count() == 1


def test_the_instructor_changes_a_sets_kind_and_it_leaves_the_count(world: SeminarWorld) -> None:
    client = client_for(world.instructor)
    settings_url = f"/seminars/{world.seminar.pk}/sets/{world.other_student_set.pk}/settings/"
    response = client.post(
        settings_url,
        {"title": "Tara, for reference", "visibility": "seminar", "kind": "reference"},
    )
    assert response.status_code == 302
    world.other_student_set.refresh_from_db()
    assert (world.other_student_set.kind, world.other_student_set.title) == (
        "reference",
        "Tara, for reference",
    )
    assert _coders(world) == ["Sam's reading"]


def test_a_second_student_work_set_for_one_person_is_refused(world: SeminarWorld) -> None:
    extra = AnnotationSet.objects.create(
        seminar=world.seminar, owner=world.student, title="Extra", kind="reference"
    )
    response = client_for(world.instructor).post(
        f"/seminars/{world.seminar.pk}/sets/{extra.pk}/settings/",
        {"title": "Extra", "visibility": "seminar", "kind": "student"},
    )
    assert response.status_code == 200
    assert "Its owner has another student-work set" in response.content.decode()
    extra.refresh_from_db()
    assert extra.kind == "reference"


def test_a_student_cannot_change_their_sets_kind(world: SeminarWorld) -> None:
    client_for(world.student).post(
        f"/seminars/{world.seminar.pk}/sets/{world.student_set.pk}/settings/",
        {"title": "Mine", "visibility": "seminar", "kind": "key"},
    )
    world.student_set.refresh_from_db()
    assert (world.student_set.kind, world.student_set.title) == ("student", "Mine")


def test_archiving_a_set_takes_it_out_of_counts_and_keeps_its_tags(world: SeminarWorld) -> None:
    tags = Tag.objects.count()
    client = client_for(world.instructor)
    archive = f"/seminars/{world.seminar.pk}/sets/{world.other_student_set.pk}/archive/"
    assert client.post(archive).status_code == 302
    assert _coders(world) == ["Sam's reading"]
    assert Tag.objects.count() == tags
    page = client.get(world.seminar.get_absolute_url()).content.decode()
    assert "Archived sets (1)" in page
    # Its owner can no longer change it.
    passage = world.documents[1].passages.filter(kind="paragraph").first()
    assert passage is not None
    tag_url = (
        f"/seminars/{world.seminar.pk}/sets/{world.other_student_set.pk}"
        f"/passages/{passage.pk}/tags/"
    )
    assert (
        client_for(world.other_student).post(tag_url, {"theme": world.themes[0].pk}).status_code
        == 403
    )
    client.post(archive, {"archive": "0"})
    assert _coders(world) == ["Sam's reading", "Tara's reading"]


def test_a_student_cannot_archive_or_delete_their_set(world: SeminarWorld) -> None:
    client = client_for(world.student)
    base = f"/seminars/{world.seminar.pk}/sets/{world.student_set.pk}"
    assert client.post(f"{base}/archive/").status_code == 403
    assert client.post(f"{base}/delete/", {"confirm": world.student_set.pk}).status_code == 403
    assert client_for(world.outsider).post(f"{base}/delete/").status_code == 404
    world.student_set.refresh_from_db()
    assert world.student_set.archived_at is None


def test_deleting_a_set_names_its_tags_and_takes_only_them(world: SeminarWorld, assistant) -> None:
    position_summary_save(
        annotation_set=world.key, theme=world.themes[0], document=world.documents[0], text="K"
    )
    client = client_for(assistant)
    delete = f"/seminars/{world.seminar.pk}/sets/{world.student_set.pk}/delete/"
    confirm = client.get(delete)
    assert confirm.status_code == 200
    tags = world.student_set.tags.count()
    assert tags == 3
    assert "Its 3 tags go with it, for good." in confirm.content.decode()
    assert client.get(delete, headers=HTMX).status_code == 200
    unconfirmed = client.post(delete, {})
    assert "Nothing was deleted" in unconfirmed.content.decode()
    assert AnnotationSet.objects.filter(pk=world.student_set.pk).exists()
    response = client.post(delete, {"confirm": world.student_set.pk}, follow=True)
    assert "was deleted with its 3 tags." in response.content.decode()
    assert not AnnotationSet.objects.filter(pk=world.student_set.pk).exists()
    assert Tag.objects.filter(annotation_set=world.key).count() == 3
    assert Tag.objects.filter(annotation_set=world.other_student_set).count() == 3
    assert PositionSummary.objects.count() == 1 and Theme.objects.count() == 2


def test_the_reveal_page_says_who_sees_what(world: SeminarWorld) -> None:
    response = client_for(world.instructor).get(f"/seminars/{world.seminar.pk}/reveal/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Revealing shows these 2 student sets to all 2 students" in page
    assert "The instructor key stays blind." in page
    assert "Reveal the key" in page
    assert client_for(world.student).get(f"/seminars/{world.seminar.pk}/reveal/").status_code == 403


def test_revealing_the_students_leaves_the_key_blind_and_the_key_goes_on_its_own(
    world: SeminarWorld, assistant
) -> None:
    client = client_for(assistant)
    reveal = f"/seminars/{world.seminar.pk}/reveal/"
    client.post(reveal, {"what": "students"})
    world.key.refresh_from_db()
    world.student_set.refresh_from_db()
    assert world.key.revealed_at is None and world.student_set.revealed_at is not None
    tara = client_for(world.other_student)
    assert tara.get(world.student_set.get_absolute_url()).status_code == 200
    assert tara.get(world.key.get_absolute_url()).status_code == 404
    client.post(reveal, {"what": "key"})
    world.key.refresh_from_db()
    assert world.key.revealed_at is not None
    assert tara.get(world.key.get_absolute_url()).status_code == 200


def test_a_reveal_without_a_choice_reveals_nothing(world: SeminarWorld) -> None:
    response = client_for(world.instructor).post(
        f"/seminars/{world.seminar.pk}/reveal/", follow=True
    )
    assert "Nothing was revealed" in response.content.decode()
    assert not AnnotationSet.objects.filter(revealed_at__isnull=False).exists()


def test_one_sets_reveal_is_confirmed_first(world: SeminarWorld) -> None:
    url = f"/seminars/{world.seminar.pk}/sets/{world.key.pk}/reveal/"
    page = client_for(world.instructor).get(url)
    assert page.status_code == 200
    assert "all 2 students of the seminar can read every tag" in page.content.decode()
    world.key.refresh_from_db()
    assert world.key.revealed_at is None
