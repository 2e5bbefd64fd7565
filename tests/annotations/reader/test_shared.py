"""The reader's shared passages (annotations/reader/documents.py): a page rendered from what another
set's page cached is the page rendered from nothing, and a write shows at once."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches

from annotations.reader import documents as reader_cache
from annotations.reader import page as reader_page
from annotations.reader.documents import reader_documents
from annotations.reader.filters import SET_ID
from annotations.services import passage_tag
from readings.models import Passage
from tests.clients import HTMX, client_for
from tests.factories import DocumentFactory, SeminarReadingFactory, seminar_world

pytestmark = pytest.mark.django_db

MASKS = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'"X-CSRFToken": *"[^"]*"'), '"X-CSRFToken"'),
    (re.compile(r'nonce="[^"]*"'), "nonce"),
]


@pytest.fixture(autouse=True)
def no_recent_documents(monkeypatch) -> None:
    """Each test starts with the worker's memory of documents empty, as with the cache."""
    monkeypatch.setattr(reader_cache, "_recent", {})


def forget_everything() -> None:
    caches["fragments"].clear()
    reader_cache._recent.clear()


def page(client, url: str, headers: dict[str, str] | None = None) -> str:
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    html: str = response.content.decode()
    for pattern, mask in MASKS:
        html = pattern.sub(mask, html)
    return html


def paragraphs(document) -> list[Passage]:
    return list(Passage.objects.filter(document=document, kind=Passage.Kind.PARAGRAPH))


@pytest.fixture
def world():
    """Sam and Tara each tagged a different paragraph of the first reading, Sam with a quote
    and a note, so each set shows some passages of its own and hides different headings."""
    world = seminar_world()
    first = paragraphs(world.documents[0])
    passage_tag(
        annotation_set=world.student_set,
        passage=first[0],
        theme=world.themes[0],
        author=world.student,
        span=(4, 11),
        note="Cuts <both> ways.",
    )
    passage_tag(
        annotation_set=world.other_student_set,
        passage=first[2],
        theme=world.themes[1],
        author=world.other_student,
    )
    return world


def set_url(world, annotation_set, rest: str) -> str:
    return f"/seminars/{world.seminar.pk}/sets/{annotation_set.pk}/{rest}"


def unshared_page(monkeypatch, client, url: str, headers=None) -> str:
    """The page with every passage rendered for the set, as before passages were shared."""

    def every_passage_its_own(*args, can_write, shared_urls, **kwargs):
        return reader_documents(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(reader_page, "page_documents", every_passage_its_own)
        return page(client, url, headers)


def assert_shared_page_is_the_fresh_page(
    monkeypatch, *, viewer, url: str, other_viewer, other_url: str, headers=None
) -> None:
    forget_everything()
    fresh = page(client_for(viewer), url, headers)
    assert fresh == unshared_page(monkeypatch, client_for(viewer), url, headers)
    forget_everything()
    page(client_for(other_viewer), other_url, headers)
    assert len(reader_cache._recent) > 0

    def no_render(*args, **kwargs):
        raise AssertionError("the other set's page should have cached these passages")

    monkeypatch.setattr(reader_cache, "_render", no_render)
    assert page(client_for(viewer), url, headers) == fresh
    # And the same from the shared cache alone, as another worker reads it.
    reader_cache._recent.clear()
    assert page(client_for(viewer), url, headers) == fresh


@pytest.mark.parametrize(
    "rest",
    [
        "read/{doc}/",
        "read/{doc}/?only=tagged",
        "read/{doc}/?theme=trade",
        "read/{doc}/?theme=security&quotes=tag",
        "read/{doc}/?open={open}",
        "read/{doc}/?open={open}&only=tagged",
        "parallel/",
        "parallel/?only=tagged",
        "parallel/?theme=trade&open={open}",
    ],
)
@pytest.mark.parametrize("headers", [None, HTMX], ids=["plain", "htmx"])
def test_a_students_page_after_another_students_page_is_the_fresh_page(
    world, monkeypatch, rest: str, headers
) -> None:
    first = paragraphs(world.documents[0])
    rest = rest.format(doc=world.documents[0].pk, open=first[1].pk)
    assert_shared_page_is_the_fresh_page(
        monkeypatch,
        viewer=world.student,
        url=set_url(world, world.student_set, rest),
        other_viewer=world.other_student,
        other_url=set_url(world, world.other_student_set, rest),
        headers=headers,
    )


@pytest.mark.parametrize("rest", ["read/{doc}/", "read/{doc}/?only=tagged", "parallel/"])
def test_an_instructor_reading_a_students_set_shares_with_other_read_only_pages(
    world, monkeypatch, rest: str
) -> None:
    rest = rest.format(doc=world.documents[0].pk)
    assert_shared_page_is_the_fresh_page(
        monkeypatch,
        viewer=world.instructor,
        url=set_url(world, world.student_set, rest),
        other_viewer=world.instructor,
        other_url=set_url(world, world.other_student_set, rest),
    )


def test_the_instructors_own_key_shares_with_a_students_own_set(world, monkeypatch) -> None:
    rest = f"read/{world.documents[0].pk}/"
    assert_shared_page_is_the_fresh_page(
        monkeypatch,
        viewer=world.instructor,
        url=set_url(world, world.key, rest),
        other_viewer=world.student,
        other_url=set_url(world, world.student_set, rest),
    )


def test_read_only_and_writable_pages_are_cached_apart(world) -> None:
    """Tara's own page has Tag links; the instructor reading her set must not get them."""
    rest = f"read/{world.documents[0].pk}/"
    page(client_for(world.other_student), set_url(world, world.other_student_set, rest))
    html = page(client_for(world.instructor), set_url(world, world.student_set, rest))
    assert "Read only" in html and "Cuts &lt;both&gt; ways." in html
    assert 'class="passage-open"' not in html
    assert "data-tag-url" not in html


def test_a_new_tag_shows_on_the_next_page(world) -> None:
    url = set_url(world, world.student_set, f"read/{world.documents[0].pk}/")
    client = client_for(world.student)
    second = paragraphs(world.documents[0])[1]
    before = page(client, url)
    assert f'data-passage="{second.pk}" data-sig' not in before
    passage_tag(
        annotation_set=world.student_set,
        passage=second,
        theme=world.themes[1],
        author=world.student,
    )
    after = page(client, url)
    assert f'data-passage="{second.pk}" data-sig' in after
    assert after.count("is-tagged") == before.count("is-tagged") + 1
    forget_everything()
    assert page(client, url) == after


def test_another_sets_tag_does_not_show_on_this_page(world) -> None:
    doc = world.documents[0].pk
    page(client_for(world.other_student), set_url(world, world.other_student_set, f"read/{doc}/"))
    html = page(client_for(world.student), set_url(world, world.student_set, f"read/{doc}/"))
    assert html.count("is-tagged") == 1
    assert f"/sets/{world.other_student_set.pk}/" not in html


def test_hostile_text_stays_escaped_and_is_not_taken_for_the_set_id(world, monkeypatch) -> None:
    hostile = (
        "Hostile\n\nA paragraph that says <script>alert(1)</script> & /sets/"
        f"{SET_ID}/ to whoever renders it, twice over for good measure.\n"
    )
    document = DocumentFactory(title="Hostile", source=hostile)
    SeminarReadingFactory(seminar=world.seminar, document=document, position=2)
    rest = f"read/{document.pk}/"
    for annotation_set, user in [
        (world.other_student_set, world.other_student),
        (world.student_set, world.student),
    ]:
        html = page(client_for(user), set_url(world, annotation_set, rest))
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html
        assert f"/sets/{SET_ID}/ to whoever" in html
    assert_shared_page_is_the_fresh_page(
        monkeypatch,
        viewer=world.student,
        url=set_url(world, world.student_set, rest),
        other_viewer=world.other_student,
        other_url=set_url(world, world.other_student_set, rest),
    )


def test_a_passage_fragment_is_not_taken_from_the_shared_cache(world) -> None:
    """Tagging answers with one passage, rendered for the set (reader_item)."""
    doc = world.documents[0].pk
    page(client_for(world.other_student), set_url(world, world.other_student_set, f"read/{doc}/"))
    passage = paragraphs(world.documents[0])[0]
    html = page(
        client_for(world.student),
        set_url(world, world.student_set, f"passages/{passage.pk}/?panel=1"),
        HTMX,
    )
    assert "Cuts &lt;both&gt; ways." in html
    assert f"/sets/{world.student_set.pk}/passages/{passage.pk}/tags/" in html


def test_tagging_keeps_the_shared_reading_and_editing_a_passage_refreshes_it(
    world, monkeypatch
) -> None:
    first = world.documents[0]
    url = set_url(world, world.student_set, f"read/{first.pk}/")
    client = client_for(world.student)
    renders: list[int] = []
    render = reader_cache._render

    def counted(*args, **kwargs):
        renders.append(1)
        return render(*args, **kwargs)

    monkeypatch.setattr(reader_cache, "_render", counted)
    page(client, url)
    assert len(renders) == 1
    # Someone else tags: the seminar's revision moves, the reading's passages stay cached.
    passage_tag(
        annotation_set=world.other_student_set,
        passage=paragraphs(first)[1],
        theme=world.themes[0],
        author=world.other_student,
    )
    reader_cache._recent.clear()
    page(client, url)
    assert len(renders) == 1
    # A passage edited (the admin, the shell): its reading renders afresh, with the new words.
    passage = paragraphs(first)[-1]
    passage.text = passage.text.replace(passage.text.split()[0], "Rewritten", 1)
    passage.save()
    assert "Rewritten" in page(client, url)


def test_renaming_a_reading_refreshes_its_shared_passages(world) -> None:
    url = set_url(world, world.student_set, "parallel/")
    client = client_for(world.student)
    page(client, url)
    document = world.documents[1]
    before = page(client, url)
    assert document.title in before and "Quill" not in before
    document.authors = ["Zelda Quill"]
    document.save()
    assert "Quill" in page(client, url)
