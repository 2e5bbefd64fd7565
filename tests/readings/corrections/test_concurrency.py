"""Corrections of one reading at the same moment wait for each other (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from readings.corrections.follow import CorrectionRefused
from readings.corrections.services import passage_kind_set, passage_merge, passage_split
from tests.readings.corrections.world import assert_laid_out, passage, quotes, tagged_reading
from tests.security.test_concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers: run on PostgreSQL (bin/test does, after SQLite)",
    ),
]


def test_corrections_at_once_keep_the_text_whole_and_every_tag() -> None:
    reading = tagged_reading()
    document = reading.document
    before = {pk: words for pk, (_, words) in quotes(document).items()}
    p1, p2, p3 = (passage(document, f"¶ {n}") for n in (1, 2, 3))
    heading = passage(document, "§ 1")
    work = [
        lambda: passage_merge(document=document, passage_id=p1.pk),
        lambda: passage_split(document=document, passage_id=p3.pk, at=p3.text.index("They also")),
        lambda: passage_kind_set(document=document, passage_id=heading.pk, kind="not_text"),
        lambda: passage_merge(document=document, passage_id=p2.pk),
    ]

    results = at_once(lambda n: work[n](), count=len(work))

    # The last merge may find ¶ 2 merged away already: refused, never half done.
    for result in results:
        assert not isinstance(result, Exception) or isinstance(result, CorrectionRefused), result
    assert_laid_out(document)
    assert {pk: words for pk, (_, words) in quotes(document).items()} == before
