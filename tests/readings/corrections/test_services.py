"""Each correction keeps the text's invariant, every tag on its words, and says what moved."""

from __future__ import annotations

import pytest

from annotations.models import DiscussionPick, Tag
from readings.corrections.follow import CorrectionRefused
from readings.corrections.services import (
    document_delete,
    document_metadata_update,
    passage_kind_set,
    passage_merge,
    passage_split,
    passage_text_fix,
)
from readings.models import Document, Passage, Seminar, SeminarReading
from readings.services import DocumentMetadata
from tests.readings.corrections.world import (
    assert_laid_out,
    passage,
    quote_tag,
    quotes,
    tagged_reading,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reading():
    return tagged_reading()


def _revision(reading) -> int:
    return Seminar.objects.get(pk=reading.world.seminar.pk).revision


def test_merge_keeps_every_tag_on_its_words_and_renumbers(reading) -> None:
    document = reading.document
    before = quotes(document)
    revision = _revision(reading)

    done = passage_merge(document=document, passage_id=passage(document, "¶ 1").pk)

    assert_laid_out(document)
    after = quotes(document)
    assert {pk: words for pk, (_, words) in after.items()} == {
        pk: words for pk, (_, words) in before.items()
    }
    assert after[reading.tags["friends"].pk][0] == "¶ 1"  # moved with the second passage
    assert after[reading.tags["entangle"].pk][0] == "¶ 2"
    merged = passage(document, "¶ 1")
    assert merged.text.startswith("Trade binds") and merged.text.endswith("retaliation in kind.")
    assert "¶ 1 and ¶ 2 are now one passage, ¶ 1." in done.message
    assert "¶ 3 is now ¶ 2." in done.message and "¶ 4 is now ¶ 3." in done.message
    assert "¶ 2 is now part of ¶ 1." in done.message
    assert _revision(reading) > revision


def test_merge_turns_a_whole_passage_tag_into_a_quote_of_the_same_words(reading) -> None:
    document = reading.document
    whole = reading.tags["whole2"]
    text = whole.passage.text

    passage_merge(document=document, passage_id=passage(document, "¶ 1").pk)

    whole.refresh_from_db()
    assert whole.is_span
    assert whole.passage.text[whole.span_start : whole.span_end] == text


def test_merge_of_the_last_passage_is_refused_and_changes_nothing(reading) -> None:
    document = reading.document
    text = document.text
    with pytest.raises(CorrectionRefused, match="last passage"):
        passage_merge(document=document, passage_id=passage(document, "¶ 4").pk)
    document.refresh_from_db()
    assert document.text == text


def test_merge_into_an_untaggable_passage_that_would_hide_tags_is_refused(reading) -> None:
    document = reading.document
    heading = passage(document, "§ 1")
    with pytest.raises(CorrectionRefused, match="make § 1 a paragraph first"):
        passage_merge(document=document, passage_id=heading.pk)
    assert passage(document, "§ 1").text == "Security"


def test_split_takes_each_tag_to_the_half_holding_its_quote(reading) -> None:
    document = reading.document
    p2 = passage(document, "¶ 2")
    later = quote_tag(reading.world.student_set, reading.world.themes[1], p2, "consumers most")
    before = quotes(document)
    at = p2.text.index("They cost")

    done = passage_split(document=document, passage_id=p2.pk, at=at)

    assert_laid_out(document)
    after = quotes(document)
    assert after[reading.tags["friends"].pk] == ("¶ 2", "a tax on friends")
    assert after[later.pk] == ("¶ 3", "consumers most")
    assert after[reading.tags["entangle"].pk] == ("¶ 4", "entangle their members")
    assert passage(document, "¶ 3").text.startswith("They cost consumers most")
    assert passage(document, "¶ 2").text == "Tariffs are a tax on friends."
    # The whole-passage tag stays with the first half, whole.
    assert after[reading.tags["whole2"].pk] == ("¶ 2", "Tariffs are a tax on friends.")
    assert {words for _, words in after.values()} >= {
        w for label, w in before.values() if label != "¶ 2"
    }
    assert "¶ 2 is now two passages, ¶ 2 and ¶ 3." in done.message
    assert "¶ 3 is now ¶ 4." in done.message


def test_split_inside_a_quote_is_refused_and_changes_nothing(reading) -> None:
    document = reading.document
    p2 = passage(document, "¶ 2")
    text, count = document.text, Passage.objects.filter(document=document).count()
    with pytest.raises(CorrectionRefused, match="a tax on friends"):
        passage_split(document=document, passage_id=p2.pk, at=p2.text.index("on friends"))
    document.refresh_from_db()
    assert document.text == text
    assert Passage.objects.filter(document=document).count() == count
    assert quotes(document)[reading.tags["friends"].pk] == ("¶ 2", "a tax on friends")


@pytest.mark.parametrize("at", [0, -1, 10_000, 1])
def test_split_at_an_end_or_outside_is_refused(reading, at) -> None:
    document = reading.document
    p4 = passage(document, "¶ 4")
    with pytest.raises(CorrectionRefused, match="words on both sides"):
        passage_split(document=document, passage_id=p4.pk, at=len(p4.text) if at == 1 else at)
    assert_laid_out(document)


def test_kind_change_renumbers_the_labels_and_says_so(reading) -> None:
    document = reading.document
    first = passage(document, "Front matter 1")

    done = passage_kind_set(document=document, passage_id=first.pk, kind="paragraph")

    assert_laid_out(document)
    assert passage(document, "¶ 1").text == "Trade Ties"
    assert quotes(document)[reading.tags["both"].pk] == ("¶ 5", "both matter")
    assert "Front matter 1 is now a paragraph, ¶ 1." in done.message
    assert "¶ 4 is now ¶ 5." in done.message


def test_not_part_of_the_text_is_excluded_from_the_body_count(reading) -> None:
    document = reading.document
    untagged = passage(document, "§ 1")
    passage_kind_set(document=document, passage_id=untagged.pk, kind="not_text")
    untagged.refresh_from_db()
    assert (untagged.label, untagged.anchor, untagged.is_body) == ("Not text 1", "x1", False)
    assert document.text[untagged.start : untagged.end] == "Security"


def test_a_tagged_passage_cannot_be_taken_out_of_the_text(reading) -> None:
    document = reading.document
    p2 = passage(document, "¶ 2")
    with pytest.raises(CorrectionRefused, match="¶ 2 has 2 tags"):
        passage_kind_set(document=document, passage_id=p2.pk, kind="not_text")
    p2.refresh_from_db()
    assert p2.kind == "paragraph"


def test_unknown_kind_is_refused(reading) -> None:
    document = reading.document
    with pytest.raises(CorrectionRefused, match="kinds listed"):
        passage_kind_set(document=document, passage_id=passage(document, "¶ 1").pk, kind="x")


def test_text_fix_shifts_tags_and_names_those_whose_words_changed(reading) -> None:
    document = reading.document
    p2 = passage(document, "¶ 2")
    fixed = p2.text.replace("Tariffs are", "Tariffs, in short, are").replace("friends", "frends")

    done = passage_text_fix(document=document, passage_id=p2.pk, text=fixed)

    assert_laid_out(document)
    friends = reading.tags["friends"]
    friends.refresh_from_db()
    assert friends.passage.text[friends.span_start : friends.span_end] == "a tax on frends"
    assert "Tags re-anchored" in done.message and "“a tax on frends”" in done.message
    # Later passages moved in the text; their tags did not move in their passage.
    assert quotes(document)[reading.tags["both"].pk] == ("¶ 4", "both matter")


def test_text_fix_that_deletes_a_quote_is_refused(reading) -> None:
    document = reading.document
    p2 = passage(document, "¶ 2")
    with pytest.raises(CorrectionRefused, match="would lose"):
        passage_text_fix(
            document=document, passage_id=p2.pk, text=p2.text.replace("a tax on friends", "")
        )
    p2.refresh_from_db()
    assert "a tax on friends" in p2.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "cannot be empty"),
        ("   \n ", "cannot be empty"),
        ("One.\n\nTwo.", "blank line"),
        ("x" * 20_001, "at most 20,000"),
    ],
)
def test_bad_text_is_refused_and_changes_nothing(reading, text, message) -> None:
    document = reading.document
    before = document.text
    with pytest.raises(CorrectionRefused, match=message):
        passage_text_fix(document=document, passage_id=passage(document, "¶ 1").pk, text=text)
    document.refresh_from_db()
    assert document.text == before


def test_hostile_html_is_kept_as_text(reading) -> None:
    document = reading.document
    p1 = passage(document, "¶ 1")
    passage_text_fix(document=document, passage_id=p1.pk, text="<script>alert(1)</script> x")
    assert_laid_out(document)
    assert passage(document, "¶ 1").text == "<script>alert(1)</script> x"


def test_metadata_update_saves_the_title_block(reading) -> None:
    document = reading.document
    revision = _revision(reading)
    done = document_metadata_update(
        document=document,
        metadata=DocumentMetadata(title="Trade and Ties", authors=["A. B. Author"]),
    )
    document.refresh_from_db()
    assert (document.title, document.authors) == ("Trade and Ties", ["A. B. Author"])
    assert "“Trade and Ties”" in done.message
    assert _revision(reading) > revision
    with pytest.raises(CorrectionRefused, match="title"):
        document_metadata_update(document=document, metadata=DocumentMetadata(title="  "))


def test_a_picked_passage_stays_picked_when_merged(reading) -> None:
    document = reading.document
    p2 = passage(document, "¶ 2")
    pick = DiscussionPick.objects.create(
        theme=reading.world.themes[0], passage=p2, added_by=reading.world.instructor
    )
    passage_merge(document=document, passage_id=passage(document, "¶ 1").pk)
    pick.refresh_from_db()
    assert pick.passage == passage(document, "¶ 1")


def test_delete_is_refused_while_a_seminar_reads_it_unless_the_tags_are_confirmed(
    reading,
) -> None:
    document = reading.document
    with pytest.raises(CorrectionRefused, match="5 tags"):
        document_delete(document=document)
    with pytest.raises(CorrectionRefused):
        document_delete(document=document, confirmed_tags=4)
    assert Document.objects.filter(pk=document.pk).exists()

    message = document_delete(document=document, confirmed_tags=5)

    assert message == "“Trade Ties” was deleted, with its 5 tags."
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not SeminarReading.objects.filter(document_id=document.pk).exists()
    assert Tag.objects.filter(annotation_set=reading.world.key).count() == 0


def test_a_reading_no_seminar_uses_is_deleted_without_asking(reading) -> None:
    document = reading.world.documents[1]
    SeminarReading.objects.filter(document=document).delete()
    assert document_delete(document=document) == "“Second Reading” was deleted."


def test_drop_removes_an_untagged_passage_and_renumbers(reading) -> None:
    from readings.corrections.services import passage_drop

    document = reading.document
    heading = passage(document, "§ 1")
    done = passage_drop(document=document, passage_id=heading.pk)
    assert_laid_out(document)
    assert "Security" not in document.text
    assert done.message == "§ 1 was dropped."
    assert not Passage.objects.filter(pk=heading.pk).exists()


def test_drop_of_a_tagged_passage_is_refused(reading) -> None:
    from readings.corrections.services import passage_drop

    document = reading.document
    p2 = passage(document, "¶ 2")
    with pytest.raises(CorrectionRefused, match="not part of the text"):
        passage_drop(document=document, passage_id=p2.pk)
    assert Passage.objects.filter(pk=p2.pk).exists()
    assert quotes(document)[reading.tags["friends"].pk] == ("¶ 2", "a tax on friends")
