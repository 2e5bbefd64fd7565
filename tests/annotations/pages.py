"""What the compare, overview and agreement tests share: a world's passages and tags, the
compare page's address, and a page read as text, the way a person sees it."""

from __future__ import annotations

import html
import re

from annotations.models import Tag
from annotations.services import passage_tag
from readings.models import Passage


def body(world, document_index: int = 0) -> list[Passage]:
    return list(
        Passage.objects.filter(
            document=world.documents[document_index], kind=Passage.Kind.PARAGRAPH
        ).order_by("position")
    )


def tag(annotation_set, theme, passage, **fields) -> Tag:
    return passage_tag(
        annotation_set=annotation_set,
        passage=passage,
        theme=theme,
        author=annotation_set.owner,
        **fields,
    )[0]


def bulk_tags(world, annotation_set, count: int) -> None:
    """`count` tags in one set, on every passage of both readings and both themes, as quote
    spans so that they stay distinct: fast, and enough to show whether queries grow."""
    passages = list(
        Passage.objects.filter(document__in=world.documents)
        .exclude(kind=Passage.Kind.FRONT_MATTER)
        .order_by("document_id", "position")
    )
    tags: list[Tag] = []
    length = 1
    while len(tags) < count:
        for passage in passages:
            for theme in world.themes:
                for start in range(0, len(passage.text) - length, 3):
                    tags.append(
                        Tag(
                            annotation_set=annotation_set,
                            passage=passage,
                            theme=theme,
                            span_start=start,
                            span_end=start + length,
                            stance=["supports", "opposes", "qualifies", ""][start % 4],
                            note=f"note {start}",
                            author=annotation_set.owner,
                        )
                    )
        length += 1
    Tag.objects.bulk_create(tags[:count])


def compare_url(world, theme=None, query: str = "") -> str:
    theme = theme or world.themes[0]
    return f"/seminars/{world.seminar.pk}/compare/{theme.slug}/{query}"


def plain(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


def text_of(response) -> str:
    """The response without markup, so assertions read like what a person sees."""
    return plain(response.content.decode())


def column_texts(response) -> list[str]:
    markup = response.content.decode()
    columns = re.findall(r'<article class="compare-column".*?</article>', markup, re.S)
    return [plain(column) for column in columns]
