from __future__ import annotations

import pytest

from annotations.models import AnnotationSet, Tag
from annotations.services import passage_tag
from readings.models import Passage
from tests.clients import HTMX, client_for
from tests.factories import seminar_world

pytestmark = pytest.mark.django_db


def set_url(world, annotation_set, suffix: str = "") -> str:
    return f"/seminars/{world.seminar.pk}/sets/{annotation_set.pk}/{suffix}"


def tag_first_paragraph(world, annotation_set, theme_index: int = 0) -> Tag:
    passage = Passage.objects.filter(
        document=world.documents[0], kind=Passage.Kind.PARAGRAPH
    ).first()
    assert passage is not None
    tag, _ = passage_tag(
        annotation_set=annotation_set,
        passage=passage,
        theme=world.themes[theme_index],
        author=annotation_set.owner,
    )
    return tag


# Visibility and blind mode ---------------------------------------------------------------


def test_students_do_not_see_each_others_blind_sets_until_revealed() -> None:
    world = seminar_world()
    tara_set = set_url(world, world.other_student_set)
    assert client_for(world.student).get(tara_set).status_code == 404
    client_for(world.instructor).post(set_url(world, world.other_student_set, "reveal/"))
    assert client_for(world.student).get(tara_set).status_code == 200


def test_the_key_is_hidden_from_students_until_the_instructor_reveals_the_class() -> None:
    world = seminar_world()
    assert client_for(world.student).get(set_url(world, world.key)).status_code == 404
    client_for(world.instructor).post(f"/seminars/{world.seminar.pk}/reveal/", {"what": "students"})
    assert client_for(world.student).get(set_url(world, world.other_student_set)).status_code == 200
    # The key is revealed on its own, never with the students' work (issue 21).
    assert client_for(world.student).get(set_url(world, world.key)).status_code == 404
    client_for(world.instructor).post(f"/seminars/{world.seminar.pk}/reveal/", {"what": "key"})
    assert client_for(world.student).get(set_url(world, world.key)).status_code == 200


def test_instructors_see_every_set_even_private_ones() -> None:
    world = seminar_world()
    world.student_set.visibility = AnnotationSet.Visibility.PRIVATE
    world.student_set.save()
    assert client_for(world.instructor).get(set_url(world, world.student_set)).status_code == 200


def test_private_sets_stay_private_after_a_reveal() -> None:
    world = seminar_world()
    world.other_student_set.visibility = AnnotationSet.Visibility.PRIVATE
    world.other_student_set.save()
    client_for(world.instructor).post(f"/seminars/{world.seminar.pk}/reveal/", {"what": "students"})
    assert client_for(world.student).get(set_url(world, world.other_student_set)).status_code == 404


def test_published_sets_are_open_to_students_even_while_blind() -> None:
    world = seminar_world()
    world.key.visibility = AnnotationSet.Visibility.PUBLISHED
    world.key.save()
    assert world.key.blind and world.key.revealed_at is None
    assert client_for(world.student).get(set_url(world, world.key)).status_code == 200


def test_outsiders_see_no_set_of_the_seminar() -> None:
    world = seminar_world()
    world.key.visibility = AnnotationSet.Visibility.PUBLISHED
    world.key.save()
    for annotation_set in (world.key, world.student_set):
        assert client_for(world.outsider).get(set_url(world, annotation_set)).status_code == 404


# Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_set_page_counts_tags_by_theme_and_reading(headers) -> None:
    world = seminar_world()
    tag_first_paragraph(world, world.student_set, 0)
    tag_first_paragraph(world, world.student_set, 1)
    response = client_for(world.student).get(set_url(world, world.student_set), headers=headers)
    text = response.content.decode()
    assert "2 tags by theme and reading" in text
    assert (">Trade<" in text) and (">Security<" in text)
    assert ("<html" in text) is not bool(headers)


def test_set_page_query_count_does_not_grow_with_tags(django_assert_max_num_queries) -> None:
    world = seminar_world()
    client = client_for(world.student)
    with django_assert_max_num_queries(12) as few:
        client.get(set_url(world, world.student_set))
    for passage in Passage.objects.filter(document__in=world.documents):
        for theme in world.themes:
            passage_tag(
                annotation_set=world.student_set,
                passage=passage,
                theme=theme,
                author=world.student,
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(set_url(world, world.student_set))
    assert response.status_code == 200


def test_student_creates_an_empty_set_or_a_copy_of_a_visible_one() -> None:
    world = seminar_world()
    tag_first_paragraph(world, world.key)
    client = client_for(world.student)
    response = client.get(f"/seminars/{world.seminar.pk}/sets/new/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="title"' in page and "A copy of “Sam&#x27;s reading”" in page
    assert "A copy of “Key”" not in page  # the key is still blind
    assert 'name="kind"' not in page  # students do not write keys
    client.post(
        f"/seminars/{world.seminar.pk}/sets/new/",
        {"title": "Second try", "start_from": "0", "visibility": "seminar"},
    )
    created = AnnotationSet.objects.get(title="Second try")
    # Sam's own work is the set he has: a second one is a reference (issue 21).
    assert created.owner == world.student and created.kind == "reference" and created.blind
    world.key.revealed_at = world.key.created_at
    world.key.save()
    client.post(
        f"/seminars/{world.seminar.pk}/sets/new/",
        {"title": "From the key", "start_from": str(world.key.pk), "visibility": "private"},
    )
    copy = AnnotationSet.objects.get(title="From the key")
    assert copy.copied_from == world.key and copy.tags.count() == 1
    assert copy.tags.get().author == world.student


def test_a_student_cannot_copy_a_set_they_cannot_see() -> None:
    world = seminar_world()
    tag_first_paragraph(world, world.other_student_set)
    response = client_for(world.student).post(
        f"/seminars/{world.seminar.pk}/sets/new/",
        {"title": "Peek", "start_from": str(world.other_student_set.pk), "visibility": "seminar"},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()  # as if Tara's set were not
    assert not AnnotationSet.objects.filter(title="Peek").exists()


def test_owner_renames_but_only_the_instructor_locks() -> None:
    world = seminar_world()
    student = client_for(world.student)
    response = student.get(set_url(world, world.student_set, "settings/"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="title"' in page and 'name="visibility"' in page
    assert 'name="locked"' not in page and 'name="blind"' not in page
    student.post(
        set_url(world, world.student_set, "settings/"),
        {"title": "Renamed", "visibility": "private", "locked": "on"},
    )
    world.student_set.refresh_from_db()
    assert world.student_set.title == "Renamed" and not world.student_set.locked
    client_for(world.instructor).post(
        set_url(world, world.student_set, "settings/"),
        {"title": "Renamed", "visibility": "seminar", "blind": "on", "locked": "on"},
    )
    world.student_set.refresh_from_db()
    assert world.student_set.locked


def test_other_student_cannot_change_settings_even_when_revealed() -> None:
    world = seminar_world()
    client_for(world.instructor).post(f"/seminars/{world.seminar.pk}/reveal/", {"what": "students"})
    response = client_for(world.student).post(
        set_url(world, world.other_student_set, "settings/"),
        {"title": "Hijacked", "visibility": "private"},
    )
    assert response.status_code == 403
    world.other_student_set.refresh_from_db()
    assert world.other_student_set.title == "Tara's reading"


def test_an_instructors_first_set_defaults_to_the_key_and_later_ones_to_a_reference() -> None:
    world = seminar_world()
    create = f"/seminars/{world.seminar.pk}/sets/new/"
    client = client_for(world.instructor)
    page = client.get(create).content.decode()
    # seminar_world has a key already: the form offers a reference first (issue 21).
    assert '<option value="reference" selected>' in page
    AnnotationSet.objects.filter(kind=AnnotationSet.Kind.KEY).delete()
    page = client.get(create).content.decode()
    assert '<option value="key" selected>' in page
    assert 'value="Instructor key"' in page
