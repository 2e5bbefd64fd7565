"""Spreadsheet formula injection in every CSV the app writes: a cell is a formula to Excel or
LibreOffice when it starts with = + - @, and a spreadsheet whose list separator is not the
CSV's (";" in much of Europe, or a tab) splits a cell there, so a trigger after any separator
starts a formula too: `x;=cmd|' /C calc'!A0`."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from annotations.interchange.exports.csv import spreadsheet_safe
from annotations.models import Tag, Theme
from tests.clients import client_for
from tests.factories import TagFactory, seminar_world

PAYLOAD = "x;=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        (PAYLOAD, "x;'=cmd|' /C calc'!A0"),
        ("=1+1", "'=1+1"),
        ("a,+1", "a,'+1"),
        ("a\t-1", "a\t'-1"),
        ("a; @SUM(A1)", "a; '@SUM(A1)"),
        ('a;"=1', "a;\"'=1"),
        ("first line\n=2+3", "first line\n'=2+3"),
        ("  =1", "'  =1"),
        ("\t=1", "'\t'=1"),
    ],
)
def test_a_formula_trigger_at_the_start_or_after_any_separator_is_neutralised(cell, safe) -> None:
    assert spreadsheet_safe(cell) == safe


@pytest.mark.parametrize("cell", ["pros; cons", "1990-2000", "a=b", "mail@example.org", "", 7])
def test_cells_without_a_trigger_after_a_separator_are_left_alone(cell) -> None:
    assert spreadsheet_safe(cell) == cell


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.django_db
def test_the_tag_csv_guards_a_note_with_a_formula_after_a_semicolon() -> None:
    world = seminar_world()
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    TagFactory(
        annotation_set=world.student_set, passage=passage, theme=world.themes[0], note=PAYLOAD
    )
    url = reverse(
        "annotations:set_export",
        args=[world.seminar.pk, world.student_set.pk, "csv"],
    )
    response = client_for(world.student).get(url)
    assert response.status_code == 200
    rows = _rows(response.content)
    assert rows[1][4] == "x;'=cmd|' /C calc'!A0"
    assert ";=" not in response.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_the_agreement_csv_guards_every_name_cell() -> None:
    world = seminar_world()
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    TagFactory(annotation_set=world.student_set, passage=passage, theme=world.themes[0])
    Theme.objects.filter(pk=world.themes[0].pk).update(name="Trade;=1+1")
    world.student.first_name, world.student.last_name = "Sam,", "-2+3"
    world.student.save()
    response = client_for(world.instructor).get(
        reverse("annotations:agreement", args=[world.seminar.pk]) + "?format=csv"
    )
    assert response.status_code == 200
    header, *rows = _rows(response.content)
    assert "Sam, '-2+3: passages tagged" in header
    assert rows[0][0] == "Trade;'=1+1"
    assert Tag.objects.count() == 1
