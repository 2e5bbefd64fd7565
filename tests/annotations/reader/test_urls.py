"""The reader's URLs, reversed once per page and filled in per passage, and its passage partial:
the same links and markup as reversing each URL and rendering each passage on its own."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from annotations.models import AnnotationSet, Tag
from annotations.reader.filters import ReaderFilters, SetUrls
from annotations.services import passage_tag
from readings.models import Passage
from tests.clients import HTMX, client_for
from tests.factories import seminar_world

pytestmark = pytest.mark.django_db


def test_set_urls_are_the_reversed_urls_with_the_pages_filters() -> None:
    # Ids that share digits with each other, so a misplaced id would show.
    annotation_set = AnnotationSet(pk=11, seminar_id=1)
    tag = Tag(pk=111, passage_id=1)
    filters = ReaderFilters(tagged_only=True, parallel=True)
    urls = SetUrls(annotation_set, filters)
    ids = [1, 11, 1]
    state = "?only=tagged&layout=parallel"
    assert urls.tag_add(1) == reverse("annotations:tag_add", args=ids) + state
    assert urls.tag_update(tag) == reverse("annotations:tag_update", args=[*ids, 111]) + state
    assert urls.tag_remove(tag) == reverse("annotations:tag_remove", args=[*ids, 111]) + state
    assert urls.panel(1) == (
        reverse("annotations:reader_passage", args=ids) + "?only=tagged&layout=parallel&panel=1"
    )


def _element(html: str, element_id: str) -> str:
    match = re.search(rf'\n<article id="{element_id}".*?</article>', html, re.S)
    assert match, f"no passage {element_id}"
    return match.group(0)


def test_a_passage_fragment_is_the_passage_as_the_page_shows_it() -> None:
    world = seminar_world()
    passage = Passage.objects.filter(
        document=world.documents[0], kind=Passage.Kind.PARAGRAPH
    ).first()
    assert passage is not None
    for theme, span in [(world.themes[0], None), (world.themes[1], (0, 5))]:
        passage_tag(
            annotation_set=world.student_set,
            passage=passage,
            theme=theme,
            author=world.student,
            span=span,
            stance="supports",
            note="<b>mine</b>",
        )
    base = f"/seminars/{world.seminar.pk}/sets/{world.student_set.pk}"
    client = client_for(world.student)
    page = client.get(f"{base}/read/{passage.document_id}/?only=tagged").content.decode()
    fragment = client.get(
        f"{base}/passages/{passage.pk}/?only=tagged", headers=HTMX
    ).content.decode()
    in_page = _element(page, passage.anchor)
    assert in_page == _element(fragment, passage.anchor)
    tag = Tag.objects.get(passage=passage, theme=world.themes[0])
    remove = reverse(
        "annotations:tag_remove", args=[world.seminar.pk, world.student_set.pk, passage.pk, tag.pk]
    )
    assert f'data-remove-url="{remove}?only=tagged"' in in_page
    assert "&lt;b&gt;mine&lt;/b&gt;" in in_page
