"""Numbers in requests that Python or the database cannot take are 4xx or ignored, never a 500.

Found by the fuzz pass (tests/security/test_fuzz.py): `"²".isdigit()` is true but `int("²")`
fails, `int()` refuses more than 4300 digits, and SQLite and PostgreSQL stop at 2**63 - 1.
Every id and count a view reads from a request goes through config.http.parse_id.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from config.http import parse_id
from readings.models import PendingImport
from tests.clients import HTMX, client_for
from tests.factories import SeminarWorld, seminar_world

pytestmark = pytest.mark.django_db

BAD = {
    "superscript": "²",
    "5000-digits": "9" * 5000,
    "2**63": str(2**63),
    "2**64": str(2**64),
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("0", 0), ("9" * 18, 10**18 - 1), ("²", None), ("٣", None), ("-1", None),
     (" 1", None), ("1.5", None), ("", None), ("9" * 19, None), ("9" * 5000, None)],
)  # fmt: skip
def test_parse_id_takes_ascii_digits_that_fit_a_database_id(value: str, expected) -> None:
    assert parse_id(value) == expected


Request = Callable[[SeminarWorld, str], tuple[object, str]]  # (response, what it must show)


def _pick(field: str) -> Request:
    def send(w: SeminarWorld, value: str):
        data = {"theme": str(w.themes[0].pk), "passage": "1", field: value}
        url = reverse("annotations:discussion_pick", args=[w.seminar.pk])
        response = client_for(w.instructor).post(url, data, follow=True)
        return response, "Choose a passage and a theme"

    return send


def _reading_add(w: SeminarWorld, value: str):
    url = reverse("readings:seminar_reading_add", args=[w.seminar.pk])
    response = client_for(w.instructor).post(url, {"document": value}, follow=True)
    return response, "Only a reading you imported yourself can be added"


def _changes(field: str) -> Request:
    def send(w: SeminarWorld, value: str):
        url = reverse("annotations:reader_changes", args=[w.seminar.pk, w.student_set.pk])
        data = {"d": str(w.documents[0].pk), "v": "0"}
        data[field] = value if field == "d" else f"{value}:1.0"
        response = client_for(w.student).post(url, data, headers=HTMX)
        return response, 'hx-swap-oob="true"' if response.status_code == 200 else ""

    return send


def _import_seminar(method: str) -> Request:
    def send(w: SeminarWorld, value: str):
        client = client_for(w.instructor)
        if method == "GET":
            return client.get("/documents/import/", {"seminar": value}), "Import a reading"
        response = client.post("/documents/import/", {"seminar": value, "pasted": "A text."})
        assert not PendingImport.objects.exists()
        found = response.status_code != 404
        return response, "Import a reading" if found else "We could not find that page"

    return send


def _page(name: str, param: str, extra: dict | None = None) -> Request:
    def send(w: SeminarWorld, value: str):
        args_of: dict[str, list[object]] = {
            "annotations:compare": [w.seminar.pk, w.themes[0].slug],
            "annotations:reader": [w.seminar.pk, w.student_set.pk, w.documents[0].pk],
        }
        args = args_of.get(name, [w.seminar.pk])
        query = {param: value, **(extra or {})}
        client = client_for(w.student if name == "annotations:reader" else w.instructor)
        return client.get(reverse(name, args=args), query), "First Reading"

    return send


REQUESTS: dict[str, Request] = {
    "discussion-pick-theme": _pick("theme"),
    "discussion-pick-passage": _pick("passage"),
    "reading-add-document": _reading_add,
    "reader-changes-documents": _changes("d"),
    "reader-changes-signatures": _changes("sig"),
    "import-page-seminar": _import_seminar("GET"),
    "import-preview-seminar": _import_seminar("POST"),
    "compare-min": _page("annotations:compare", "min"),
    "overview-min": _page("annotations:overview", "min"),
    "handout-min": _page("annotations:handout", "min"),
    "handout-order": _page("annotations:handout", "order-trade", {"theme": "trade"}),
    "handout-reading": _page("annotations:handout", "reading"),
    "reader-open": _page("annotations:reader", "open"),
}


@pytest.mark.parametrize("value", BAD.values(), ids=BAD)
@pytest.mark.parametrize("request_name", REQUESTS)
def test_a_number_no_database_takes_is_not_a_server_error(request_name: str, value: str) -> None:
    world = seminar_world()
    response, shows = REQUESTS[request_name](world, value)
    status = response.status_code  # type: ignore[attr-defined]
    assert status in {200, 204, 302, 404}, status
    if shows:
        assert shows in response.content.decode()  # type: ignore[attr-defined]


def test_a_preview_for_a_seminar_the_person_cannot_manage_is_refused() -> None:
    world = seminar_world()
    response = client_for(world.student).post(
        "/documents/import/", {"seminar": world.seminar.pk, "pasted": "A text."}
    )
    assert response.status_code == 403
    assert "You cannot do that here" in response.content.decode()
    assert not PendingImport.objects.exists()
