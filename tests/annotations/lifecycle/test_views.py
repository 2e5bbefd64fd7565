"""A seminar's end of term: archive (read-only, off the list, restorable), delete with a count
of what goes, copy for a new term. Each takes what it says and nothing else."""

from __future__ import annotations

import pytest

from annotations.models import AnnotationSet, DiscussionPick, PositionSummary, Tag, Theme
from annotations.services import discussion_pick_add, passage_tag, position_summary_save
from readings.models import Document, Membership, Seminar, SeminarReading
from tests.clients import HTMX, client_for
from tests.factories import (
    DocumentFactory,
    MembershipFactory,
    SeminarReadingFactory,
    SeminarWorld,
    UserFactory,
    seminar_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> SeminarWorld:
    world = seminar_world()
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    assert passage is not None
    for annotation_set in (world.key, world.student_set):
        passage_tag(
            annotation_set=annotation_set,
            passage=passage,
            theme=world.themes[0],
            author=annotation_set.owner,
            note="Because.",
        )
    position_summary_save(
        annotation_set=world.key, theme=world.themes[0], document=world.documents[0], text="Yes."
    )
    discussion_pick_add(theme=world.themes[0], passage=passage, user=world.instructor)
    return world


@pytest.fixture
def assistant(world: SeminarWorld):
    user = UserFactory(username="tess")
    MembershipFactory(seminar=world.seminar, user=user, role=Membership.Role.ASSISTANT)
    return user


def url(world: SeminarWorld, tail: str) -> str:
    return f"/seminars/{world.seminar.pk}/{tail}"


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Seminar,
            Membership,
            SeminarReading,
            Document,
            Theme,
            AnnotationSet,
            Tag,
            PositionSummary,
            DiscussionPick,
        )
    }


# Archive -------------------------------------------------------------------------------------


def test_archiving_hides_the_seminar_makes_it_read_only_and_loses_nothing(
    world: SeminarWorld,
) -> None:
    before = _counts()
    instructor = client_for(world.instructor)
    response = instructor.post(url(world, "archive/"), follow=True)
    assert response.status_code == 200
    assert "is archived: read-only and off your list" in response.content.decode()
    listed = instructor.get("/seminars/").content.decode()
    assert "Archived seminars (1)" in listed
    assert _counts() == before
    # Read-only: the student's tag and the instructor's codebook change are refused.
    student = client_for(world.student)
    page = student.get(world.seminar.get_absolute_url())
    assert page.status_code == 200 and "This seminar is archived" in page.content.decode()
    passage = world.documents[0].passages.filter(kind="paragraph").last()
    assert passage is not None
    refused = student.post(
        f"/seminars/{world.seminar.pk}/sets/{world.student_set.pk}/passages/{passage.pk}/tags/",
        {"theme": world.themes[1].pk},
    )
    assert refused.status_code == 403
    assert instructor.post(url(world, "themes/"), {"name": "New"}).status_code == 403
    assert _counts() == before
    # Restored, it is on the list and takes changes again.
    instructor.post(url(world, "archive/"), {"archive": "0"})
    world.seminar.refresh_from_db()
    assert world.seminar.archived_at is None
    assert "Archived seminars" not in instructor.get("/seminars/").content.decode()


def test_a_teaching_assistant_may_not_archive_or_delete(world: SeminarWorld, assistant) -> None:
    client = client_for(assistant)
    assert client.post(url(world, "archive/")).status_code == 403
    assert client.get(url(world, "delete/")).status_code == 403
    assert client.post(url(world, "delete/"), {"confirm": world.seminar.pk}).status_code == 403
    world.seminar.refresh_from_db()
    assert world.seminar.archived_at is None
    assert client.get(world.seminar.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("who", ["student", "other_student"])
def test_students_may_not_archive_delete_or_copy(world: SeminarWorld, who: str) -> None:
    client = client_for(getattr(world, who))
    before = _counts()
    assert client.post(url(world, "archive/")).status_code == 403
    assert client.post(url(world, "delete/"), {"confirm": world.seminar.pk}).status_code == 403
    assert client.post(url(world, "copy/"), {"title": "Mine"}).status_code == 403
    assert _counts() == before
    assert client.get(world.seminar.get_absolute_url()).status_code == 200


def test_an_outsider_learns_nothing(world: SeminarWorld) -> None:
    client = client_for(world.outsider)
    for tail in ("archive/", "delete/", "copy/"):
        assert client.post(url(world, tail), {"confirm": world.seminar.pk}).status_code == 404
    assert Seminar.objects.count() == 1
    assert client_for(world.instructor).get(url(world, "delete/")).status_code == 200


# Delete ----------------------------------------------------------------------------------------


def test_the_delete_page_counts_what_goes(world: SeminarWorld) -> None:
    response = client_for(world.instructor).get(url(world, "delete/"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 memberships (the accounts stay)" in page
    assert "2 student sets, 1 instructor key and 0 reference sets, with 2 tags" in page
    assert "1 handout pick" in page


def test_the_delete_page_with_htmx_renders_the_same_confirmation(world: SeminarWorld) -> None:
    response = client_for(world.instructor).get(url(world, "delete/"), headers=HTMX)
    assert response.status_code == 200 and "Delete “Reading Power”?" in response.content.decode()


def test_deleting_without_the_confirmation_deletes_nothing(world: SeminarWorld) -> None:
    before = _counts()
    response = client_for(world.instructor).post(url(world, "delete/"), {})
    assert response.status_code == 200 and "Nothing was deleted" in response.content.decode()
    assert _counts() == before


def test_deleting_takes_the_seminar_and_leaves_other_seminars_and_documents(
    world: SeminarWorld,
) -> None:
    other = seminar_world_other(world)
    response = client_for(world.instructor).post(
        url(world, "delete/"), {"confirm": world.seminar.pk}, follow=True
    )
    assert "“Reading Power” was deleted." in response.content.decode()
    assert list(Seminar.objects.all()) == [other]
    assert Document.objects.count() == 3  # documents stay with their owners
    assert AnnotationSet.objects.filter(seminar=other).count() == 1
    assert Tag.objects.filter(annotation_set__seminar=other).count() == 1


def seminar_world_other(world: SeminarWorld) -> Seminar:
    """Another seminar of the same instructor, with a set and a tag of its own."""
    other = Seminar.objects.create(title="Other", created_by=world.instructor)
    Membership.objects.create(seminar=other, user=world.instructor, role="instructor")
    document = DocumentFactory(title="Third", owner=world.instructor)
    SeminarReadingFactory(seminar=other, document=document)
    theme = Theme.objects.create(seminar=other, name="Other", slug="other", colour="#0b6e4f")
    annotation_set = AnnotationSet.objects.create(seminar=other, owner=world.instructor, title="K")
    passage = document.passages.filter(kind="paragraph").first()
    Tag.objects.create(annotation_set=annotation_set, passage=passage, theme=theme)
    return other


# Copy ------------------------------------------------------------------------------------------


def test_copying_takes_readings_themes_key_summaries_and_picks_but_no_people(
    world: SeminarWorld,
) -> None:
    world.themes[1].guiding_question = "Is it safe?"
    world.themes[1].save()
    before = _counts()
    response = client_for(world.instructor).post(
        url(world, "copy/"), {"title": "Reading Power", "term": "Autumn 2026"}
    )
    copy = Seminar.objects.exclude(pk=world.seminar.pk).get()
    assert response["Location"] == copy.get_absolute_url()
    assert (
        copy.term == "Autumn 2026" and copy.join_code and copy.join_code != world.seminar.join_code
    )
    assert list(copy.memberships.values_list("user__username", "role")) == [("ines", "instructor")]
    assert [r.document_id for r in copy.seminar_readings.order_by("position")] == [
        d.pk for d in world.documents
    ]
    assert [(t.name, t.guiding_question) for t in copy.themes.order_by("position")] == [
        ("Trade", "Does the author think so?"),
        ("Security", "Is it safe?"),
    ]
    key = AnnotationSet.objects.get(seminar=copy)
    assert (key.kind, key.owner, key.blind, key.revealed_at) == (
        "key",
        world.instructor,
        True,
        None,
    )
    assert key.tags.get().note == "Because."
    assert key.summaries.get().text == "Yes."
    assert DiscussionPick.objects.filter(theme__seminar=copy).count() == 1
    # The original is untouched.
    after = _counts()
    for model in ("Tag", "AnnotationSet", "Theme", "SeminarReading", "PositionSummary"):
        assert after[model] > before[model]
    assert world.seminar.annotation_sets.count() == 3
    assert Tag.objects.filter(annotation_set__seminar=world.seminar).count() == 2


def test_copying_leaves_behind_readings_the_copier_may_not_add(
    world: SeminarWorld, assistant
) -> None:
    own = DocumentFactory(title="Tess's own", owner=assistant)
    SeminarReadingFactory(seminar=world.seminar, document=own, position=5)
    client = client_for(assistant)
    page = client.get(url(world, "copy/")).content.decode()
    assert "2 readings cannot come along" in page
    assert "1 reading: Tess&#x27;s own" in page
    client.post(url(world, "copy/"), {"title": "Tess's term"})
    copy = Seminar.objects.get(title="Tess's term")
    assert list(copy.seminar_readings.values_list("document_id", flat=True)) == [own.pk]
    # The key's tags were on readings that stayed behind.
    assert AnnotationSet.objects.get(seminar=copy).tags.count() == 0


def test_a_copy_needs_a_title(world: SeminarWorld) -> None:
    response = client_for(world.instructor).post(url(world, "copy/"), {"title": "  "})
    assert response.status_code == 200
    assert "Give the new seminar a title." in response.content.decode()
    assert Seminar.objects.count() == 1


def test_the_copy_page_with_htmx_renders(world: SeminarWorld) -> None:
    response = client_for(world.instructor).get(url(world, "copy/"), headers=HTMX)
    assert response.status_code == 200 and "What is copied" in response.content.decode()
