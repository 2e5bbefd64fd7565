from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from annotations.models import PositionSummary, Tag
from annotations.services import (
    passage_tag,
    position_summary_save,
    tag_remove,
    tag_update,
    theme_retire,
)
from readings.models import Passage
from tests.factories import DocumentFactory, seminar_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return seminar_world()


@pytest.fixture
def passage(world) -> Passage:
    passage = Passage.objects.filter(document=world.documents[0], kind="paragraph").first()
    assert passage is not None
    return passage


def test_tagging_twice_gives_one_tag_and_updates_the_stance(world, passage) -> None:
    first, created = passage_tag(
        annotation_set=world.student_set,
        passage=passage,
        theme=world.themes[0],
        author=world.student,
    )
    again, created_again = passage_tag(
        annotation_set=world.student_set,
        passage=passage,
        theme=world.themes[0],
        author=world.student,
        stance="opposes",
    )
    assert created and not created_again and first.pk == again.pk
    assert Tag.objects.get().stance == "opposes"


def test_the_database_refuses_a_duplicate_passage_tag(world, passage) -> None:
    passage_tag(
        annotation_set=world.key, passage=passage, theme=world.themes[0], author=world.instructor
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(
            annotation_set=world.key, passage=passage, theme=world.themes[0], author=None
        )


def test_a_quote_span_is_its_own_tag_and_must_lie_inside_the_passage(world, passage) -> None:
    passage_tag(
        annotation_set=world.key, passage=passage, theme=world.themes[0], author=world.instructor
    )
    span, created = passage_tag(
        annotation_set=world.key,
        passage=passage,
        theme=world.themes[0],
        author=world.instructor,
        span=(4, 13),
    )
    assert created and span.is_span and world.key.tags.count() == 2
    with pytest.raises(ValidationError, match="inside the passage"):
        passage_tag(
            annotation_set=world.key,
            passage=passage,
            theme=world.themes[0],
            author=world.instructor,
            span=(5, len(passage.text) + 1),
        )


def test_retired_themes_take_no_new_tags_but_keep_theirs(world, passage) -> None:
    tag, _ = passage_tag(
        annotation_set=world.key, passage=passage, theme=world.themes[1], author=world.instructor
    )
    theme_retire(theme=world.themes[1])
    other = Passage.objects.filter(document=world.documents[1], kind="paragraph").first()
    assert other is not None
    with pytest.raises(ValidationError, match="retired"):
        passage_tag(
            annotation_set=world.key, passage=other, theme=world.themes[1], author=world.instructor
        )
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_passages_outside_the_seminar_cannot_be_tagged(world) -> None:
    stranger = DocumentFactory(title="Elsewhere")
    passage = stranger.passages.filter(kind="paragraph").first()
    with pytest.raises(ValidationError, match="not in one of the seminar's readings"):
        passage_tag(
            annotation_set=world.key,
            passage=passage,
            theme=world.themes[0],
            author=world.instructor,
        )
    assert Tag.objects.count() == 0


def test_locked_sets_take_no_changes(world, passage) -> None:
    tag, _ = passage_tag(
        annotation_set=world.student_set,
        passage=passage,
        theme=world.themes[0],
        author=world.student,
    )
    world.student_set.locked = True
    world.student_set.save()
    tag.annotation_set.refresh_from_db()
    with pytest.raises(ValidationError, match="locked"):
        tag_remove(tag=tag)
    with pytest.raises(ValidationError, match="locked"):
        passage_tag(
            annotation_set=world.student_set,
            passage=passage,
            theme=world.themes[1],
            author=world.student,
        )
    assert Tag.objects.count() == 1


def test_stance_must_be_one_of_three(world, passage) -> None:
    tag, _ = passage_tag(
        annotation_set=world.key, passage=passage, theme=world.themes[0], author=world.instructor
    )
    with pytest.raises(ValidationError, match="supports, opposes or qualifies"):
        tag_update(tag=tag, stance="maybe", note="")
    tag_update(tag=tag, stance="qualifies", note="Only for energy.")
    tag.refresh_from_db()
    assert (tag.stance, tag.note) == ("qualifies", "Only for energy.")


def test_position_summary_is_written_replaced_and_removed(world) -> None:
    args = {"annotation_set": world.key, "theme": world.themes[0], "document": world.documents[0]}
    position_summary_save(**args, text="The author doubts it.")
    position_summary_save(**args, text="The author rejects it outright.")
    assert PositionSummary.objects.get().text == "The author rejects it outright."
    position_summary_save(**args, text="   ")
    assert PositionSummary.objects.count() == 0
