"""Deleting a seminar: everything it owns goes, in one transaction; its readings' documents stay
with their owners, and no other seminar loses a row."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from annotations.models import AnnotationSet, DiscussionPick, PositionSummary, Tag, Theme
from annotations.services import (
    annotation_set_create,
    discussion_pick_add,
    passage_tag,
    position_summary_save,
    theme_merge,
)
from readings.models import Document, Membership, Passage, Seminar, SeminarReading
from readings.services import seminar_delete, seminar_reading_remove
from tests.factories import SeminarWorld, seminar_world

pytestmark = pytest.mark.django_db


def _owned_rows(seminar_id: int) -> dict[str, int]:
    return {
        "themes": Theme.objects.filter(seminar_id=seminar_id).count(),
        "sets": AnnotationSet.objects.filter(seminar_id=seminar_id).count(),
        "tags": Tag.objects.filter(theme__seminar_id=seminar_id).count(),
        "summaries": PositionSummary.objects.filter(theme__seminar_id=seminar_id).count(),
        "picks": DiscussionPick.objects.filter(theme__seminar_id=seminar_id).count(),
        "members": Membership.objects.filter(seminar_id=seminar_id).count(),
        "readings": SeminarReading.objects.filter(seminar_id=seminar_id).count(),
    }


def _a_seminar_in_full_use(world: SeminarWorld) -> None:
    """Tags in every set, a summary, a pick, a merged theme, a copied set, and tags left on a
    reading that was removed from the seminar."""
    trade, security = world.themes
    first, second = (
        document.passages.filter(kind=Passage.Kind.PARAGRAPH).first()
        for document in world.documents
    )
    assert first is not None and second is not None
    for annotation_set in (world.key, world.student_set, world.other_student_set):
        passage_tag(
            annotation_set=annotation_set, passage=first, theme=trade, author=annotation_set.owner
        )
        passage_tag(
            annotation_set=annotation_set,
            passage=second,
            theme=security,
            author=annotation_set.owner,
        )
    position_summary_save(
        annotation_set=world.key, theme=trade, document=world.documents[0], text="For trade."
    )
    discussion_pick_add(theme=trade, passage=first, user=world.instructor)
    annotation_set_create(
        seminar=world.seminar, owner=world.student, title="Copy", copy_of=world.key
    )
    theme_merge(source=security, target=trade)
    seminar_reading_remove(
        reading=SeminarReading.objects.get(seminar=world.seminar, document=world.documents[1])
    )


@pytest.fixture
def world() -> SeminarWorld:
    world = seminar_world()
    _a_seminar_in_full_use(world)
    return world


def test_deleting_a_seminar_with_tags_takes_everything_it_owns_and_keeps_the_documents(
    world,
) -> None:
    before = _owned_rows(world.seminar.pk)
    assert all(before.values()), before
    documents = Document.objects.count()
    passages = Passage.objects.count()
    users = get_user_model().objects.count()

    deleted = seminar_delete(seminar=world.seminar)

    assert deleted["annotations.Tag"] == before["tags"] == 8
    assert deleted["annotations.DiscussionPick"] == before["picks"] == 1
    assert deleted["readings.Seminar"] == 1
    assert not Seminar.objects.filter(pk=world.seminar.pk).exists()
    assert set(_owned_rows(world.seminar.pk).values()) == {0}
    # The documents belong to their owners (and may be read in other seminars).
    assert Document.objects.count() == documents and Passage.objects.count() == passages
    assert get_user_model().objects.count() == users


def test_deleting_one_seminar_leaves_another_that_reads_the_same_documents(world) -> None:
    other = Seminar.objects.create(title="Next term", created_by=world.instructor)
    Membership.objects.create(seminar=other, user=world.instructor, role="instructor")
    SeminarReading.objects.create(seminar=other, document=world.documents[0], position=0)
    theme = Theme.objects.create(seminar=other, name="Trade", slug="trade", colour="#1f77b4")
    annotation_set = annotation_set_create(seminar=other, owner=world.instructor, title="Key")
    first = world.documents[0].passages.filter(kind=Passage.Kind.PARAGRAPH).first()
    passage_tag(annotation_set=annotation_set, passage=first, theme=theme, author=world.instructor)
    discussion_pick_add(theme=theme, passage=first, user=world.instructor)
    kept = _owned_rows(other.pk)

    seminar_delete(seminar=world.seminar)

    assert _owned_rows(other.pk) == kept
    assert kept["tags"] == 1 and kept["picks"] == 1 and kept["readings"] == 1
