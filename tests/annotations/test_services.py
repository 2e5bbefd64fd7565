"""The services refuse writes that would break a seminar's rules, and say why."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from annotations.models import PositionSummary, Tag, Theme
from annotations.services import (
    annotation_set_create,
    passage_tag,
    position_summary_save,
    theme_create,
    theme_merge,
    theme_move,
    theme_restore,
    theme_retire,
)
from readings.models import Passage
from tests.factories import SeminarWorld, seminar_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> SeminarWorld:
    return seminar_world()


def _paragraph(world: SeminarWorld) -> Passage:
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    assert passage is not None
    return passage


def test_a_retired_theme_cannot_be_moved(world: SeminarWorld) -> None:
    trade = world.themes[0]
    theme_retire(theme=trade)
    with pytest.raises(ValidationError, match="is retired: restore it before moving it"):
        theme_move(theme=trade, offset=1)


def test_a_theme_cannot_be_restored_beside_an_active_one_of_the_same_name(
    world: SeminarWorld,
) -> None:
    trade = world.themes[0]
    theme_retire(theme=trade)
    theme_create(seminar=world.seminar, name="trade")  # the codebook reuses the name
    with pytest.raises(ValidationError, match="already has a theme called “Trade”"):
        theme_restore(theme=trade)
    trade.refresh_from_db()
    assert trade.retired_at is not None


def test_a_theme_cannot_be_merged_into_a_retired_one(world: SeminarWorld) -> None:
    trade, security = world.themes
    theme_retire(theme=security)
    with pytest.raises(ValidationError, match="Merge into an active theme"):
        theme_merge(source=trade, target=security)
    assert Theme.objects.get(pk=trade.pk).retired_at is None


def test_a_set_from_another_seminar_cannot_be_copied(world: SeminarWorld) -> None:
    elsewhere = seminar_world()
    with pytest.raises(ValidationError, match="only be copied within its seminar"):
        annotation_set_create(
            seminar=world.seminar,
            owner=world.student,
            title="Borrowed",
            copy_of=elsewhere.key,
        )


def test_a_theme_of_another_seminar_cannot_tag_a_passage(world: SeminarWorld) -> None:
    elsewhere = seminar_world()
    with pytest.raises(ValidationError, match="belongs to another seminar"):
        passage_tag(
            annotation_set=world.key,
            passage=_paragraph(world),
            theme=elsewhere.themes[0],
            author=world.instructor,
        )
    assert not Tag.objects.filter(annotation_set=world.key).exists()


def test_an_unknown_stance_is_refused(world: SeminarWorld) -> None:
    with pytest.raises(ValidationError, match="Choose supports, opposes or qualifies"):
        passage_tag(
            annotation_set=world.key,
            passage=_paragraph(world),
            theme=world.themes[0],
            author=world.instructor,
            stance="maybe",
        )
    assert not Tag.objects.filter(annotation_set=world.key).exists()


def test_a_locked_set_takes_no_position_summary(world: SeminarWorld) -> None:
    world.key.locked = True
    world.key.save(update_fields=["locked"])
    with pytest.raises(ValidationError, match="locked"):
        position_summary_save(
            annotation_set=world.key,
            theme=world.themes[0],
            document=world.documents[0],
            text="Trade binds them.",
        )
    assert not PositionSummary.objects.exists()


def test_a_position_summary_needs_a_theme_of_the_sets_seminar(world: SeminarWorld) -> None:
    elsewhere = seminar_world()
    with pytest.raises(ValidationError, match="belongs to another seminar"):
        position_summary_save(
            annotation_set=world.key,
            theme=elsewhere.themes[0],
            document=world.documents[0],
            text="Trade binds them.",
        )
    assert not PositionSummary.objects.exists()
