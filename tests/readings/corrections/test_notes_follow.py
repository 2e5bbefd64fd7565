"""Footnotes follow the text that calls them through every correction: none is lost with a
passage that goes (a merge, a drop), and a better file brings its own."""

from __future__ import annotations

import pytest

from readings.corrections.services import (
    document_replace,
    passage_drop,
    passage_merge,
    passage_split,
)
from readings.models import Note
from readings.services import pending_import_create
from tests.readings.corrections.world import SOURCE, assert_laid_out, passage, tagged_reading

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading():
    reading = tagged_reading()
    document = reading.document
    for number, label in ((1, "¶ 2"), (2, "¶ 4")):
        Note.objects.create(
            document=document,
            passage=passage(document, label),
            number=number,
            text=f"Footnote {number}.",
        )
    return reading


def _notes(document) -> dict[int, tuple[str, str]]:
    return {
        n.number: (n.passage.label, n.text)
        for n in Note.objects.filter(document=document).select_related("passage")
    }


def test_a_merge_takes_the_second_passage_s_notes_to_the_merged_one(reading) -> None:
    document = reading.document
    done = passage_merge(document=document, passage_id=passage(document, "¶ 1").pk)
    assert_laid_out(document)
    assert _notes(document) == {1: ("¶ 1", "Footnote 1."), 2: ("¶ 3", "Footnote 2.")}
    assert "1 footnote moved with the text that calls them." in done.message


def test_a_dropped_passage_leaves_its_notes_with_the_passage_before_it(reading) -> None:
    document = reading.document
    stray = passage(document, "¶ 4")
    reading.tags["both"].delete()  # a drop is for untagged passages
    done = passage_drop(document=document, passage_id=stray.pk)
    assert_laid_out(document)
    assert _notes(document) == {1: ("¶ 2", "Footnote 1."), 2: ("¶ 3", "Footnote 2.")}
    assert "footnote moved" in done.message


def test_a_split_keeps_the_notes_on_the_first_half(reading) -> None:
    document = reading.document
    p2 = passage(document, "¶ 2")
    reading.tags["whole2"].delete()
    passage_split(document=document, passage_id=p2.pk, at=p2.text.index("They cost"))
    assert_laid_out(document)
    notes = _notes(document)
    assert notes[1] == ("¶ 2", "Footnote 1.")
    assert passage(document, "¶ 2").text.startswith("Tariffs are a tax on friends.")


def test_a_better_file_brings_its_own_notes(reading) -> None:
    document = reading.document
    better = SOURCE.replace("in kind.", "in kind.\ue0001\ue001")
    pending = pending_import_create(
        owner=reading.world.instructor,
        text=better,
        original_format="md",
        original_filename="a.md",
        notes=("The new file's only note.",),
    )
    done = document_replace(document=document, pending=pending)
    assert_laid_out(document)
    assert _notes(document) == {1: ("¶ 2", "The new file's only note.")}
    assert "Footnotes: 1 from the new file (the old text had 2)." in done.message
