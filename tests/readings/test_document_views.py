from __future__ import annotations

import pytest
from django.test import Client

from readings.models import Document, Passage
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def test_visitor_is_sent_to_log_in_for_the_readings(client: Client) -> None:
    response = client.get("/documents/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_instructor_sees_their_readings_with_paragraph_counts(
    instructor, instructor_client: Client
) -> None:
    DocumentFactory(title="On Balance", owner=instructor)
    response = instructor_client.get("/documents/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "On Balance" in body
    assert "3 paragraphs" in body


def test_empty_library_invites_an_import(instructor_client: Client) -> None:
    body = instructor_client.get("/documents/").content.decode()
    assert "No readings yet." in body
    assert 'href="/documents/import/"' in body


def test_outsider_does_not_see_anothers_reading_in_the_list(
    instructor, outsider_client: Client
) -> None:
    DocumentFactory(title="On Balance", owner=instructor)
    response = outsider_client.get("/documents/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "No readings yet." in body  # their own library, empty
    assert "On Balance" not in body


def test_outsider_gets_404_for_anothers_reading(instructor, outsider_client: Client) -> None:
    document = DocumentFactory(owner=instructor)
    assert outsider_client.get(document.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("htmx", [False, True])
def test_reading_shows_headings_paragraphs_and_citable_labels(
    instructor, instructor_client: Client, htmx: bool
) -> None:
    document = DocumentFactory(title="On Balance", owner=instructor)
    headers = {"HX-Request": "true"} if htmx else {}
    body = instructor_client.get(document.get_absolute_url(), headers=headers).content.decode()
    assert "<h1>On Balance</h1>" in body
    assert 'nav class="toc" aria-label="Contents"' in body
    first = document.passages.filter(kind=Passage.Kind.PARAGRAPH).first()
    assert f'id="{first.anchor}"' in body
    assert first.label in body
    assert first.text in body


def test_document_list_query_count_does_not_grow_with_the_library(
    instructor, instructor_client: Client, django_assert_max_num_queries
) -> None:
    DocumentFactory.create_batch(3, owner=instructor)
    with django_assert_max_num_queries(4) as few:
        instructor_client.get("/documents/")
    DocumentFactory.create_batch(30, owner=instructor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = instructor_client.get("/documents/")
    assert response.content.decode().count('class="card"') == 33


def test_reading_query_count_does_not_grow_with_the_passages(
    instructor, instructor_client: Client, django_assert_max_num_queries
) -> None:
    short = DocumentFactory(owner=instructor)
    long_source = "\n\n".join(f"Paragraph number {n} says something." for n in range(300))
    long = DocumentFactory(owner=instructor, source=long_source)
    with django_assert_max_num_queries(4) as few:
        instructor_client.get(short.get_absolute_url())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = instructor_client.get(long.get_absolute_url())
    assert "Paragraph number 299 says something." in response.content.decode()
    assert Document.objects.count() == 2
