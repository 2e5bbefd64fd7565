"""A long handout's PDF or Word file is made by a worker (issue 22); a short one, and the
Markdown file, still come straight from the request."""

from __future__ import annotations

import pytest

from annotations.services import passage_tag
from jobs.models import Job
from tests.clients import client_for
from tests.factories import seminar_world
from tests.jobs.worker import finish_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = seminar_world()
    for passage in world.documents[0].passages.filter(kind="paragraph")[:2]:
        passage_tag(
            annotation_set=world.key,
            passage=passage,
            theme=world.themes[0],
            author=world.instructor,
            stance="supports",
        )
    return world


def _url(world, query: str) -> str:
    return f"/seminars/{world.seminar.pk}/handout/?{query}"


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("docx", b"PK")])
def test_a_long_handout_answers_at_once_and_its_file_comes_from_the_job(
    world, monkeypatch, fmt, magic
) -> None:
    monkeypatch.setattr("annotations.handouts.background.HANDOUT_BACKGROUND_PASSAGES", 1)
    monkeypatch.setattr("annotations.handouts.background.DOCX_BACKGROUND_PASSAGES", 1)
    client = client_for(world.instructor)
    started = client.get(_url(world, f"title=Week+3&format={fmt}"))

    assert started.status_code == 303
    job = Job.objects.get()
    assert job.state == Job.State.QUEUED and job.result is None
    assert job.title == f"Handout of “Reading Power” ({fmt.upper()})"

    page = finish_job(client, started).content.decode()
    assert "Handout made" in page and "2 themes, 2 passages." in page
    assert "Back to the handout builder" in page and "title=Week+3" in page
    download = client.get(f"/jobs/{job.pk}/file/")
    assert download.status_code == 200 and download.content.startswith(magic)
    assert f'.{fmt}"' in download["Content-Disposition"]


def test_a_long_handout_with_htmx_sends_the_browser_to_its_job(
    world, monkeypatch, htmx_headers
) -> None:
    monkeypatch.setattr("annotations.handouts.background.HANDOUT_BACKGROUND_PASSAGES", 1)
    response = client_for(world.instructor).get(_url(world, "format=pdf"), headers=htmx_headers)
    assert response.status_code == 200
    assert response["HX-Redirect"] == Job.objects.get().get_absolute_url()


def test_a_short_handout_and_any_markdown_come_from_the_request(world, monkeypatch) -> None:
    client = client_for(world.instructor)
    pdf = client.get(_url(world, "format=pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    monkeypatch.setattr("annotations.handouts.background.HANDOUT_BACKGROUND_PASSAGES", 1)
    docx = client.get(_url(world, "format=docx"))  # Word's limit is higher: fast to write
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    monkeypatch.setattr("annotations.handouts.background.HANDOUT_BACKGROUND_PASSAGES", 1)
    markdown = client.get(_url(world, "format=md"))
    assert markdown.status_code == 200 and b"# " in markdown.content
    assert not Job.objects.exists()


def test_a_member_who_lost_the_seminar_gets_words_not_a_handout(world, monkeypatch) -> None:
    monkeypatch.setattr("annotations.handouts.background.HANDOUT_BACKGROUND_PASSAGES", -1)
    client = client_for(world.student)
    started = client.get(_url(world, "format=pdf"))
    world.seminar.memberships.filter(user=world.student).delete()
    page = finish_job(client, started).content.decode()
    assert "You can no longer read this seminar" in page
    assert not Job.objects.get().has_file
