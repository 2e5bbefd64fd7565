"""Done when: on the demo seminar every theme's compare page shows both readings' columns with
the key's passages, the summaries on top, and the empty state where a reading is silent."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from annotations.demo.load import demo_read
from annotations.models import AnnotationSet, Theme
from readings.models import Seminar
from tests.annotations.compare.test_views import column_texts, plain
from tests.clients import client_for
from tests.demo_seminar import LoadedDemo

pytestmark = pytest.mark.django_db

CONTENT = demo_read()


@pytest.fixture
def demo(demo_loaded: LoadedDemo) -> Seminar:
    return demo_loaded.seminar


def test_every_theme_compares_both_readings_with_the_keys_passages_and_summaries(
    demo: Seminar,
) -> None:
    key = AnnotationSet.objects.get(seminar=demo, kind=AnnotationSet.Kind.KEY)
    instructor = get_user_model().objects.get(username=CONTENT.instructor.username)
    client = client_for(instructor)
    readings = list(demo.seminar_readings.select_related("document").order_by("position"))
    keys = {
        reading.document_id: name for name, reading in zip(CONTENT.readings, readings, strict=True)
    }
    themes = list(Theme.objects.filter(seminar=demo).order_by("position"))
    assert [theme.name for theme in themes] == [theme.name for theme in CONTENT.themes]
    silences_seen = 0

    for theme in themes:
        response = client.get(f"/seminars/{demo.pk}/compare/{theme.slug}/")
        assert response.status_code == 200
        columns = column_texts(response)
        markup = re.findall(
            r'<article class="compare-column".*?</article>', response.content.decode(), re.S
        )
        assert len(columns) == len(readings) == 2
        for reading, column, raw in zip(readings, columns, markup, strict=True):
            document = reading.document
            assert column.startswith(f"{document.author_line} {document.title}")
            tagged = key.tags.filter(theme=theme, passage__document=document)
            labels = list(
                tagged.order_by("passage__position")
                .values_list("passage__label", flat=True)
                .distinct()
            )
            cited = [
                plain(cite).rpartition(", ")[2]
                for cite in re.findall(r'<h4 class="entry-cite"><a [^>]+>([^<]+)</a>', raw)
            ]
            assert cited == labels, (theme.name, document.title)
            summary = key.summaries.filter(theme=theme, document=document).first()
            if (keys[document.pk], theme.name) in CONTENT.silences:
                silences_seen += 1
                assert not labels and summary is None
                assert f"Silent on {theme.name}." in column
                assert "No summary of this author’s position yet." in column
            else:
                assert f"Silent on {theme.name}" not in column
                assert summary is not None
                text = plain(summary.text)
                assert column.index(text) < column.index(f"{document.author_line}, ¶")
    assert silences_seen == len(CONTENT.silences) == 1
