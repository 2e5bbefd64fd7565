from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

from annotations.models import PositionSummary, Tag, Theme
from annotations.palette import PALETTE
from annotations.services import (
    passage_tag,
    theme_create,
    theme_merge,
    theme_move,
    theme_restore,
    theme_retire,
    theme_update,
)
from annotations.stances import OPPOSES, SUPPORTS
from readings.models import Passage
from tests.factories import ThemeFactory, seminar_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return seminar_world()


@pytest.fixture
def passages(world) -> list[Passage]:
    return list(Passage.objects.filter(document=world.documents[0], kind="paragraph"))


def names(world) -> list[str]:
    return list(
        Theme.objects.filter(seminar=world.seminar)
        .order_by("position", "pk")
        .values_list("name", flat=True)
    )


def tag(annotation_set, theme, passage, **kwargs) -> Tag:
    return passage_tag(
        annotation_set=annotation_set,
        passage=passage,
        theme=theme,
        author=annotation_set.owner,
        **kwargs,
    )[0]


# Creating and updating --------------------------------------------------------------------


def test_a_new_theme_goes_last_with_the_first_unused_colour(world) -> None:
    used = {theme.colour for theme in world.themes}
    theme = theme_create(seminar=world.seminar, name="  Energy policy ", guiding_question="Who?")
    assert (theme.name, theme.slug, theme.position) == ("Energy policy", "energy-policy", 2)
    assert theme.colour == next(colour for colour, _ in PALETTE if colour not in used)
    assert names(world) == ["Trade", "Security", "Energy policy"]


def test_an_explicit_colour_is_checked_and_stored_in_lowercase(world) -> None:
    assert theme_create(seminar=world.seminar, name="Energy", colour="#6A4FB3").colour == "#6a4fb3"
    with pytest.raises(ValidationError, match="enough contrast"):
        theme_create(seminar=world.seminar, name="Pale", colour="#eeeeee")


def test_two_active_themes_cannot_share_a_name_in_any_case(world) -> None:
    with pytest.raises(ValidationError, match="already has a theme called “TRADE”"):
        theme_create(seminar=world.seminar, name="TRADE")
    with pytest.raises(ValidationError, match="already has a theme called"):
        theme_update(
            theme=world.themes[1],
            name="trade",
            description="",
            guiding_question="",
            colour=world.themes[1].colour,
        )


def test_a_retired_name_can_return_with_its_own_slug(world) -> None:
    theme_retire(theme=world.themes[0])
    again = theme_create(seminar=world.seminar, name="Trade")
    assert again.slug == "trade-2"


def test_updating_renames_reslugs_and_rechecks_the_colour(world) -> None:
    trade = world.themes[0]
    theme_update(
        theme=trade,
        name="Trade and sanctions",
        description="Tariffs too.",
        guiding_question="Is trade a weapon?",
        colour="#0F7C8C",
    )
    trade.refresh_from_db()
    assert (trade.slug, trade.colour, trade.description) == (
        "trade-and-sanctions",
        "#0f7c8c",
        "Tariffs too.",
    )
    with pytest.raises(ValidationError):
        theme_update(
            theme=trade, name="Trade", description="", guiding_question="", colour="#ffff00"
        )


def test_the_database_keeps_names_colours_and_slugs_sound(world) -> None:
    for fields in (
        {"name": ""},
        {"colour": "red"},
        {"colour": "#1F77B4"},
        {"slug": world.themes[0].slug},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ThemeFactory(seminar=world.seminar, **{"name": "New", "slug": "new", **fields})


# Ordering ---------------------------------------------------------------------------------


def test_moving_renumbers_the_codebook_and_stops_at_either_end(world) -> None:
    energy = theme_create(seminar=world.seminar, name="Energy")
    theme_move(theme=energy, offset=-1)
    assert names(world) == ["Trade", "Energy", "Security"]
    theme_move(theme=energy, offset=-5)
    assert names(world) == ["Energy", "Trade", "Security"]
    theme_move(theme=energy, offset=-1)
    assert names(world) == ["Energy", "Trade", "Security"]
    positions = list(
        Theme.objects.filter(seminar=world.seminar)
        .order_by("position")
        .values_list("position", flat=True)
    )
    assert positions == [0, 1, 2]


# Retiring, restoring, merging -------------------------------------------------------------


def test_retiring_keeps_the_tags_and_restoring_takes_new_ones_again(world, passages) -> None:
    trade = world.themes[0]
    kept = tag(world.key, trade, passages[0])
    theme_retire(theme=trade)
    assert not trade.is_active
    assert Tag.objects.get(pk=kept.pk).theme == trade
    with pytest.raises(ValidationError, match="retired"):
        tag(world.key, trade, passages[1])
    theme_restore(theme=trade)
    assert trade.is_active
    tag(world.key, trade, passages[1])
    assert trade.tags.count() == 2


def test_merging_moves_tags_and_summaries_and_retires_the_source(world, passages) -> None:
    trade, security = world.themes
    tag(world.key, trade, passages[0])
    tag(world.student_set, trade, passages[1], stance=SUPPORTS)
    PositionSummary.objects.create(
        annotation_set=world.key, theme=trade, document=world.documents[0], text="On trade."
    )

    moved = theme_merge(source=trade, target=security)

    assert moved == 2
    assert not trade.tags.exists()
    assert security.tags.count() == 2
    assert security.tags.get(annotation_set=world.student_set).stance == SUPPORTS
    assert PositionSummary.objects.get().theme == security
    trade.refresh_from_db()
    assert not trade.is_active and trade.merged_into == security


def test_merging_where_a_set_has_the_passage_under_both_themes_leaves_one_tag(
    world, passages
) -> None:
    trade, security = world.themes
    passage = passages[0]
    tag(world.key, trade, passage, stance=OPPOSES, note="Tariffs as pressure.")
    tag(world.key, security, passage, note="Deterrence.")
    # A quote span is a different tag from the passage-level one, and keeps its own identity.
    span = tag(world.key, trade, passage, span=(0, 3))
    PositionSummary.objects.create(
        annotation_set=world.key, theme=trade, document=world.documents[0], text="Trade view."
    )
    PositionSummary.objects.create(
        annotation_set=world.key, theme=security, document=world.documents[0], text="Security."
    )

    moved = theme_merge(source=trade, target=security)

    assert moved == 2
    passage_level = Tag.objects.get(annotation_set=world.key, passage=passage, span_end=0)
    assert passage_level.theme == security
    assert passage_level.note == "Deterrence.\nTariffs as pressure."
    assert passage_level.stance == OPPOSES
    assert Tag.objects.get(pk=span.pk).theme == security
    assert Tag.objects.filter(annotation_set=world.key).count() == 2
    summary = PositionSummary.objects.get(annotation_set=world.key)
    assert summary.theme == security and summary.text == "Security.\n\nTrade view."


def test_a_theme_merges_only_into_another_theme_of_its_seminar(world) -> None:
    trade = world.themes[0]
    with pytest.raises(ValidationError):
        theme_merge(source=trade, target=trade)
    with pytest.raises(ValidationError):
        theme_merge(source=trade, target=ThemeFactory(name="Elsewhere"))
    trade.refresh_from_db()
    assert trade.is_active


def test_restoring_a_merged_theme_forgets_the_merge_but_not_the_moved_tags(world, passages) -> None:
    trade, security = world.themes
    moved = tag(world.key, trade, passages[0])
    theme_merge(source=trade, target=security)
    theme_restore(theme=trade)
    trade.refresh_from_db()
    assert trade.is_active and trade.merged_into is None
    assert Tag.objects.get(pk=moved.pk).theme == security


def test_a_theme_with_tags_cannot_be_deleted(world, passages) -> None:
    trade, security = world.themes
    tag(world.key, trade, passages[0])
    with pytest.raises(RestrictedError), transaction.atomic():
        trade.delete()
    assert Theme.objects.filter(pk=trade.pk).exists()
    assert trade.tags.count() == 1
    # Without tags nothing is lost, and the database lets it go (the UI still never offers it).
    security.delete()
    assert names(world) == ["Trade"]


def test_a_theme_needs_a_name_that_is_more_than_spaces(world) -> None:
    with pytest.raises(ValidationError, match="A theme needs a name."):
        theme_create(seminar=world.seminar, name="   ")
    with pytest.raises(ValidationError, match="A theme needs a name."):
        theme_update(
            theme=world.themes[0], name=" ", description="", guiding_question="", colour=""
        )
    assert names(world) == ["Trade", "Security"]
