"""Replacing a reading with a better file of the same text: every tag to its words, or listed."""

from __future__ import annotations

import pytest

from annotations.models import Tag
from readings.corrections.follow import OrphansFound
from readings.corrections.services import document_replace
from readings.models import PendingImport
from readings.services import pending_import_create
from tests.readings.corrections.world import SOURCE, assert_laid_out, quotes, tagged_reading

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading():
    return tagged_reading()


def _pending(reading, text: str) -> PendingImport:
    return pending_import_create(
        owner=reading.world.instructor, text=text, original_format="md", original_filename="a.md"
    )


def test_every_tag_moves_to_the_passage_holding_its_quote(reading) -> None:
    document = reading.document
    before = {pk: words for pk, (_, words) in quotes(document).items()}
    # The old file lost a paragraph before "Alliances..." and one at the end.
    better = (
        SOURCE.replace("Alliances deter", "A paragraph the old file lost.\n\nAlliances deter")
        + "\nA closing paragraph the old file lost too.\n"
    )
    pending = _pending(reading, better)

    done = document_replace(document=document, pending=pending)

    assert_laid_out(document)
    after = quotes(document)
    assert {pk: words for pk, (_, words) in after.items()} == before
    assert after[reading.tags["entangle"].pk] == ("¶ 4", "entangle their members")
    assert after[reading.tags["whole2"].pk][0] == "¶ 2"
    assert Tag.objects.get(pk=reading.tags["whole2"].pk).is_span is False
    assert "The text was replaced: 8 passages (there were 6)" in done.message
    assert "its 5 tags went to the passages" in done.message
    assert not PendingImport.objects.filter(pk=pending.pk).exists()
    document.refresh_from_db()
    assert document.original_format == "md"


def test_a_whole_passage_tag_whose_passage_is_now_two_is_an_orphan(reading) -> None:
    document = reading.document
    pending = _pending(reading, SOURCE.replace("friends. They cost", "friends.\n\nThey cost"))
    with pytest.raises(OrphansFound) as found:
        document_replace(document=document, pending=pending)
    assert found.value.orphans == [
        "Key (Trade) on “Tariffs are a tax on friends. They cost consumers most, a…” (¶ 2)"
    ]
    assert "1 tag of the old text cannot be placed" in found.value.message


def test_orphans_are_listed_and_removed_only_when_confirmed(reading) -> None:
    document = reading.document
    old_text = document.text
    changed = SOURCE.replace(
        "Alliances deter aggression. They also entangle their members in distant quarrels.",
        "Something else entirely is said here now.",
    )
    pending = _pending(reading, changed)

    with pytest.raises(OrphansFound) as found:
        document_replace(document=document, pending=pending)
    assert len(found.value.orphans) == 1
    assert "“entangle their members”" in found.value.orphans[0]
    assert "(¶ 3)" in found.value.orphans[0]
    document.refresh_from_db()
    assert document.text == old_text  # nothing changed
    assert Tag.objects.filter(pk=reading.tags["entangle"].pk).exists()

    with pytest.raises(OrphansFound):
        document_replace(document=document, pending=pending, orphans_confirmed=2)

    done = document_replace(document=document, pending=pending, orphans_confirmed=1)
    assert "Orphans removed (1)" in done.message and "entangle their members" in done.message
    assert not Tag.objects.filter(pk=reading.tags["entangle"].pk).exists()
    assert Tag.objects.filter(passage__document=document).count() == 4
    assert_laid_out(document)


def test_a_dry_run_says_what_would_happen_and_keeps_nothing(reading) -> None:
    document = reading.document
    old_text = document.text
    pending = _pending(reading, SOURCE + "\nOne more paragraph.\n")
    done = document_replace(document=document, pending=pending, dry_run=True)
    assert "The new text would have 7 passages (there are 6)" in done.message
    document.refresh_from_db()
    assert document.text == old_text
    assert PendingImport.objects.filter(pk=pending.pk).exists()
    assert quotes(document)[reading.tags["both"].pk] == ("¶ 4", "both matter")


def test_a_small_change_in_quoted_words_is_anchored_fuzzily_and_named(reading) -> None:
    document = reading.document
    pending = _pending(reading, SOURCE.replace("entangle their members", "entangle its members"))
    done = document_replace(document=document, pending=pending)
    entangle = Tag.objects.get(pk=reading.tags["entangle"].pk)
    assert "its members" in entangle.passage.text[entangle.span_start : entangle.span_end]
    assert "Tags re-anchored" in done.message


def test_a_text_replaced_by_a_scan_records_the_ocr_engine_and_a_typed_one_clears_it(
    reading,
) -> None:
    document = reading.document
    scanned = pending_import_create(
        owner=reading.world.instructor,
        text=SOURCE + "\nOne more.\n",
        original_format="pdf",
        original_filename="scan.pdf",
        ocr_engine="Tesseract 5.5.4 (eng)",
    )
    document_replace(document=document, pending=scanned)
    document.refresh_from_db()
    assert (document.ocr_engine, document.original_filename) == (
        "Tesseract 5.5.4 (eng)",
        "scan.pdf",
    )
    document_replace(document=document, pending=_pending(reading, SOURCE))
    document.refresh_from_db()
    assert (document.ocr_engine, document.original_filename) == ("", "a.md")
