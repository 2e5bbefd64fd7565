from __future__ import annotations

import pytest

from annotations.models import AnnotationSet, Tag


@pytest.fixture
def demo(demo_loaded):
    return demo_loaded


def tag_facts(annotation_set: AnnotationSet) -> set[tuple]:
    """What a round trip must keep, independent of ids: reading, passage, theme, span, stance,
    note."""
    return {
        (
            tag.passage.document.content_hash,
            tag.passage.position,
            tag.theme.name,
            tag.span_start,
            tag.span_end,
            tag.stance,
            tag.note,
        )
        for tag in Tag.objects.filter(annotation_set=annotation_set).select_related(
            "passage__document", "theme"
        )
    }
