"""The handout of every set with context: who tagged what, how many people, the words around."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict
from docx import Document as read_docx

from annotations.handouts.docx import handout_docx
from annotations.handouts.markdown import escape, handout_markdown
from annotations.handouts.model import Handout, HandoutPassage, handout_build
from annotations.handouts.options import handout_options
from readings.access import get_seminar_for_user
from tests.annotations.handouts.conftest import CONTENT

pytestmark = pytest.mark.django_db


def _all_sets_with_context(seminar) -> Handout:
    instructor = get_user_model().objects.get(username=CONTENT.instructor.username)
    # "built" marks a sent form: unticked boxes are then off (the disputed passages among them).
    query = QueryDict("built=1&source=all&context=1&notes=1&stances=1&summaries=1")
    handout, _ = handout_build(get_seminar_for_user(instructor, seminar.pk), handout_options(query))
    return handout


def _cells(handout: Handout) -> str:
    document = read_docx(io.BytesIO(handout_docx(handout)))
    return "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)


def _passages(handout: Handout) -> list[HandoutPassage]:
    return [p for s in handout.sections for c in s.columns for p in c.passages]


def test_every_set_handout_says_how_many_people_and_who_remarked(demo) -> None:
    handout = _all_sets_with_context(demo)
    passages = _passages(handout)
    counted = next(p for p in passages if p.people)
    remarked = next(r for p in passages for r in p.remarks if r.who)
    markdown = handout_markdown(handout)
    assert f"**{escape(counted.citation)}** · {escape(counted.people)}" in markdown
    assert f"- *{escape(remarked.who)}:*" in markdown
    cells = _cells(handout)
    assert f"{counted.citation} · {counted.people}" in cells
    assert f"{remarked.who}: " in cells


def test_context_prints_the_words_before_and_after_each_passage(demo) -> None:
    handout = _all_sets_with_context(demo)
    passages = _passages(handout)
    before = next(p for p in passages if p.before)
    after = next(p for p in passages if p.after)
    markdown = handout_markdown(handout)
    assert f"*… {escape(before.before)}*" in markdown
    assert f"*{escape(after.after)} …*" in markdown
    cells = _cells(handout)
    assert f"… {before.before}" in cells and f"{after.after} …" in cells
