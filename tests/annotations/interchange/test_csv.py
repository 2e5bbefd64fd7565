from __future__ import annotations

import csv
import io

import pytest

from annotations.interchange.exports.collect import set_record
from annotations.interchange.exports.csv import HEADER, tags_csv
from annotations.models import AnnotationSet

pytestmark = pytest.mark.django_db


def test_one_row_per_tag_with_reading_label_theme_stance_note_quote_author_times(demo) -> None:
    key = AnnotationSet.objects.get(kind=AnnotationSet.Kind.KEY)
    record = set_record(key, base_url="")
    data = tags_csv(record)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert len(rows) - 1 == key.tags.count()
    tag = next(t for t in record.tags if t.note)
    row = next(r for r in rows[1:] if r[4] == tag.note)
    assert row[:4] == [tag.reading.title, tag.passage_label, tag.theme.name, tag.stance]
    assert tag.author is not None
    assert row[5] == tag.quote and row[9] == tag.author.username and row[10].endswith("Z")


def test_cells_that_spreadsheets_would_run_as_formulas_are_quoted(demo) -> None:
    key = AnnotationSet.objects.get(kind=AnnotationSet.Kind.KEY)
    key.tags.update(note='=HYPERLINK("http://evil")')
    rows = list(csv.reader(io.StringIO(tags_csv(set_record(key, base_url="")).decode("utf-8-sig"))))
    assert all(row[4].startswith("'=") for row in rows[1:])
