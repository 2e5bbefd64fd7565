"""Theme names that differ only in how a letter is written: the Kelvin sign for K, full-width
letters, case outside ASCII. The active-name index compares names by the database's lower();
the codebook refuses at least what the index would refuse, with a message, on SQLite and on
PostgreSQL alike, and never answers with a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from annotations.interchange.imports.matching import Quote
from annotations.interchange.imports.records import (
    IncomingTag,
    IncomingTheme,
    ParsedFile,
    ReadingHint,
)
from annotations.interchange.services import annotation_set_import, codebook_import
from annotations.models import Theme
from annotations.services import theme_create, theme_restore
from tests.clients import client_for
from tests.factories import seminar_world

pytestmark = pytest.mark.django_db

KELVIN = "Reverse \u212aissinger"  # KELVIN SIGN, which lower() turns into a plain k


def _names(world) -> list[str]:
    return sorted(
        Theme.objects.active().filter(seminar=world.seminar).values_list("name", flat=True)
    )


@pytest.mark.parametrize(
    ("existing", "typed"),
    [
        ("Reverse Kissinger", KELVIN),
        ("Reverse Kissinger", "Ｒｅｖｅｒｓｅ Ｋｉｓｓｉｎｇｅｒ"),  # full-width letters
        ("émigré voices", "ÉMIGRÉ VOICES"),  # case outside ASCII, which SQLite's lower() keeps
    ],
    ids=["kelvin", "full-width", "accented-case"],
)
def test_a_name_written_with_other_letters_is_refused_as_a_duplicate(existing, typed) -> None:
    world = seminar_world()
    theme_create(seminar=world.seminar, name=existing)
    response = client_for(world.instructor).post(
        reverse("annotations:theme_list", args=[world.seminar.pk]),
        {"name": typed, "colour": "#1a7f5a"},
    )
    assert response.status_code == 200
    assert "The theme was not added:" in response.content.decode()
    assert "The codebook already has a theme called" in response.content.decode()
    assert _names(world) == sorted(["Trade", "Security", existing])


def test_renaming_to_the_kelvin_spelling_of_another_theme_is_refused() -> None:
    world = seminar_world()
    theme_create(seminar=world.seminar, name="Reverse Kissinger")
    trade = world.themes[0]
    response = client_for(world.instructor).post(
        reverse("annotations:theme_edit", args=[world.seminar.pk, trade.pk]),
        {"name": KELVIN, "colour": trade.colour},
    )
    assert response.status_code == 200
    assert "already has a theme called" in response.content.decode()
    trade.refresh_from_db()
    assert trade.name == "Trade"


def test_a_kelvin_sign_alone_is_stored_as_the_letter_it_looks_like() -> None:
    world = seminar_world()
    response = client_for(world.instructor).post(
        reverse("annotations:theme_list", args=[world.seminar.pk]),
        {"name": KELVIN, "colour": "#1a7f5a"},
    )
    assert response.status_code == 302
    assert "Reverse Kissinger" in _names(world)
    with pytest.raises(ValidationError, match="already has a theme called"):
        theme_create(seminar=world.seminar, name="reverse kissinger")


def test_restoring_a_retired_theme_whose_name_is_now_taken_is_refused() -> None:
    world = seminar_world()
    # Written before names were normalised: the retired theme keeps its Kelvin sign.
    retired = Theme.objects.create(
        seminar=world.seminar,
        name=KELVIN,
        slug="old",
        colour="#1a7f5a",
        retired_at="2026-01-01T00:00Z",
    )
    theme_create(seminar=world.seminar, name="Reverse Kissinger")
    with pytest.raises(ValidationError, match="rename one first"):
        theme_restore(theme=retired)
    retired.refresh_from_db()
    assert retired.retired_at is not None


def test_a_codebook_file_with_the_kelvin_spelling_joins_the_theme_it_names() -> None:
    world = seminar_world()
    theme_create(seminar=world.seminar, name="Reverse Kissinger")
    report = codebook_import(
        seminar=world.seminar,
        parsed=ParsedFile(format="REFI-QDA codebook", themes=[IncomingTheme(KELVIN)]),
    )
    assert report.existing == [KELVIN] and report.created == []
    assert _names(world) == ["Reverse Kissinger", "Security", "Trade"]


def test_an_import_naming_a_theme_only_the_database_folds_together_is_not_a_500() -> None:
    """PostgreSQL's lower() turns a dotted capital İ into i, which Unicode case folding does not:
    there the annotation waits as an orphan with the reason; SQLite's index sees two names."""
    world = seminar_world()
    theme_create(seminar=world.seminar, name="istanbul")
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    assert passage is not None
    parsed = ParsedFile(
        format="W3C Web Annotation",
        tags=[
            IncomingTag(
                ref="annotation 1",
                quote=Quote(exact=passage.text[:20]),
                reading=ReadingHint(content_hash=world.documents[0].content_hash),
                themes=("İstanbul",),
            )
        ],
    )
    report = annotation_set_import(
        seminar=world.seminar, owner=world.instructor, title="In", parsed=parsed, create_themes=True
    )
    if connection.vendor == "postgresql":
        assert [o.reason for o in report.orphans] == [
            "The codebook already has a theme called “İstanbul”."
        ]
    else:
        assert report.themes_created == ["İstanbul"] and report.imported == 1
