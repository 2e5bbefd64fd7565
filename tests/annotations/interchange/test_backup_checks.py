"""A crafted backup is checked with the codebook's own rules before it is restored: a theme's
slug, its name (no two active themes alike, folded as the unique index folds them) and its
colour. Before, such files restored and then broke the seminar's pages with 500s."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from annotations.interchange.exports.backup import seminar_backup
from annotations.models import Theme
from readings.models import Seminar
from tests.factories import TagFactory, seminar_world
from tests.jobs.worker import finish_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = seminar_world()
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    TagFactory(annotation_set=world.key, passage=passage, theme=world.themes[0])
    return world


def _restore(world, change) -> tuple[Client, Any]:
    backup = seminar_backup(world.seminar)
    change(backup["themes"])
    client = Client()
    client.force_login(world.instructor)
    started = client.post(
        reverse("annotations:seminar_restore", args=[world.seminar.pk]),
        {"restore-file": SimpleUploadedFile("b.json", json.dumps(backup).encode())},
    )
    return client, finish_job(client, started)  # a worker restores it (issue 22)


def _set(index: int, **values):
    return lambda themes: themes[index].update(values)


def _kelvin_twins(themes) -> None:
    themes[0].update(name="Reverse Kissinger")
    themes[1].update(name="Reverse \u212aissinger")  # with a Kelvin sign for the K


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _set(0, slug="has space/and<slash>"),
            "theme 1 (“Trade”) has the web address “has space/and&lt;slash&gt;”",
        ),
        (_set(1, name="TRADE"), "themes 1 and 2 are both called “Trade”"),
        (_kelvin_twins, "themes 1 and 2 are both called “Reverse Kissinger”"),
        (_set(1, colour="red"), "theme 2 (“Security”): Choose a colour from the palette."),
        (_set(1, colour="#ffff00"), "does not give theme chips enough contrast"),
        (_set(0, name="x" * 81), "at most 80 characters"),
    ],
    ids=["slug", "same-name", "kelvin", "not-a-colour", "unreadable-colour", "long-name"],
)
def test_a_backup_with_a_theme_the_codebook_would_refuse_is_refused(world, change, message):
    _, response = _restore(world, change)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The backup cannot be restored:" in page
    assert message in page
    assert Seminar.objects.count() == 1


def test_a_colour_with_a_line_break_is_taken_as_the_form_takes_it(world) -> None:
    client, response = _restore(world, _set(0, colour="#1f77b4\n"))
    assert response.status_code == 200
    assert "Backup restored as" in response.content.decode()
    copy = Seminar.objects.exclude(pk=world.seminar.pk).get()
    theme = Theme.objects.get(seminar=copy, name="Trade")
    assert theme.colour == "#1f77b4"
    for url in (
        reverse("annotations:theme_list", args=[copy.pk]),
        reverse("annotations:compare", args=[copy.pk, theme.slug]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "Trade" in page.content.decode()


def test_retired_themes_may_share_a_name_with_an_active_one(world) -> None:
    def retire_a_second_trade(themes):
        themes.append(themes[0] | {"slug": "trade-old", "retired_at": "2026-01-01T00:00:00Z"})
        themes[-1]["picks"] = []

    client, response = _restore(world, retire_a_second_trade)
    assert response.status_code == 200
    assert "Backup restored as" in response.content.decode()
    copy = Seminar.objects.exclude(pk=world.seminar.pk).get()
    assert sorted(
        Theme.objects.filter(seminar=copy, name="Trade").values_list("slug", flat=True)
    ) == ["trade", "trade-old"]
