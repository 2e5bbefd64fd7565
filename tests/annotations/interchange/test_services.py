"""Importing annotations and codebooks at their edges: duplicates, typos, quotes across passages,
annotations that name no theme, and themes the seminar already has."""

from __future__ import annotations

import pytest

from annotations.interchange.imports.matching import Quote
from annotations.interchange.imports.records import (
    ImportRejected,
    IncomingTag,
    IncomingTheme,
    ParsedFile,
    ReadingHint,
)
from annotations.interchange.services import annotation_set_import, codebook_import
from annotations.models import Tag, Theme
from readings.models import Passage
from tests.factories import SeminarWorld, seminar_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> SeminarWorld:
    return seminar_world()


def _paragraphs(world: SeminarWorld) -> list[Passage]:
    return list(world.documents[0].passages.filter(kind="paragraph").order_by("position"))


def _incoming(
    exact: str, *themes: str, ref: str = "a1", note: str = "", stance: str = ""
) -> IncomingTag:
    return IncomingTag(
        ref=ref, quote=Quote(exact), reading=ReadingHint(), themes=themes, note=note, stance=stance
    )


def _import(world: SeminarWorld, *tags: IncomingTag, **options):
    parsed = ParsedFile(format="test", tags=list(tags))
    return annotation_set_import(
        seminar=world.seminar, owner=world.student, title="Imported", parsed=parsed, **options
    )


def test_two_annotations_of_the_same_words_and_theme_become_one_tag(world) -> None:
    text = _paragraphs(world)[0].text
    report = _import(
        world,
        _incoming(text, "Trade", ref="a1", note="First thought.", stance="supports"),
        _incoming(text, "Trade", ref="a2", note="Second thought.", stance="opposes"),
    )
    assert (report.imported, report.merged, report.orphans) == (1, 1, [])
    tag = Tag.objects.get(annotation_set=report.annotation_set)
    assert tag.note == "First thought.\n\nSecond thought."
    assert tag.stance == "supports"  # the first annotation's stance stands


def test_a_quote_with_a_typo_is_found_approximately_and_counted(world) -> None:
    text = _paragraphs(world)[0].text
    typo = text.replace("paragraph", "paragrpah", 1)
    assert typo != text
    report = _import(world, _incoming(typo, "Trade"))
    assert (report.imported, report.fuzzy) == (1, 1)


def test_a_quote_across_two_passages_is_an_orphan_with_the_reason(world) -> None:
    first, second = _paragraphs(world)[:2]
    text = world.documents[0].text
    across = text[first.end - 12 : second.start + 12]
    report = _import(world, _incoming(across, "Trade"))
    assert report.imported == 0
    (orphan,) = report.orphans
    assert "crosses from one passage into" in orphan.reason


def test_an_annotation_naming_no_theme_needs_a_default_theme(world) -> None:
    text = _paragraphs(world)[0].text
    without = _import(world, _incoming(text))
    assert without.imported == 0
    assert "names no theme" in without.orphans[0].reason
    with_default = _import(world, _incoming(text), default_theme=world.themes[1])
    assert with_default.imported == 1
    tag = Tag.objects.get(annotation_set=with_default.annotation_set)
    assert tag.theme == world.themes[1]


def test_a_codebook_theme_the_seminar_cannot_take_rejects_the_whole_file(world) -> None:
    # "Trade " is another name to the file, but the same theme once its spaces are trimmed.
    parsed = ParsedFile(format="test", themes=[IncomingTheme("Ethics"), IncomingTheme("Trade ")])
    with pytest.raises(ImportRejected, match="already has a theme called “Trade”"):
        codebook_import(seminar=world.seminar, parsed=parsed)
    assert not Theme.objects.filter(seminar=world.seminar, name="Ethics").exists()
