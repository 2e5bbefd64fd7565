"""Which passages a handout prints (issue 25): per theme and reading a limit filled in the
documented order (the key's passages with a stance, then the most tagged by the class, then
reading order), pins and drops kept in the URL, and excerpts with their ¶ label."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from django.http import QueryDict
from django.utils import timezone
from docx import Document as read_docx

from annotations.excerpts import ELLIPSIS
from annotations.handouts.budget import droppable
from annotations.handouts.contents import DROPPED, OVER_LIMIT, HandoutColumn
from annotations.handouts.model import handout_build
from annotations.handouts.options import handout_options
from annotations.models import AnnotationSet, Tag
from readings.access import get_seminar_for_user
from readings.models import Passage
from tests.clients import HTMX, client_for
from tests.factories import DocumentFactory, SeminarReadingFactory, SeminarWorld, seminar_world

pytestmark = pytest.mark.django_db

# Six paragraphs of two sentences or more; the fourth has "Dr." and an initial in its first.
LONG_READING = """A Longer Reading

Alpha opens the case for trade. It adds a second sentence here.

Beta claims that tariffs bind the parties. Then it says more.

Gamma doubts the claim entirely. The doubt grows.

Dr. Ames and J. Smith saw the ports close in spring. Nobody else did. A third one.

Epsilon counts the cost of sanctions. It ends there.

Zeta draws the conclusion. The end.
"""


@dataclass
class Scene:
    world: SeminarWorld
    passages: list[Passage]

    def url(self, query: str = "") -> str:
        return f"/seminars/{self.world.seminar.pk}/handout/?built=1&theme=trade&{query}"


def tag(annotation_set, passage: Passage, theme, stance: str = "", **span: int) -> None:
    Tag.objects.create(
        annotation_set=annotation_set, passage=passage, theme=theme, stance=stance, **span
    )


@pytest.fixture
def scene() -> Scene:
    """The key tags all six paragraphs of a third reading with Trade: ¶ 2 and ¶ 5 with a
    stance. Both students tag ¶ 4, one also ¶ 3. So the fill order is ¶ 2, ¶ 5 (the key's
    stance, reading order), ¶ 4 (two students), ¶ 3 (one), then ¶ 1 and ¶ 6."""
    world = seminar_world()
    document = DocumentFactory(title="Third Reading", source=LONG_READING, authors=["Cy Hart"])
    SeminarReadingFactory(seminar=world.seminar, document=document, position=2)
    passages = list(document.passages.filter(kind="paragraph").order_by("position"))
    assert len(passages) == 6
    trade = world.themes[0]
    for index, passage in enumerate(passages):
        tag(world.key, passage, trade, "supports" if index in (1, 4) else "")
    tag(world.student_set, passages[3], trade)
    tag(world.other_student_set, passages[3], trade, "opposes")
    tag(world.other_student_set, passages[2], trade)
    return Scene(world, passages)


def column(scene: Scene, query: str = "") -> HandoutColumn:
    access = get_seminar_for_user(scene.world.instructor, scene.world.seminar.pk)
    handout, _ = handout_build(access, handout_options(QueryDict(f"theme=trade&{query}")))
    return next(c for c in handout.sections[0].columns if c.author_line == "Hart")


def labels(column: HandoutColumn) -> list[str]:
    return [p.label for p in column.passages]


def test_the_limit_is_filled_key_stance_first_then_most_tagged_then_reading_order(scene) -> None:
    third = column(scene)
    # Printed in reading order, chosen in fill order.
    assert labels(third) == ["¶ 2", "¶ 4", "¶ 5"]
    assert [(p.label, p.reason) for p in third.left_out] == [
        ("¶ 1", OVER_LIMIT),
        ("¶ 3", OVER_LIMIT),
        ("¶ 6", OVER_LIMIT),
    ]
    # The preview tells them apart by their first words.
    assert third.left_out[0].opening == "Alpha opens the case for trade. It adds …"
    assert labels(column(scene, "limit=4")) == ["¶ 2", "¶ 3", "¶ 4", "¶ 5"]
    assert labels(column(scene, "limit=1")) == ["¶ 2"]
    assert labels(column(scene, "limit=0")) == ["¶ 1", "¶ 2", "¶ 3", "¶ 4", "¶ 5", "¶ 6"]


def test_a_pin_takes_a_place_first_and_a_drop_frees_one_for_the_next_in_order(scene) -> None:
    first, second = scene.passages[0], scene.passages[1]
    pinned = column(scene, f"pin-trade={first.pk}")
    assert labels(pinned) == ["¶ 1", "¶ 2", "¶ 5"]
    assert [p.pinned for p in pinned.passages] == [True, False, False]
    dropped = column(scene, f"drop-trade={second.pk}")
    assert labels(dropped) == ["¶ 3", "¶ 4", "¶ 5"]
    assert (dropped.left_out[1].label, dropped.left_out[1].reason) == ("¶ 2", DROPPED)
    # Pins and drops are per theme: another theme's are ignored here.
    assert labels(column(scene, f"drop-security={second.pk}")) == ["¶ 2", "¶ 4", "¶ 5"]


def test_every_printed_passage_is_cited_by_its_label_with_an_excerpt(scene) -> None:
    passages = column(scene).passages
    assert [p.citation for p in passages] == ["Hart, ¶ 2", "Hart, ¶ 4", "Hart, ¶ 5"]
    # No quote spans: the first two sentences, an ellipsis where the rest is left out.
    assert passages[0].text == "Beta claims that tariffs bind the parties. Then it says more."
    assert not passages[0].shortened
    four = passages[1]
    assert four.text == (
        f"Dr. Ames and J. Smith saw the ports close in spring. Nobody else did. {ELLIPSIS}"
    )
    assert four.shortened and four.whole_text.endswith("A third one.")
    one = column(scene, "sentences=1").passages[1]
    assert one.text == f"Dr. Ames and J. Smith saw the ports close in spring. {ELLIPSIS}"
    # Up to a length: the first sentence alone, cut after whole words.
    assert column(scene, "words=10").passages[1].text == (
        f"Dr. Ames and J. Smith saw the ports close in {ELLIPSIS}"
    )


def test_a_quote_span_is_the_excerpt_with_ellipses_where_words_are_left_out(scene) -> None:
    passage = scene.passages[4]  # "Epsilon counts the cost of sanctions. It ends there."
    start = passage.text.index("counts")
    # A span that starts and ends inside words is widened to whole words.
    tag(
        scene.world.key,
        passage,
        scene.world.themes[0],
        span_start=start + 2,
        span_end=passage.text.index("sanctions") + 3,
    )
    five = next(p for p in column(scene).passages if p.label == "¶ 5")
    assert five.text == f"{ELLIPSIS} counts the cost of sanctions. {ELLIPSIS}"
    assert column(scene, "excerpt=whole").passages[2].text == passage.text


def test_one_passage_can_be_printed_whole_while_the_others_stay_excerpts(scene) -> None:
    four = scene.passages[3]
    passages = column(scene, f"whole-trade={four.pk}").passages
    assert [(p.label, p.whole) for p in passages] == [("¶ 2", False), ("¶ 4", True), ("¶ 5", False)]
    assert passages[1].text == four.text and not passages[1].shortened
    assert passages[2].text == "Epsilon counts the cost of sanctions. It ends there."
    client = client_for(scene.world.instructor)
    page = client.get(scene.url(f"whole-trade={four.pk}"), headers=HTMX).content.decode()
    assert f'id="whole-trade-{four.pk}" name="whole-trade" value="{four.pk}" checked> Whole' in page
    markdown = client.get(scene.url(f"whole-trade={four.pk}&format=md")).content.decode()
    assert (
        "> Dr. Ames and J. Smith saw the ports close in spring. Nobody else did. A third one."
        in (markdown)
    )


def test_the_builder_shows_pin_and_drop_boxes_that_keep_the_choice(scene) -> None:
    client = client_for(scene.world.instructor)
    second, third = scene.passages[1], scene.passages[2]
    query = f"drop-trade={second.pk}&pin-trade={third.pk}"
    for headers in ({}, HTMX):
        response = client.get(scene.url(query), headers=headers)
        page = response.content.decode()
        assert response.status_code == 200
        # The dropped passage is listed as dropped, its box still ticked so it can come back.
        assert re.search(
            rf'id="drop-trade-{second.pk}" name="drop-trade" value="{second.pk}" checked> Dropped'
            rf'<span class="visually-hidden"> Hart, ¶ 2 from Trade</span>',
            page,
        )
        assert f'name="pin-trade" value="{third.pk}" checked> Pin' in page
        assert 'Pin<span class="visually-hidden"> Hart, ¶ 6 under Trade</span>' in page
    assert "<form" in client.get(scene.url(query)).content.decode()
    assert "<form" not in client.get(scene.url(query), headers=HTMX).content.decode()


def test_word_and_markdown_follow_the_same_choices(scene) -> None:
    second, third = scene.passages[1], scene.passages[2]
    client = client_for(scene.world.instructor)
    query = f"drop-trade={second.pk}&pin-trade={third.pk}"
    markdown = client.get(scene.url(query + "&format=md")).content.decode()
    assert "**Hart, ¶ 3**" in markdown and "**Hart, ¶ 2**" not in markdown
    assert "> Gamma doubts the claim entirely. The doubt grows." in markdown
    assert (
        f"> Dr. Ames and J. Smith saw the ports close in spring. Nobody else did. {ELLIPSIS}"
        in markdown
    )
    docx = read_docx(io.BytesIO(client.get(scene.url(query + "&format=docx")).content))
    cells = " ".join(c.text for t in docx.tables for r in t.rows for c in r.cells)
    assert "Hart, ¶ 3" in cells and "Hart, ¶ 2" not in cells
    assert "Dr. Ames and J. Smith saw the ports close in spring. Nobody else did. …" in cells


def test_a_students_fill_order_counts_only_the_sets_they_may_read(scene) -> None:
    # The key is open to the class; Tara's set is still blind. For Sam, ¶ 3 is tagged by
    # nobody he may read (only Tara tagged it), so reading order brings ¶ 1 in before it.
    AnnotationSet.objects.filter(pk=scene.world.key.pk).update(revealed_at=timezone.now())
    client = client_for(scene.world.student)
    response = client.get(scene.url("source=all&limit=4&format=md"))
    assert response.status_code == 200
    markdown = response.content.decode()
    assert "**Hart, ¶ 1**" in markdown and "**Hart, ¶ 4**" in markdown
    assert "Hart, ¶ 3" not in markdown
    # The instructor, who reads Tara's set, gets ¶ 3 in that place.
    instructor = client_for(scene.world.instructor).get(scene.url("source=all&limit=4&format=md"))
    assert "**Hart, ¶ 3**" in instructor.content.decode()
    assert "Hart, ¶ 1" not in instructor.content.decode()


def test_fitting_would_leave_out_the_last_filled_first_never_a_pin_nor_a_columns_last(
    scene,
) -> None:
    access = get_seminar_for_user(scene.world.instructor, scene.world.seminar.pk)
    by_pk = {p.pk: p.label for p in scene.passages}

    def order(query: str) -> list[str]:
        handout, _ = handout_build(access, handout_options(QueryDict(f"theme=trade&{query}")))
        return [by_pk[pk] for _, pk in droppable(handout)]

    # Fill order ¶ 2, ¶ 5, ¶ 4, ¶ 3, ¶ 1, ¶ 6: the reverse, but ¶ 2 stays.
    assert order("limit=0") == ["¶ 6", "¶ 1", "¶ 3", "¶ 4", "¶ 5"]
    # A pinned passage is never left out; then no other has to stay for the column.
    assert order(f"limit=0&pin-trade={scene.passages[0].pk}") == ["¶ 6", "¶ 3", "¶ 4", "¶ 5", "¶ 2"]
