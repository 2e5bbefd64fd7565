"""A reading's footnotes and endnotes in the reader: under the passage that calls them, opened
on demand (a <details> disclosure: keyboard usable, no script needed), never a passage."""

from __future__ import annotations

import re

import pytest

from readings.models import Note, Passage
from tests.clients import HTMX, client_for
from tests.factories import seminar_world

pytestmark = pytest.mark.django_db

PLAIN_AND_HTMX = pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])


def with_note(world) -> Passage:
    passage = Passage.objects.filter(
        document=world.documents[0], kind=Passage.Kind.PARAGRAPH
    ).first()
    assert passage is not None
    Note.objects.create(
        document=passage.document, passage=passage, number=1, text="Ames, The Haste, p. 4."
    )
    return passage


def reader_url(world, annotation_set=None) -> str:
    annotation_set = annotation_set or world.student_set
    return f"/seminars/{world.seminar.pk}/sets/{annotation_set.pk}/read/{world.documents[0].pk}/"


def passage_markup(html: str, anchor: str) -> str:
    match = re.search(rf'<article id="{anchor}".*?</article>', html, re.S)
    assert match, f"no passage {anchor}"
    return match.group(0)


@PLAIN_AND_HTMX
def test_a_passage_shows_its_note_behind_a_disclosure(headers) -> None:
    world = seminar_world()
    passage = with_note(world)
    response = client_for(world.student).get(reader_url(world), headers=headers)
    assert response.status_code == 200
    markup = passage_markup(response.content.decode(), passage.anchor)
    assert re.search(
        r'<details class="note" id="[^"]+-note1"><summary>Note 1<span class="visually-hidden">'
        r" of ¶ \d+</span></summary><p>Ames, The Haste, p. 4.</p></details>",
        markup,
    )
    # The note is not part of the passage's text, and no other passage carries it.
    text = re.search(r'<p class="passage-text">.*?</p>', markup, re.S)
    assert text and "Ames" not in text.group(0)
    assert response.content.decode().count("Ames, The Haste") == 1


@pytest.mark.parametrize(("who", "which"), [("instructor", "key"), ("student", "student_set")])
def test_members_who_may_read_the_set_see_the_note(who, which) -> None:
    world = seminar_world()
    with_note(world)
    response = client_for(getattr(world, who)).get(reader_url(world, getattr(world, which)))
    assert response.status_code == 200
    assert "Ames, The Haste, p. 4." in response.content.decode()


def test_an_outsider_and_another_student_see_no_note() -> None:
    world = seminar_world()
    with_note(world)
    outsider = client_for(world.outsider).get(reader_url(world))
    assert outsider.status_code == 404
    assert "Ames" not in outsider.content.decode()
    other = client_for(world.other_student).get(reader_url(world))  # sam's set: blind
    assert other.status_code == 404
    assert "Ames" not in other.content.decode()
    own = client_for(world.other_student).get(reader_url(world, world.other_student_set))
    assert own.status_code == 200 and "Ames, The Haste, p. 4." in own.content.decode()


def test_the_passage_fragment_keeps_its_note() -> None:
    world = seminar_world()
    passage = with_note(world)
    url = f"/seminars/{world.seminar.pk}/sets/{world.student_set.pk}/passages/{passage.pk}/"
    response = client_for(world.student).get(url, headers=HTMX)
    assert response.status_code == 200
    assert "<summary>Note 1" in response.content.decode()
    assert "Ames, The Haste, p. 4." in response.content.decode()
