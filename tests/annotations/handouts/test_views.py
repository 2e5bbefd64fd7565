"""The handout builder: full page and preview partial, downloads, and who may build what."""

from __future__ import annotations

import pytest
from django.utils import timezone

from annotations.models import AnnotationSet
from annotations.services import passage_tag, position_summary_save
from tests.clients import client_for
from tests.factories import seminar_world

pytestmark = pytest.mark.django_db


def url(world, query: str = "") -> str:
    return f"/seminars/{world.seminar.pk}/handout/" + (f"?{query}" if query else "")


@pytest.fixture
def world():
    world = seminar_world()
    passage = world.documents[0].passages.filter(kind="paragraph").first()
    assert passage is not None
    passage_tag(
        annotation_set=world.key,
        passage=passage,
        theme=world.themes[0],
        author=world.instructor,
        stance="supports",
        note="Note with *stars* and <script>alert(1)</script>",
    )
    position_summary_save(
        annotation_set=world.key,
        theme=world.themes[0],
        document=world.documents[0],
        text="Summary: [a link](http://evil.example) & <b>bold</b>",
    )
    return world


def test_builder_page_has_the_form_the_preview_and_download_links(world) -> None:
    response = client_for(world.instructor).get(url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<form class="handout-builder" method="get"' in page
    assert 'hx-trigger="change"' in page and 'hx-indicator="#handout-progress"' in page
    assert '<button type="submit" class="small-button">Preview</button>' in page
    assert 'id="handout-preview"' in page and "Trade" in page and "Security" in page
    assert f'href="{url(world)}?format=pdf"' in page
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_htmx_request_gets_only_the_preview(world) -> None:
    query = "built=1&theme=security&theme=trade&order-trade=1&order-security=2&summaries=on"
    response = client_for(world.instructor).get(url(world, query), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith("<section") and 'id="handout-preview"' in page
    assert "<form" not in page and "<html" not in page
    # The chosen order, and download links that keep the choices.
    assert page.index('id="handout-trade"') < page.index('id="handout-security"')
    assert "order-security=2&amp;summaries=on&amp;format=pdf" in page


def test_user_text_is_escaped_in_the_preview(world) -> None:
    response = client_for(world.instructor).get(url(world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("md", "text/markdown; charset=utf-8", b"# "),
    ],
)
def test_download_is_an_attachment_named_after_seminar_theme_and_date(
    world, fmt, content_type, magic
) -> None:
    response = client_for(world.instructor).get(
        url(world, f"built=1&theme=trade&date=2026-11-24&format={fmt}")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="reading-power-trade-2026-11-24.{fmt}"'
    )
    assert response.content.startswith(magic)


def test_several_themes_are_named_themes_in_the_file_name(world) -> None:
    response = client_for(world.instructor).get(url(world, "date=2026-11-24&format=md"))
    assert 'filename="reading-power-themes-2026-11-24.md"' in response["Content-Disposition"]


def test_markdown_escapes_user_text(world) -> None:
    markdown = client_for(world.instructor).get(url(world, "format=md")).content.decode()
    assert r"Note with \*stars\* and \<script\>alert\(1\)\</script\>" in markdown
    assert r"Summary: \[a link\]\(http://evil.example\) \& \<b\>bold\</b\>" in markdown


def test_outsider_gets_404(world) -> None:
    client = client_for(world.outsider)
    assert client.get(url(world)).status_code == 404
    assert client.get(url(world, "format=pdf")).status_code == 404


def test_student_cannot_build_from_a_set_they_cannot_see(world) -> None:
    # Tara's set is blind and not yet revealed: Sam may not read it, so not hand it out either.
    client = client_for(world.student)
    tara = world.other_student_set
    assert client.get(url(world, f"source={tara.pk}")).status_code == 404
    assert client.get(url(world, f"source={tara.pk}&format=pdf")).status_code == 404
    AnnotationSet.objects.filter(pk=tara.pk).update(revealed_at=timezone.now())
    assert client.get(url(world, f"source={tara.pk}")).status_code == 200


def test_student_builds_from_their_own_set_and_the_combined_view(world) -> None:
    client = client_for(world.student)
    own = client.get(url(world, f"source={world.student_set.pk}"))
    assert own.status_code == 200 and "Sam&#x27;s reading" in own.content.decode()
    combined = client.get(url(world, "source=all&min=1&format=md")).content.decode()
    assert "Tags: All sets" in combined


def test_the_handout_takes_a_fixed_number_of_queries_per_theme(
    world, django_assert_max_num_queries
) -> None:
    client = client_for(world.instructor)
    client.get(url(world))  # warm the session and the user
    with django_assert_max_num_queries(24):
        client.get(url(world, "format=md"))
