"""The reader's pages and fragments: with and without htmx, and who may do what."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from annotations.models import AnnotationSet, Tag, Theme
from annotations.services import passage_tag, theme_retire
from readings.models import Document, Passage
from tests.clients import HTMX, client_for
from tests.factories import DocumentFactory, SeminarReadingFactory, seminar_world

pytestmark = pytest.mark.django_db

PLAIN_AND_HTMX = pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])

PULL_QUOTE_TEXT = """A Reading With a Pull Quote

The first paragraph makes the case at some length. Trade binds the two powers more tightly
than any treaty ever could. It then gives its reasons.

Trade binds the two powers more tightly than any treaty ever could.

The second paragraph answers it, with a reason and then a cost, as paragraphs often do.
"""


# An astral character before the quote: JS counts it twice (UTF-16), the server once.
ASTRAL = "Astral\n\nThe clef 𝄞 opens the line, and then the quoted words close it for good.\n"


def base(world, annotation_set=None) -> str:
    annotation_set = annotation_set or world.student_set
    return f"/seminars/{world.seminar.pk}/sets/{annotation_set.pk}"


def reader_url(world, annotation_set=None, document=None) -> str:
    document = document or world.documents[0]
    return f"{base(world, annotation_set)}/read/{document.pk}/"


def paragraph(world, index: int = 0, document=None) -> Passage:
    document = document or world.documents[0]
    return Passage.objects.filter(document=document, kind=Passage.Kind.PARAGRAPH)[index]


def tag(world, passage: Passage, theme_index: int = 0, annotation_set=None, **extra) -> Tag:
    annotation_set = annotation_set or world.student_set
    created, _ = passage_tag(
        annotation_set=annotation_set,
        passage=passage,
        theme=world.themes[theme_index],
        author=annotation_set.owner,
        **extra,
    )
    return created


def article(html: str, element_id: str) -> str:
    """The markup of one passage <article> (they do not nest inside each other)."""
    match = re.search(rf'<article id="{element_id}".*?</article>', html, re.S)
    assert match, f"no passage {element_id}"
    return match.group(0)


# The reader page --------------------------------------------------------------------------


@PLAIN_AND_HTMX
def test_reader_shows_the_title_block_headings_labels_and_chips(headers) -> None:
    world = seminar_world()
    first = paragraph(world)
    tag(world, first, 0, stance="opposes", note="Cuts both ways.")
    response = client_for(world.student).get(reader_url(world), headers=headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in html) is not bool(headers)
    assert 'id="reader-body"' in html
    assert "<h1>First Reading</h1>" in html
    assert '<p class="byline">Ann Author, Ben Writer</p>' in html
    assert '<h2 class="passage passage-heading" id="s1">FIRST PART</h2>' in html
    assert '<nav class="toc reader-toc" aria-label="Contents">' in html
    passage = article(html, first.anchor)
    assert '<a class="passage-label" id="p1-label" href="#p1">¶ 1</a>' in passage
    assert f'<p class="passage-text">{first.text}</p>' in passage
    # The chip names its theme and stance in words: colour is never the only signal.
    assert '<span class="chip">Trade</span>' in passage
    assert '<span class="tag-stance tag-stance-opposes">opposes</span>' in passage
    assert "Cuts both ways." in passage
    assert "Tag<span" in passage  # the owner may tag


def test_a_history_restore_gets_the_whole_page() -> None:
    world = seminar_world()
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    html = client_for(world.student).get(reader_url(world), headers=headers).content.decode()
    assert "<html" in html


def test_pull_quotes_are_styled_apart_and_not_taggable_by_default() -> None:
    world = seminar_world()
    document = DocumentFactory(title="Quoted", source=PULL_QUOTE_TEXT)
    SeminarReadingFactory(seminar=world.seminar, document=document, position=9)
    quote = Passage.objects.get(document=document, kind=Passage.Kind.PULL_QUOTE)
    client = client_for(world.student)
    response = client.get(reader_url(world, document=document))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<aside class="passage passage-pull_quote" id="{quote.anchor}"' in html
    assert f'<article id="{quote.anchor}"' not in html
    refused = client.post(
        f"{base(world)}/passages/{quote.pk}/tags/", {"theme": world.themes[0].pk}, headers=HTMX
    )
    assert refused.status_code == 200
    assert "Pull quotes repeat the text" in refused.content.decode()
    assert not Tag.objects.exists()
    # Asked for, they become passages like the others.
    html = client.get(reader_url(world, document=document) + "?quotes=tag").content.decode()
    assert f'<article id="{quote.anchor}"' in html
    client.post(
        f"{base(world)}/passages/{quote.pk}/tags/?quotes=tag",
        {"theme": world.themes[0].pk},
        headers=HTMX,
    )
    assert Tag.objects.get().passage == quote


def test_only_tagged_hides_untagged_passages_and_empty_sections() -> None:
    world = seminar_world()
    first, second, third = Passage.objects.filter(
        document=world.documents[0], kind=Passage.Kind.PARAGRAPH
    )
    tag(world, first)
    response = client_for(world.student).get(reader_url(world) + "?only=tagged")
    html = response.content.decode()
    assert response.status_code == 200
    assert "hidden" not in article(html, first.anchor).split(">")[0]
    assert " hidden" in article(html, second.anchor).split(">")[0]
    assert " hidden" in article(html, third.anchor).split(">")[0]
    # The second section has nothing tagged: its heading and contents entry go too.
    assert '<h2 class="passage passage-heading" id="s2" hidden>' in html
    assert 'href="#s2"' not in html
    assert 'id="filter-tagged" href="/seminars/' in html
    assert re.search(r'id="filter-tagged"[^>]*aria-current="true"', html)


def test_theme_filter_shows_only_that_themes_passages() -> None:
    world = seminar_world()
    first, second, _ = Passage.objects.filter(
        document=world.documents[0], kind=Passage.Kind.PARAGRAPH
    )
    tag(world, first, 0)
    tag(world, second, 1)
    response = client_for(world.student).get(reader_url(world) + "?theme=security")
    html = response.content.decode()
    assert response.status_code == 200
    assert " hidden" in article(html, first.anchor).split(">")[0]
    assert " hidden" not in article(html, second.anchor).split(">")[0]
    assert re.search(rf'id="filter-theme-{world.themes[1].pk}"[^>]*aria-current="true"', html)
    # Links and forms carry the filter, so a swapped passage is rendered the same way.
    assert f"/passages/{second.pk}/tags/?theme=security" in html


def test_an_empty_filter_says_so_and_offers_every_passage() -> None:
    world = seminar_world()
    html = client_for(world.student).get(reader_url(world) + "?only=tagged").content.decode()
    assert "No passage of this reading is tagged in this set yet." in html
    assert f'<a href="{reader_url(world)}">Show every passage</a>' in html


def test_ribbon_links_each_theme_to_where_it_occurs() -> None:
    world = seminar_world()
    first, second, third = Passage.objects.filter(
        document=world.documents[0], kind=Passage.Kind.PARAGRAPH
    )
    tag(world, first, 0)
    tag(world, third, 0)
    tag(world, second, 1)
    response = client_for(world.student).get(reader_url(world) + "?theme=trade")
    html = response.content.decode()
    assert response.status_code == 200
    ribbon = html[html.index('<nav class="reader-ribbon"') :]
    assert 'aria-label="Trade: 2 passages"' in ribbon
    assert '<a href="#p1" aria-label="Trade, ¶ 1">' in ribbon
    # Marks are placed with SVG attributes (the CSP forbids style attributes).
    assert re.search(
        r'<rect class="reader-ribbon-mark" x="0" y="\d+" width="12" height="\d+"/>', ribbon
    )
    assert "style=" not in html


def test_open_renders_the_tag_panel_for_the_owner() -> None:
    world = seminar_world()
    first = paragraph(world)
    html = client_for(world.student).get(reader_url(world) + f"?open={first.pk}").content.decode()
    passage = article(html, first.anchor)
    assert '<section class="tag-panel" aria-label="Tag ¶ 1">' in passage
    trade = world.themes[0]
    assert f'id="p1-theme-{trade.pk}" name="theme" value="{trade.pk}"' in passage
    assert "<kbd>1</kbd> <span>Trade</span>" in passage
    assert f'action="{base(world)}/passages/{first.pk}/tags/"' in passage


def test_instructor_reads_a_students_set_without_a_tag_panel() -> None:
    world = seminar_world()
    first = paragraph(world)
    tag(world, first, 0)
    response = client_for(world.instructor).get(reader_url(world) + f"?open={first.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    passage = article(html, first.anchor)
    assert '<span class="chip">Trade</span>' in passage
    assert "tag-panel" not in passage
    assert "passage-open" not in passage
    assert "data-tag-url" not in passage
    assert "Read only" in html


def test_locked_set_reads_without_a_tag_panel_even_for_its_owner() -> None:
    world = seminar_world()
    AnnotationSet.objects.filter(pk=world.student_set.pk).update(locked=True)
    response = client_for(world.student).get(reader_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert "passage-open" not in html
    assert "Locked: read only" in html


def test_reader_refuses_documents_that_are_not_the_seminars_readings() -> None:
    world = seminar_world()
    elsewhere = DocumentFactory(owner=world.student)
    client = client_for(world.student)
    assert client.get(reader_url(world, document=elsewhere)).status_code == 404


def test_outsiders_and_blind_sets_are_404() -> None:
    world = seminar_world()
    assert client_for(world.outsider).get(reader_url(world)).status_code == 404
    tara = reader_url(world, world.other_student_set)
    assert client_for(world.student).get(tara).status_code == 404


def long_reading(world, size: int) -> tuple[Document, list[Passage]]:
    """A reading of `size` paragraphs in the world's seminar."""
    source = "A Long Reading\n\n" + "\n\n".join(
        f"Paragraph {n} weighs trade against security, and gives a reason for the weighing."
        for n in range(size)
    )
    document = DocumentFactory(title="Long", source=source)
    SeminarReadingFactory(seminar=world.seminar, document=document, position=9)
    passages = list(Passage.objects.filter(document=document, kind=Passage.Kind.PARAGRAPH))
    assert len(passages) == size
    return document, passages


@pytest.mark.parametrize("size", [10, 500])
def test_reader_query_count_does_not_grow_with_the_document(
    size, django_assert_num_queries
) -> None:
    world = seminar_world()
    document, passages = long_reading(world, size)
    for index, passage in enumerate(passages[:: max(1, size // 10)]):
        tag(world, passage, index % 2, note="Why here?")
        tag(world, passage, 1 - index % 2, span=(0, 9))
    client = client_for(world.student)
    # Session, user, membership, set, readings, codebook, tags, passages, the reading's
    # footnotes: 9 whatever the size.
    with django_assert_num_queries(9):
        response = client.get(reader_url(world, document=document))
    assert response.content.decode().count('class="passage passage-paragraph') == size


@pytest.mark.parametrize("size", [10, 500])
def test_tagging_query_count_does_not_grow_with_the_document(
    size, django_assert_num_queries
) -> None:
    world = seminar_world()
    document, passages = long_reading(world, size)
    for index, passage in enumerate(passages[1 :: max(1, size // 10)]):
        tag(world, passage, index % 2)
    client = client_for(world.student)
    client.get(reader_url(world, document=document))  # the reading's passages, cached
    # Session, user, membership, set, codebook, passage; the write (its checks, the tag, the
    # revision, in a transaction: 8); the answer's tags of the reading and the passage's
    # footnotes: 16 whatever the size.
    with django_assert_num_queries(16):
        response = client.post(
            add_url(world, passages[0]), {"theme": world.themes[0].pk}, headers=HTMX
        )
    assert "Tagged ¶ 1 Trade" in response.content.decode()


# One passage: the panel -------------------------------------------------------------------


def test_passage_fragment_opens_the_panel_in_place() -> None:
    world = seminar_world()
    first = paragraph(world)
    url = f"{base(world)}/passages/{first.pk}/?panel=1"
    html = client_for(world.student).get(url, headers=HTMX).content.decode()
    assert html.strip().startswith(f'<article id="{first.anchor}"')
    assert '<section class="tag-panel"' in html
    closed = client_for(world.student).get(url.replace("?panel=1", ""), headers=HTMX)
    assert closed.status_code == 200
    assert closed.content.decode().strip().startswith(f'<article id="{first.anchor}"')
    assert "tag-panel" not in closed.content.decode()


def test_passage_fragment_without_htmx_leads_to_the_open_panel_on_the_page() -> None:
    world = seminar_world()
    first = paragraph(world)
    url = f"{base(world)}/passages/{first.pk}/?panel=1&only=tagged"
    response = client_for(world.student).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reader_url(world)}?only=tagged&open={first.pk}#p1"


def test_passage_fragment_of_a_read_only_set_has_no_panel() -> None:
    world = seminar_world()
    first = paragraph(world)
    tag(world, first, 0)
    url = f"{base(world)}/passages/{first.pk}/?panel=1"
    response = client_for(world.instructor).get(url, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<article id="{first.anchor}"')
    assert '<span class="chip">Trade</span>' in html
    assert "tag-panel" not in html


def test_passage_fragment_refuses_passages_outside_the_seminar_and_headings() -> None:
    world = seminar_world()
    elsewhere = DocumentFactory()
    client = client_for(world.student)
    outside = Passage.objects.filter(document=elsewhere).last()
    assert outside is not None
    assert client.get(f"{base(world)}/passages/{outside.pk}/", headers=HTMX).status_code == 404
    heading = Passage.objects.filter(document=world.documents[0], kind=Passage.Kind.HEADING).first()
    assert heading is not None
    assert client.get(f"{base(world)}/passages/{heading.pk}/", headers=HTMX).status_code == 404


# Tagging ----------------------------------------------------------------------------------


def add_url(world, passage, annotation_set=None, query: str = "") -> str:
    return f"{base(world, annotation_set)}/passages/{passage.pk}/tags/{query}"


def test_tagging_with_htmx_swaps_the_passage_and_announces_it() -> None:
    world = seminar_world()
    first = paragraph(world)
    trade = world.themes[0]
    response = client_for(world.student).post(
        add_url(world, first), {"theme": trade.pk, "panel": "1"}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<article id="{first.anchor}"')
    assert '<span class="chip">Trade</span>' in html
    # The toggle now removes: pressing the same theme again untags.
    created = Tag.objects.get()
    remove = f"{base(world)}/passages/{first.pk}/tags/{created.pk}/remove/"
    assert f'aria-pressed="true" formaction="{remove}"' in html
    assert '<div id="reader-status" hx-swap-oob="innerHTML">Tagged ¶ 1 Trade</div>' in html
    assert (created.annotation_set, created.theme, created.author) == (
        world.student_set,
        trade,
        world.student,
    )


def test_tagging_without_javascript_redirects_to_the_passage_anchor() -> None:
    world = seminar_world()
    first = paragraph(world)
    client = client_for(world.student)
    response = client.post(
        add_url(world, first, query="?only=tagged"),
        {"theme": world.themes[1].pk, "stance": "supports", "note": "A first note."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reader_url(world)}?only=tagged&open={first.pk}#p1"
    created = Tag.objects.get()
    assert (created.stance, created.note) == ("supports", "A first note.")
    page = client.get(response["Location"]).content.decode()
    assert "Tagged ¶ 1 Security" in page  # the message, shown on the page it leads to


@PLAIN_AND_HTMX
def test_a_double_submit_gives_one_tag(headers) -> None:
    world = seminar_world()
    first = paragraph(world)
    client = client_for(world.student)
    for _ in range(2):
        client.post(add_url(world, first), {"theme": world.themes[0].pk}, headers=headers)
    assert Tag.objects.count() == 1


def test_a_quick_tag_from_the_keyboard_keeps_the_panel_closed() -> None:
    world = seminar_world()
    first = paragraph(world)
    response = client_for(world.student).post(
        add_url(world, first), {"theme": world.themes[0].pk, "panel": "0"}, headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "tag-panel" not in html
    assert '<span class="chip">Trade</span>' in html


def test_a_quote_span_is_stored_as_offsets_and_highlighted() -> None:
    world = seminar_world()
    first = paragraph(world)  # "The opening paragraph states the claim plainly. ..."
    start = first.text.index("states the claim")
    end = start + len("states the claim")
    html = (
        client_for(world.student)
        .post(
            add_url(world, first),
            {"theme": world.themes[1].pk, "span_start": start, "span_end": end},
            headers=HTMX,
        )
        .content.decode()
    )
    created = Tag.objects.get()
    assert (created.span_start, created.span_end) == (start, end)
    chip = f"chip-{world.themes[1].colour[1:]}"
    assert (
        '<p class="passage-text">The opening paragraph '
        f'<mark class="quote {chip}">states the claim</mark> plainly.'
    ) in html
    assert '<q class="tag-quote">states the claim</q>' in html
    assert "Tagged a quote in ¶ 1 Security" in html


def test_quote_offsets_count_code_points_not_utf16_units() -> None:
    world = seminar_world()
    document = DocumentFactory(title="Astral", source=ASTRAL)
    SeminarReadingFactory(seminar=world.seminar, document=document, position=9)
    passage = Passage.objects.get(document=document, kind=Passage.Kind.PARAGRAPH)
    start = passage.text.index("quoted words")
    client_for(world.student).post(
        add_url(world, passage),
        {"theme": world.themes[0].pk, "span_start": start, "span_end": start + 12},
        headers=HTMX,
    )
    html = client_for(world.student).get(reader_url(world, document=document)).content.decode()
    chip = f"chip-{world.themes[0].colour[1:]}"
    assert f'<mark class="quote {chip}">quoted words</mark>' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a theme."),
        ({"theme": "99999"}, "That theme is not in this seminar&#x27;s codebook."),
        ({"theme": "THEME", "span_start": "5"}, "Select the words of the quote again."),
        ({"theme": "THEME", "span_start": "0", "span_end": "9999"}, "The quote must lie inside"),
        ({"theme": "THEME", "stance": "maybe"}, "Choose supports, opposes or qualifies."),
    ],
    ids=["no-theme", "foreign-theme", "half-span", "span-outside", "bad-stance"],
)
@PLAIN_AND_HTMX
def test_refused_tags_show_the_error_inside_the_passage(headers, data, message) -> None:
    world = seminar_world()
    first = paragraph(world)
    data = {k: (str(world.themes[0].pk) if v == "THEME" else v) for k, v in data.items()}
    response = client_for(world.student).post(add_url(world, first), data, headers=headers)
    html = response.content.decode()
    assert response.status_code == 200
    passage = article(html, first.anchor)
    assert '<p class="reader-error" role="alert">' in passage
    assert message in passage
    assert '<section class="tag-panel"' in passage  # the panel stays open, nothing lost
    assert ("<html" in html) is not bool(headers)
    assert not Tag.objects.exists()


def test_a_retired_theme_takes_no_new_tags_and_says_why() -> None:
    world = seminar_world()
    theme_retire(theme=world.themes[0])
    response = client_for(world.student).post(
        add_url(world, paragraph(world)), {"theme": world.themes[0].pk}, headers=HTMX
    )
    assert response.status_code == 200
    assert "is retired and takes no new tags" in response.content.decode()
    assert not Tag.objects.exists()


# Authorisation of writes ------------------------------------------------------------------


def test_student_cannot_tag_in_another_students_set() -> None:
    world = seminar_world()
    passage = paragraph(world)
    data = {"theme": world.themes[0].pk}
    client = client_for(world.student)
    # Blind: the set does not exist for them.
    assert client.post(add_url(world, passage, world.other_student_set), data).status_code == 404
    # Revealed: they may read it, not write in it.
    AnnotationSet.objects.filter(pk=world.other_student_set.pk).update(revealed_at=timezone.now())
    response = client.post(add_url(world, passage, world.other_student_set), data, headers=HTMX)
    assert response.status_code == 403
    assert not Tag.objects.exists()


def test_nobody_tags_in_a_locked_set_not_even_its_owner() -> None:
    world = seminar_world()
    passage = paragraph(world)
    existing = tag(world, passage, 1)
    AnnotationSet.objects.filter(pk=world.student_set.pk).update(locked=True)
    client = client_for(world.student)
    assert client.post(add_url(world, passage), {"theme": world.themes[0].pk}).status_code == 403
    update = f"{base(world)}/passages/{passage.pk}/tags/{existing.pk}/"
    assert client.post(update, {"note": "late"}, headers=HTMX).status_code == 403
    assert client.post(update + "remove/", headers=HTMX).status_code == 403
    assert list(Tag.objects.values_list("pk", "note")) == [(existing.pk, "")]


def test_instructor_reads_but_does_not_write_a_students_set() -> None:
    world = seminar_world()
    passage = paragraph(world)
    response = client_for(world.instructor).post(
        add_url(world, passage), {"theme": world.themes[0].pk}
    )
    assert response.status_code == 403
    assert not Tag.objects.exists()


def test_outsider_gets_404_for_every_write() -> None:
    world = seminar_world()
    passage = paragraph(world)
    existing = tag(world, passage)
    client = client_for(world.outsider)
    tag_base = f"{base(world)}/passages/{passage.pk}/tags/"
    for url in (tag_base, f"{tag_base}{existing.pk}/", f"{tag_base}{existing.pk}/remove/"):
        assert client.post(url, {"theme": world.themes[0].pk}).status_code == 404
    assert Tag.objects.count() == 1


def test_a_tag_of_another_set_cannot_be_reached_through_ones_own() -> None:
    world = seminar_world()
    passage = paragraph(world)
    theirs = tag(world, passage, annotation_set=world.other_student_set)
    url = f"{base(world)}/passages/{passage.pk}/tags/{theirs.pk}/"
    client = client_for(world.student)
    # Not in Sam's set, the tag is as good as gone for him: he is told so, and it stays.
    saved = client.post(url, {"note": "mine now"}, headers=HTMX)
    assert saved.status_code == 200
    assert "This tag was removed meanwhile" in saved.content.decode()
    removed = client.post(url + "remove/", headers=HTMX)
    assert removed.status_code == 200
    assert "Already removed from ¶ 1" in removed.content.decode()
    theirs.refresh_from_db()
    assert theirs.note == ""


def test_tag_endpoints_take_no_get() -> None:
    world = seminar_world()
    passage = paragraph(world)
    existing = tag(world, passage)
    client = client_for(world.student)
    tag_base = f"{base(world)}/passages/{passage.pk}/tags/"
    for url in (tag_base, f"{tag_base}{existing.pk}/", f"{tag_base}{existing.pk}/remove/"):
        assert client.get(url).status_code == 405


# Stance, note, removal --------------------------------------------------------------------


@PLAIN_AND_HTMX
def test_stance_and_note_are_saved_in_place(headers) -> None:
    world = seminar_world()
    passage = paragraph(world)
    existing = tag(world, passage)
    url = f"{base(world)}/passages/{passage.pk}/tags/{existing.pk}/"
    response = client_for(world.student).post(
        url, {"stance": "qualifies", "note": "Only in part.", "panel": "1"}, headers=headers
    )
    existing.refresh_from_db()
    assert (existing.stance, existing.note) == ("qualifies", "Only in part.")
    if headers:
        html = response.content.decode()
        assert '<span class="tag-stance tag-stance-qualifies">qualifies</span>' in html
        assert "Saved Trade on ¶ 1" in html
        assert (
            f'id="p1-stance-{existing.pk}-qualifies" name="stance" value="qualifies" checked'
            in html
        )
    else:
        assert response["Location"] == f"{reader_url(world)}?open={passage.pk}#p1"


def test_saving_a_tag_removed_meanwhile_explains_it() -> None:
    world = seminar_world()
    passage = paragraph(world)
    gone = tag(world, passage).pk
    Tag.objects.filter(pk=gone).delete()
    url = f"{base(world)}/passages/{passage.pk}/tags/{gone}/"
    html = client_for(world.student).post(url, {"note": "x"}, headers=HTMX).content.decode()
    assert "This tag was removed meanwhile" in html


@PLAIN_AND_HTMX
def test_removing_a_tag_twice_removes_it_once(headers) -> None:
    world = seminar_world()
    passage = paragraph(world)
    existing = tag(world, passage)
    kept = tag(world, passage, 1)
    url = f"{base(world)}/passages/{passage.pk}/tags/{existing.pk}/remove/"
    client = client_for(world.student)
    first = client.post(url, {"panel": "1"}, headers=headers)
    second = client.post(url, {"panel": "1"}, headers=headers)
    assert list(Tag.objects.all()) == [kept]
    if headers:
        assert first.status_code == second.status_code == 200
        assert "Removed Trade from ¶ 1" in first.content.decode()
        assert "Already removed from ¶ 1" in second.content.decode()
        assert '<span class="chip">Trade</span>' not in second.content.decode()
    else:
        assert first.status_code == second.status_code == 302
        assert first["Location"].endswith("#p1")


# Side by side -----------------------------------------------------------------------------


@PLAIN_AND_HTMX
def test_parallel_shows_every_reading_in_its_own_column(headers) -> None:
    world = seminar_world()
    first = paragraph(world)
    tag(world, first)
    html = (
        client_for(world.student).get(f"{base(world)}/parallel/", headers=headers).content.decode()
    )
    assert ("<html" in html) is not bool(headers)
    for document in world.documents:
        assert f'<section class="parallel-column" id="column-{document.pk}"' in html
    # Anchors are prefixed with the reading: several readings share the page.
    element = f"d{first.document_id}-p1"
    passage = article(html, element)
    assert '<span class="chip">Trade</span>' in passage
    assert f'data-tag-url="{add_url(world, first)}?layout=parallel"' in passage
    assert "Author &amp; Writer, ¶ 1" in passage  # cited with the author in a shared page


def test_parallel_applies_the_same_filters() -> None:
    world = seminar_world()
    first = paragraph(world)
    other = paragraph(world, 0, world.documents[1])
    tag(world, first, 0)
    tag(world, other, 1)
    response = client_for(world.student).get(f"{base(world)}/parallel/?theme=trade")
    html = response.content.decode()
    assert response.status_code == 200
    assert " hidden" not in article(html, f"d{first.document_id}-p1").split(">")[0]
    assert " hidden" in article(html, f"d{other.document_id}-p1").split(">")[0]


def test_parallel_tagging_without_javascript_returns_to_the_column() -> None:
    world = seminar_world()
    passage = paragraph(world, 0, world.documents[1])
    response = client_for(world.student).post(
        add_url(world, passage, query="?layout=parallel"), {"theme": world.themes[0].pk}
    )
    assert response["Location"] == (
        f"{base(world)}/parallel/?open={passage.pk}#d{passage.document_id}-p1"
    )


def test_parallel_is_404_for_outsiders_and_blind_sets() -> None:
    world = seminar_world()
    assert client_for(world.outsider).get(f"{base(world)}/parallel/").status_code == 404
    tara = f"{base(world, world.other_student_set)}/parallel/"
    assert client_for(world.student).get(tara).status_code == 404


def filter_counts(html: str) -> dict[str, str]:
    """The reader's filter links as the page shows them: label → count."""
    nav = re.search(r'<nav id="reader-filters".*?</nav>', html, re.S)
    assert nav, "no filters"
    links = re.findall(r'<a id="filter-[^"]+"[^>]*>(.*?)</a>', nav.group(0), re.S)
    counts = {}
    for link in links:
        text = re.sub(r"<span class=\"visually-hidden\">.*?</span>", "", link)
        words = re.sub(r"<[^>]+>", " ", text).split()
        if words[-1].isdigit():
            counts[" ".join(words[:-1])] = words[-1]
    return counts


def test_tagging_with_htmx_refreshes_the_filter_counts_out_of_band() -> None:
    world = seminar_world()
    client = client_for(world.student)
    first, second = paragraph(world, 0), paragraph(world, 1)
    tag(world, first, 0)
    before = filter_counts(client.get(reader_url(world)).content.decode())
    assert before == {"Tagged": "1", "Trade": "1", "Security": "0"}

    added = client.post(
        f"{base(world)}/passages/{second.pk}/tags/", {"theme": world.themes[1].pk}, headers=HTMX
    ).content.decode()
    assert re.search(r'<nav id="reader-filters"[^>]* hx-swap-oob="true">', added)
    assert filter_counts(added) == {"Tagged": "2", "Trade": "1", "Security": "1"}

    removed_tag = Tag.objects.get(passage=first)
    removed = client.post(
        f"{base(world)}/passages/{first.pk}/tags/{removed_tag.pk}/remove/", headers=HTMX
    ).content.decode()
    assert filter_counts(removed) == {"Tagged": "1", "Trade": "0", "Security": "1"}
    # The page agrees with what the fragments said.
    assert filter_counts(client.get(reader_url(world)).content.decode()) == filter_counts(removed)


def ribbon(html: str) -> str:
    """The reader's ribbon as sent, whether in the page or out of band."""
    found = re.search(r'<nav class="reader-ribbon" id="reader-ribbon".*?</nav>', html, re.S)
    assert found, "no ribbon"
    return found.group(0).replace(' hx-swap-oob="true"', "")


def test_tagging_with_htmx_redraws_the_ribbon_as_the_page_would() -> None:
    world = seminar_world()
    client = client_for(world.student)
    first, second = paragraph(world, 0), paragraph(world, 1)
    tag(world, first, 0)
    before = ribbon(client.get(reader_url(world)).content.decode())
    assert 'aria-label="Security: 0 passages"' in before

    added = client.post(
        f"{base(world)}/passages/{second.pk}/tags/", {"theme": world.themes[1].pk}, headers=HTMX
    ).content.decode()
    assert re.search(
        r'<nav class="reader-ribbon" id="reader-ribbon"[^>]* hx-swap-oob="true">', added
    )
    assert 'aria-label="Security: 1 passage"' in ribbon(added)
    assert f'<a href="#{second.anchor}" aria-label="Security, ¶ 2">' in ribbon(added)
    assert ribbon(added) == ribbon(client.get(reader_url(world)).content.decode())

    removed_tag = Tag.objects.get(passage=first)
    removed = client.post(
        f"{base(world)}/passages/{first.pk}/tags/{removed_tag.pk}/remove/", headers=HTMX
    ).content.decode()
    assert 'aria-label="Trade: 0 passages"' in ribbon(removed)
    assert ribbon(removed) == ribbon(client.get(reader_url(world)).content.decode())


def test_a_reading_without_themes_keeps_a_hidden_ribbon_to_swap() -> None:
    world = seminar_world()
    Theme.objects.filter(seminar=world.seminar).delete()
    response = client_for(world.student).get(reader_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<nav class="reader-ribbon" id="reader-ribbon" aria-label="Where themes occur" hidden>'
        in html
    )
    assert "reader-ribbon-theme" not in html


def test_tagging_side_by_side_counts_every_reading_and_sends_no_ribbon() -> None:
    world = seminar_world()
    client = client_for(world.student)
    tag(world, paragraph(world, 0), 0)
    other = paragraph(world, 0, document=world.documents[1])
    response = client.post(
        add_url(world, other, query="?layout=parallel"),
        {"theme": world.themes[1].pk},
        headers=HTMX,
    )
    assert response.status_code == 200
    added = response.content.decode()
    assert filter_counts(added) == {"Tagged": "2", "Trade": "1", "Security": "1"}
    assert "reader-ribbon" not in added
