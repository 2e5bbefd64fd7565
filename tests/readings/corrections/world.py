"""A reading with tags on it, and the checks every correction must pass."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from annotations.models import Tag
from readings.models import Document, Passage
from tests.factories import TagFactory, seminar_world

SOURCE = """Trade Ties

Trade binds partners together. It makes war costly for both sides, and it rewards patience.

Tariffs are a tax on friends. They cost consumers most, and they invite retaliation in kind.

Security

Alliances deter aggression. They also entangle their members in distant quarrels.

The last paragraph concludes that both matter.
"""


def passage(document: Document, label: str) -> Passage:
    return Passage.objects.get(document=document, label=label)


def quote_tag(annotation_set, theme, passage: Passage, words: str) -> Tag:
    start = passage.text.index(words)
    tag: Tag = TagFactory(
        annotation_set=annotation_set,
        theme=theme,
        passage=passage,
        span_start=start,
        span_end=start + len(words),
    )
    return tag


def quotes(document: Document) -> dict[int, tuple[str, str]]:
    """Each tag of the reading: its passage's label and the words it quotes ("" for a whole
    passage, then the passage's text)."""
    return {
        tag.pk: (
            tag.passage.label,
            tag.passage.text[tag.span_start : tag.span_end] if tag.is_span else tag.passage.text,
        )
        for tag in Tag.objects.filter(passage__document=document).select_related("passage")
    }


def assert_laid_out(document: Document) -> None:
    """The invariant every correction keeps, with labels numbered in order."""
    document.refresh_from_db()
    passages = list(document.passages.order_by("position"))
    assert [p.position for p in passages] == list(range(len(passages)))
    assert document.text == "\n\n".join(p.text for p in passages)
    body = 0
    for p in passages:
        assert document.text[p.start : p.end] == p.text
        assert p.word_count == len(p.text.split())
        if p.kind in ("paragraph", "list_item"):
            body += 1
            assert (p.label, p.anchor) == (f"¶ {body}", f"p{body}")
    assert len({p.anchor for p in passages}) == len(passages)


@dataclass
class TaggedReading:
    world: object
    document: Document
    tags: dict[str, Tag]


def tagged_reading() -> TaggedReading:
    """The seminar world's first reading replaced by SOURCE, with a quote on each paragraph
    and a tag on the whole of ¶ 2."""
    from tests.factories import DocumentFactory, SeminarReadingFactory

    world = seminar_world()
    document = DocumentFactory(title="Trade Ties", owner=world.instructor, source=SOURCE)
    SeminarReadingFactory(seminar=world.seminar, document=document, position=5)
    trade, security = world.themes
    p1, p2, p3, p4 = (passage(document, f"¶ {n}") for n in range(1, 5))
    tags: dict[str, Tag] = {
        "binds": quote_tag(world.student_set, trade, p1, "binds partners"),
        "friends": quote_tag(world.student_set, trade, p2, "a tax on friends"),
        "whole2": cast(Tag, TagFactory(annotation_set=world.key, theme=trade, passage=p2)),
        "entangle": quote_tag(world.other_student_set, security, p3, "entangle their members"),
        "both": quote_tag(world.key, security, p4, "both matter"),
    }
    return TaggedReading(world=world, document=document, tags=tags)
