"""Done when: on the demo seminar the discussion view lists the passages the three demo
students disagree on (annotations/demo/seminar.toml names them in its comments)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from readings.models import Seminar, SeminarReading
from tests.annotations.compare.test_demo import CONTENT, demo  # noqa: F401 (fixture)
from tests.annotations.compare.test_views import plain
from tests.clients import client_for

pytestmark = pytest.mark.django_db

SECTION = r'<section class="discussion-theme" aria-labelledby="discussion-([-\w]+)">(.*?)</section>'
# (reading key in demo_seminar.toml, passage label, theme, what the students gave)
DISAGREEMENTS = [
    (
        "essay",
        "¶ 2",
        "Reverse Kissinger",
        "3 of 3 tagged it · Supports 1 · Opposes 1 · No stance 1",
    ),
    ("analysis", "¶ 44", "Reverse Kissinger", "3 of 3 tagged it · Opposes 2 · Qualifies 1"),
    ("analysis", "¶ 55", "Reverse Kissinger", "2 of 3 tagged it · Supports 1 · Qualifies 1"),
    ("essay", "¶ 7", "Ukraine war", "2 of 3 tagged it · Supports 1 · Opposes 1"),
    ("analysis", "¶ 41", "Ukraine war", "2 of 3 tagged it · Supports 1 · Qualifies 1"),
    ("analysis", "¶ 22", "Trade", "2 of 3 tagged it · Supports 1 · Qualifies 1"),
    ("analysis", "¶ 19", "Taiwan", "2 of 3 tagged it · Supports 1 · Qualifies 1"),
]


def test_the_discussion_view_lists_what_the_demo_students_disagree_on(demo: Seminar) -> None:  # noqa: F811
    instructor = get_user_model().objects.get(username=CONTENT.instructor.username)
    readings = SeminarReading.objects.filter(seminar=demo).select_related("document")
    author = {
        key: reading.document.author_line
        for key, reading in zip(CONTENT.readings, readings.order_by("position"), strict=True)
    }
    response = client_for(instructor).get(f"/seminars/{demo.pk}/discussion/")
    assert response.status_code == 200
    markup = response.content.decode()
    sections = {slug: plain(section) for slug, section in re.findall(SECTION, markup, re.S)}
    assert set(sections) == {slugify(theme.name) for theme in CONTENT.themes}
    for key, label, theme, votes in DISAGREEMENTS:
        cite = f"{author[key]}, {label}"
        # Listed under its theme, among the passages shown first, with the votes.
        section = sections[slugify(theme)]
        assert f"{cite} " in section, f"{cite} is not among the disputed passages on {theme}"
        assert section[section.index(f"{cite} ") :].split("Add to handout")[0].count(votes) == 1


def test_the_demo_students_see_only_their_own_figures(demo: Seminar) -> None:  # noqa: F811
    amara = get_user_model().objects.get(username="amara")
    page = plain(client_for(amara).get(f"/seminars/{demo.pk}/agreement/").content.decode())
    assert "Amara's reading" in page
    assert "Ben" not in page and "Chen" not in page
