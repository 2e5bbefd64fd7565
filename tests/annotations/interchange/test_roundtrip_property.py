"""Round trips on random Unicode readings: astral emoji, combining marks, right-to-left text.

Export, import into a new set, compare (passage, theme, span, stance, note): for W3C, REFI-QDA
and the seminar backup. A span covering its whole passage is by design the passage itself, so
the spans drawn here stop short of that (see annotations.interchange.imports.matching.place).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.interchange.exports import w3c
from annotations.interchange.exports.backup import seminar_backup
from annotations.interchange.exports.collect import set_record
from annotations.interchange.exports.qdpx import qdpx
from annotations.interchange.imports.backup import parse_backup
from annotations.interchange.imports.qdpx import parse_qdpx
from annotations.interchange.imports.w3c import parse_w3c
from annotations.interchange.services import annotation_set_import, seminar_restore
from annotations.models import AnnotationSet, Tag
from readings.models import Document
from tests.annotations.interchange.conftest import tag_facts
from tests.factories import (
    AnnotationSetFactory,
    DocumentFactory,
    SeminarFactory,
    SeminarReadingFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PIECES = [
    "😀",
    "🇺🇦",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "👍🏽",
    "e\u0301",
    "n\u0303o",
    "a\u0308\u0301",
    "שָׁלוֹם",
    "עולם",
    "مرحبا",
    "بالعالم",
    "漢字",
    "Ωμέγα",
    "naïve",
    "word",
    "the",
    ".",
    ",",
]
word = st.one_of(
    st.sampled_from(PIECES),
    st.text(
        alphabet=st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs")),
        min_size=1,
        max_size=6,
    ),
)
paragraph = st.lists(word, min_size=3, max_size=25).map(" ".join)
source = st.lists(paragraph, min_size=1, max_size=5).map("\n\n".join)
note = st.one_of(
    st.just(""),
    st.text(
        alphabet=st.characters(exclude_categories=("Cc", "Cs", "Cn"), include_characters="\n\r\t"),
        max_size=40,
    ).filter(lambda s: s.strip()),
)


@st.composite
def worlds(draw):
    texts = draw(st.lists(source, min_size=1, max_size=2))
    choices = draw(
        st.lists(
            st.tuples(
                st.integers(0, 10_000),  # reading, passage and span picks, reduced below
                st.integers(0, 10_000),
                st.integers(0, 10_000),
                st.integers(0, 10_000),
                st.booleans(),  # whole passage?
                st.integers(0, 1),  # theme
                st.sampled_from(["", "supports", "opposes", "qualifies"]),
                note,
            ),
            max_size=12,
        )
    )
    return texts, choices


def _build(texts, choices):
    owner = UserFactory()
    seminar = SeminarFactory()
    documents: list[Document] = []
    for position, text in enumerate(texts):
        try:
            document = DocumentFactory(source=text, owner=owner)
        except Exception:  # the splitter found nothing to keep (all blank): nothing to test
            continue
        if any(d.content_hash == document.content_hash for d in documents):
            continue  # the same text twice: which copy a REFI-QDA quote is on is undecidable
        if not document.passages.exists():
            continue
        SeminarReadingFactory(seminar=seminar, document=document, position=position)
        documents.append(document)
    themes = [ThemeFactory(seminar=seminar), ThemeFactory(seminar=seminar)]
    annotation_set = AnnotationSetFactory(seminar=seminar, owner=owner)
    tags = {}
    for r, p, a, b, whole, t, stance, text in choices:
        if not documents:
            break
        passages = list(documents[r % len(documents)].passages.order_by("position"))
        passage = passages[p % len(passages)]
        size = len(passage.text)
        span = (0, 0)
        if not whole and size > 1:
            start = a % size
            end = start + 1 + b % (size - start)
            if (start, end) != (0, size):
                span = (start, end)
        key = (passage.pk, t, span)
        tags[key] = Tag(
            annotation_set=annotation_set,
            passage=passage,
            theme=themes[t],
            span_start=span[0],
            span_end=span[1],
            stance=stance,
            note=text,
            author=owner,
        )
    Tag.objects.bulk_create(tags.values())
    return annotation_set


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_round_trips_keep_tags_positions_notes_and_stances(world) -> None:
    annotation_set = _build(*world)
    expected = tag_facts(annotation_set)
    seminar, owner = annotation_set.seminar, annotation_set.owner
    record = set_record(annotation_set, base_url="https://counterpoint.example")

    w3c_file = json.dumps(w3c.collection(record, collection_iri="https://x.example/c")).encode()
    for parsed in (parse_w3c(w3c_file), parse_qdpx(qdpx(record))):
        report = annotation_set_import(seminar=seminar, owner=owner, title="Again", parsed=parsed)
        assert report.orphans == [] and report.fuzzy == 0, report.orphans
        assert report.annotation_set is not None
        assert tag_facts(report.annotation_set) == expected, parsed.format

    backup = parse_backup(json.dumps(seminar_backup(seminar)).encode())
    restored = seminar_restore(backup=backup, restore_people=True).seminar
    copy = AnnotationSet.objects.get(seminar=restored, title=annotation_set.title)
    assert tag_facts(copy) == expected
