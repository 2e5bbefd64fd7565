"""Text already in the database with control characters (stored before the forms cleaned it,
or written by a script) never breaks a handout: python-docx refuses them ("All strings must
be XML compatible"), so every format gets the handout's text cleaned first."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.urls import reverse
from docx import Document as read_docx
from pypdf import PdfReader

from annotations.models import PositionSummary, Tag
from readings.models import Passage
from tests.clients import client_for
from tests.factories import SeminarWorld, seminar_world

pytestmark = pytest.mark.django_db


def _controls() -> str:
    # PostgreSQL cannot store U+0000 at all; SQLite can, so it gets it too.
    nul = "\x00" if connection.vendor == "sqlite" else ""
    return f"\x0b\x1b{nul}\x7f\x85"


def _world_with_controls() -> SeminarWorld:
    world = seminar_world()
    controls = _controls()
    passage = world.documents[0].passages.filter(kind=Passage.Kind.PARAGRAPH)[0]
    theme = world.themes[0]
    # Straight into the database, as old rows or a script would: no form cleans them.
    Tag.objects.create(
        annotation_set=world.key,
        passage=passage,
        theme=theme,
        author=world.instructor,
        stance="supports",
        note=f"Key{controls} note",
    )
    PositionSummary.objects.create(
        annotation_set=world.key,
        theme=theme,
        document=world.documents[0],
        text=f"Sum{controls}mary",
    )
    theme.guiding_question = f"Gui{controls}ding?"
    theme.save()
    world.seminar.title = f"Semi{controls}nar"
    world.seminar.save()
    return world


def _download(world: SeminarWorld, fmt: str, query: str = "") -> bytes:
    url = reverse("annotations:handout", args=[world.seminar.pk])
    response = client_for(world.instructor).get(
        f"{url}?format={fmt}&source={world.key.pk}&theme={world.themes[0].slug}{query}"
    )
    assert response.status_code == 200, response.content[:500]
    return response.content


def test_word_handout_renders_a_note_with_control_characters() -> None:
    world = _world_with_controls()
    document = read_docx(io.BytesIO(_download(world, "docx")))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    text = "\n".join(texts)
    assert "Key note" in text
    assert "Summary" in text
    assert "Guiding?" in text
    assert document.core_properties.title == "Seminar"


def test_pdf_handout_renders_a_note_with_control_characters() -> None:
    world = _world_with_controls()
    reader = PdfReader(io.BytesIO(_download(world, "pdf")))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Key note" in text and "Summary" in text


def test_markdown_handout_renders_a_note_with_control_characters() -> None:
    world = _world_with_controls()
    markdown = _download(world, "md").decode()
    assert "Key note" in markdown and "Summary" in markdown
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", markdown)


def test_handout_title_and_questions_from_the_address_are_cleaned() -> None:
    world = seminar_world()
    slug = world.themes[0].slug
    query = f"&title=Hand%0B%1Bout&questions-{slug}=Why%1B%00%3F"
    document = read_docx(io.BytesIO(_download(world, "docx", query)))
    texts = [p.text for p in document.paragraphs]
    assert "Handout" in texts
    assert any(text.endswith("Why?") for text in texts)
