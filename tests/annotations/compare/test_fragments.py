"""What the compare page fetches: a passage's context, and a position summary edited in place."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

from annotations.models import AnnotationSet, PositionSummary
from annotations.services import position_summary_save
from readings.models import Passage
from tests.annotations.pages import body, plain, text_of
from tests.clients import HTMX, client_for
from tests.factories import DocumentFactory, SeminarFactory, ThemeFactory, seminar_world

pytestmark = pytest.mark.django_db


def context_url(world, passage: Passage, query: str = "") -> str:
    return f"/seminars/{world.seminar.pk}/compare/context/{passage.pk}/{query}"


def summary_url(world, annotation_set, theme=None, document=None) -> str:
    theme = theme or world.themes[0]
    document = document or world.documents[0]
    return (
        f"/seminars/{world.seminar.pk}/sets/{annotation_set.pk}/summaries/{theme.pk}/{document.pk}/"
    )


# Context ----------------------------------------------------------------------------------


def test_htmx_gets_the_passage_before_and_after_only() -> None:
    world = seminar_world()
    first, second, third = body(world)
    response = client_for(world.student).get(context_url(world, second), headers=HTMX)
    text = text_of(response)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert text.startswith("Before · ¶ 1 " + first.text)
    assert text.endswith("After · § 2 · Second part Second part")
    assert second.text not in text
    assert "HX-Request" in response["Vary"]


def test_the_context_page_without_javascript_shows_all_three_and_links_back() -> None:
    world = seminar_world()
    first, second, _ = body(world)
    back = f"/seminars/{world.seminar.pk}/compare/trade/?source=all&min=2"
    response = client_for(world.student).get(context_url(world, second, f"?back={quote(back)}"))
    text = text_of(response)
    assert "Context of Author & Writer, ¶ 2" in text
    assert text.index(first.text) < text.index(second.text)
    assert f'href="{back.replace("&", "&amp;")}#entry-{second.pk}"' in response.content.decode()
    assert "Read it in the full text" in text


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/", "/admin/"])
def test_the_back_link_only_ever_leads_to_a_compare_page(back: str) -> None:
    world = seminar_world()
    response = client_for(world.student).get(context_url(world, body(world)[0], f"?back={back}"))
    assert response.status_code == 200
    assert "Context of Author & Writer, ¶ 1" in text_of(response)
    assert "Read it in the full text" in text_of(response)
    assert "Back to the comparison" not in text_of(response)
    assert "evil" not in response.content.decode()


def test_the_title_block_is_not_context_and_the_ends_are_named() -> None:
    world = seminar_world()
    heading = Passage.objects.get(document=world.documents[0], position=1)
    last = body(world)[-1]
    response = client_for(world.student).get(context_url(world, heading), headers=HTMX)
    assert response.status_code == 200
    opening = text_of(response)
    assert opening.startswith("This passage opens the text.")
    assert "A Short Reading" not in opening
    ending = text_of(client_for(world.student).get(context_url(world, last), headers=HTMX))
    assert ending.endswith("This passage ends the text.")


def test_a_passage_outside_the_seminars_readings_is_404() -> None:
    world = seminar_world()
    elsewhere = DocumentFactory(title="Not in the seminar")
    passage = elsewhere.passages.filter(kind=Passage.Kind.PARAGRAPH).first()
    assert client_for(world.instructor).get(context_url(world, passage)).status_code == 404
    assert client_for(world.outsider).get(context_url(world, body(world)[0])).status_code == 404
    visitor = Client().get(context_url(world, body(world)[0]))
    assert visitor["Location"].startswith("/accounts/login/")


# Position summaries ------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_the_owner_gets_the_form_filled_in(htmx: bool) -> None:
    world = seminar_world()
    position_summary_save(
        annotation_set=world.key, theme=world.themes[0], document=world.documents[0], text="Old."
    )
    response = client_for(world.instructor).get(
        summary_url(world, world.key), headers=HTMX if htmx else {}
    )
    markup = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in markup) is not htmx
    assert 'id="summary-' in markup and "Old.</textarea>" in markup
    assert "Author &amp; Writer on Trade" in markup
    assert "autofocus" in markup


def test_the_owner_saves_without_javascript_and_lands_back_on_the_summary() -> None:
    world = seminar_world()
    client = client_for(world.instructor)
    response = client.post(summary_url(world, world.key), {"text": "  They are for it.  "})
    document = world.documents[0]
    expected = f"/seminars/{world.seminar.pk}/compare/trade/?source={world.key.pk}"
    assert response["Location"] == f"{expected}#summary-{document.pk}"
    assert PositionSummary.objects.get().text == "They are for it."
    page = client.get(response["Location"])
    assert "Saved the summary of Author & Writer on Trade." in text_of(page)
    assert "They are for it." in text_of(page)


def test_the_owner_saves_with_htmx_and_gets_the_summary_back_in_place() -> None:
    world = seminar_world()
    response = client_for(world.instructor).post(
        summary_url(world, world.key), {"text": "Against, <firmly>."}, headers=HTMX
    )
    markup = response.content.decode()
    assert markup.lstrip().startswith(
        f'<div class="position-summary" id="summary-{world.documents[0].pk}"'
    )
    assert "Against, &lt;firmly&gt;." in markup
    assert "Edit the summary" in plain(markup)


def test_an_empty_summary_removes_it() -> None:
    world = seminar_world()
    position_summary_save(
        annotation_set=world.key, theme=world.themes[0], document=world.documents[0], text="Old."
    )
    response = client_for(world.instructor).post(
        summary_url(world, world.key), {"text": "  "}, headers=HTMX
    )
    assert response.status_code == 200
    assert not PositionSummary.objects.exists()
    assert "No summary of this author’s position yet. Write the summary" in plain(
        response.content.decode()
    )


def test_a_too_long_summary_is_refused_in_place() -> None:
    world = seminar_world()
    response = client_for(world.instructor).post(
        summary_url(world, world.key), {"text": "x" * 4001}, headers=HTMX
    )
    assert response.status_code == 200
    assert "at most 4000 characters" in text_of(response)
    assert not PositionSummary.objects.exists()


def test_only_the_owner_of_an_unlocked_set_may_write_its_summaries() -> None:
    world = seminar_world()
    # The instructor sees Sam's set but does not own it; Sam does not see the blind key.
    instructor = client_for(world.instructor)
    assert instructor.get(summary_url(world, world.student_set)).status_code == 403
    assert instructor.post(summary_url(world, world.student_set), {"text": "x"}).status_code == 403
    student = client_for(world.student)
    assert student.post(summary_url(world, world.key), {"text": "x"}).status_code == 404
    assert student.post(summary_url(world, world.student_set), {"text": "Mine."}).status_code == 302
    AnnotationSet.objects.filter(pk=world.student_set.pk).update(locked=True)
    assert student.post(summary_url(world, world.student_set), {"text": "x"}).status_code == 403
    assert PositionSummary.objects.get().text == "Mine."
    assert client_for(world.outsider).get(summary_url(world, world.key)).status_code == 404


def test_a_theme_or_document_of_another_seminar_is_404() -> None:
    world = seminar_world()
    client = client_for(world.instructor)
    foreign_theme = ThemeFactory(seminar=SeminarFactory())
    foreign_document = DocumentFactory(owner=world.instructor)
    url = summary_url(world, world.key, theme=foreign_theme)
    assert client.post(url, {"text": "x"}).status_code == 404
    url = summary_url(world, world.key, document=foreign_document)
    assert client.post(url, {"text": "x"}).status_code == 404
    assert not PositionSummary.objects.exists()
